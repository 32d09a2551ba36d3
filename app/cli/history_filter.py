"""``history``'s filters: which recorded events a search, a type, an account or a range keeps."""

from __future__ import annotations

import argparse
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


def find_account(accounts: list[AccountRow], text: str) -> str | None:
    """The id of the account whose id, or else current name, is ``text``."""
    for row in accounts:
        if row.account_id == text:
            return row.account_id
    return next((row.account_id for row in accounts if row.name == text), None)


@dataclass(frozen=True)
class HistoryFilter:
    """The filters given to ``history``; each one given must hold (they combine with AND)."""

    search: str | None = None
    type: str | None = None
    account_id: str | None = None
    from_date: dt.date | None = None
    to_date: dt.date | None = None
    recorded_from: dt.datetime | None = None
    recorded_to: dt.datetime | None = None

    @classmethod
    def from_args(cls, args: argparse.Namespace, account_id: str | None) -> HistoryFilter:
        return cls(
            search=args.search.casefold() if args.search else None,
            type=args.type,
            account_id=account_id,
            from_date=args.from_date,
            to_date=args.to_date,
            recorded_from=args.recorded_from,
            recorded_to=args.recorded_to,
        )

    @property
    def active(self) -> bool:
        """Whether any filter was given."""
        return any(value is not None for value in vars(self).values())

    def matches(self, stored: StoredEvent, row: HistoryRow | None) -> bool:
        if self.type is not None and stored.type != self.type:
            return False
        if self.account_id is not None and self.account_id not in account_ids(stored.data):
            return False
        if self.recorded_from is not None and stored.recorded_at < self.recorded_from:
            return False
        if self.recorded_to is not None and stored.recorded_at > self.recorded_to:
            return False
        if self.from_date is not None or self.to_date is not None:
            booked = None if row is None else row.booking_date
            if booked is None:
                return False
            if self.from_date is not None and booked < self.from_date:
                return False
            if self.to_date is not None and booked > self.to_date:
                return False
        return not self.search or self._found(stored, row)

    def _found(self, stored: StoredEvent, row: HistoryRow | None) -> bool:
        assert self.search is not None
        texts = [str(stored.metadata.get("command_id", "")), str(stored.metadata.get("author", ""))]
        if row is not None:
            texts += (row.summary, row.account, row.author)
        texts.extend(text_values(stored.data))
        return any(self.search in text.casefold() for text in texts)
