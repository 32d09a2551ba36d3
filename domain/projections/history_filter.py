"""Which recorded events a history filter keeps: one meaning for the CLI's ``history`` and the
desktop history (whose index, ``search_index``, answers the same question in SQL)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from domain.projections.rows import AccountRow, HistoryRow
    from domain.store.base import StoredEvent


def text_values(value: Any) -> Iterator[str]:
    """Every text value inside decoded JSON data (payees, memos, reasons, names, ids)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from text_values(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from text_values(item)


def account_ids(data: Mapping[str, Any]) -> set[str]:
    """The accounts an event's data names: its account_id and its postings' accounts."""
    found = {data["account_id"]} if isinstance(data.get("account_id"), str) else set()
    for posting in data.get("postings") or ():
        if isinstance(posting, list | tuple) and posting and isinstance(posting[0], str):
            found.add(posting[0])
        elif isinstance(posting, Mapping) and isinstance(posting.get("account_id"), str):
            found.add(posting["account_id"])
    return found


def event_amount(data: Mapping[str, Any]) -> int | None:
    """The amount an event moves, in minor units: an entry's (or its void's) total of debits,
    an opening balance's size; None for events that move no money."""
    postings = data.get("postings")
    if postings:
        total = 0
        for posting in postings:
            amount = posting[2] if isinstance(posting, list | tuple) else posting.get("amount")
            if isinstance(amount, int) and amount > 0:
                total += amount
        return total
    opening = data.get("opening_balance")
    return abs(opening) if isinstance(opening, int) and opening else None


def search_texts(stored: StoredEvent, row: HistoryRow | None) -> list[str]:
    """The texts a search looks in: command id, author, the row's summary and accounts (names
    as they were at the event) and every text of the event's data."""
    texts = [str(stored.metadata.get("command_id", "")), str(stored.metadata.get("author", ""))]
    if row is not None:
        texts += (row.summary, row.account, row.author)
    texts.extend(text_values(stored.data))
    return texts


def find_account(accounts: list[AccountRow], text: str) -> str | None:
    """The id of the account whose id, or else current name, is ``text``."""
    for row in accounts:
        if row.account_id == text:
            return row.account_id
    return next((row.account_id for row in accounts if row.name == text), None)


@dataclass(frozen=True)
class HistoryFilter:
    """Filters over the history; each one given must hold (they combine with AND).

    ``search`` is casefolded text; ``types`` and ``account_ids`` keep an event of any of
    them (an account: its own events and those of every entry, import or reconciliation that
    touched it); ``author`` is compared ignoring case; amounts are minor units
    (:func:`event_amount`); ``upto`` keeps positions up to it (a figure's lineage);
    events of ``any_date_types`` pass the booking-date bounds whatever their date (a
    balance's openings count however the account's opening date falls).
    """

    search: str | None = None
    types: frozenset[str] | None = None
    account_ids: frozenset[str] | None = None
    author: str | None = None
    from_date: dt.date | None = None
    to_date: dt.date | None = None
    recorded_from: dt.datetime | None = None
    recorded_to: dt.datetime | None = None
    amount_min: int | None = None
    amount_max: int | None = None
    upto: int | None = None
    any_date_types: frozenset[str] | None = None

    @property
    def active(self) -> bool:
        """Whether any filter was given."""
        return any(value is not None for value in vars(self).values())

    def matches(self, stored: StoredEvent, row: HistoryRow | None) -> bool:
        if self.upto is not None and stored.position > self.upto:
            return False
        if self.types is not None and stored.type not in self.types:
            return False
        if self.account_ids is not None and self.account_ids.isdisjoint(
            account_ids(stored.data)
        ):
            return False
        if self.author is not None and (
            str(stored.metadata.get("author", "")).casefold() != self.author.casefold()
        ):
            return False
        if self.recorded_from is not None and stored.recorded_at < self.recorded_from:
            return False
        if self.recorded_to is not None and stored.recorded_at > self.recorded_to:
            return False
        if self.amount_min is not None or self.amount_max is not None:
            amount = event_amount(stored.data)
            if amount is None:
                return False
            if self.amount_min is not None and amount < self.amount_min:
                return False
            if self.amount_max is not None and amount > self.amount_max:
                return False
        dated = self.any_date_types is None or stored.type not in self.any_date_types
        if dated and (self.from_date is not None or self.to_date is not None):
            booked = None if row is None else row.booking_date
            if booked is None:
                return False
            if self.from_date is not None and booked < self.from_date:
                return False
            if self.to_date is not None and booked > self.to_date:
                return False
        if not self.search:
            return True
        return any(self.search in text.casefold() for text in search_texts(stored, row))
