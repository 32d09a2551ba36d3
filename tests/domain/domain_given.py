"""Given-helpers for aggregate tests: past events in, aggregates (as the streams hold them) out."""

from __future__ import annotations

import datetime as dt

from domain.application.handlers import COMMANDS
from domain.application.streams import Aggregate, kind_of, streams_of
from domain.model import accounts, entries
from domain.model.accounts import Account
from domain.model.chart import STREAM_ID, Chart
from domain.model.commands import Command
from domain.model.entries import Entry
from domain.model.events import (
    AccountOpened,
    AccountType,
    EntryKind,
    EntryPosted,
    EntryVoided,
    Event,
    Posting,
)
from domain.model.imports import Import, ImportedRows, import_stream_id, rows_stream_id
from domain.model.reconciliation import Reconciliation
from domain.model.reconciliation import stream_id as reconciled_stream_id

DAY = dt.date(2024, 3, 1)


def opened(
    account_id: str,
    name: str | None = None,
    account_type: AccountType = AccountType.ASSET,
    *,
    currency: str = "EUR",
    opening: int = 0,
    overdraft: bool = True,
    on: dt.date = DAY,
    parent: str = "",
) -> AccountOpened:
    return AccountOpened(
        account_id=account_id,
        name=name or account_id.title(),
        account_type=account_type,
        currency=currency,
        opening_balance=opening,
        opening_date=on,
        overdraft_allowed=overdraft,
        parent_id=parent,
    )


def posted(
    entry_id: str,
    *legs: tuple[str, int],
    currency: str = "EUR",
    kind: EntryKind = EntryKind.SPLIT,
    payee: str = "",
    on: dt.date = DAY,
) -> EntryPosted:
    return EntryPosted(
        entry_id=entry_id,
        kind=kind,
        booking_date=on,
        payee=payee,
        memo="",
        postings=tuple(Posting(a, currency, m) for a, m in legs),
    )


def voided(entry: EntryPosted, on: dt.date = DAY) -> EntryVoided:
    return EntryVoided(entry_id=entry.entry_id, voided_on=on, reason="", postings=entry.postings)


class World:
    """Aggregates folded from a flat history, each seeing only its own stream's events (the
    streams :func:`streams_of` names, as the service stores them). Commands are decided by
    their registered handlers (:meth:`when`), as the service decides them."""

    def __init__(self) -> None:
        self.streams: dict[str, Aggregate] = {}

    @classmethod
    def given(cls, *events: Event) -> World:
        world = cls()
        for event in events:
            world.apply(event)
        return world

    def apply(self, event: Event) -> None:
        primary, linked = streams_of(event)
        for stream_id in (primary, *linked):
            self.stream(stream_id).apply(event)

    def when(self, command: Command) -> list[Event]:
        """The events ``command`` decides, by its registered handler (nothing is applied)."""
        return COMMANDS.decide(command, self)

    def stream(self, stream_id: str) -> Aggregate:
        """The aggregate a stream holds (a blank one for a stream with no events)."""
        found = self.streams.get(stream_id)
        if found is None:
            found = self.streams[stream_id] = kind_of(stream_id).blank(stream_id)
        return found

    def account(self, account_id: str) -> Account:
        found = self.stream(accounts.stream_id(account_id))
        assert isinstance(found, Account)
        return found

    def entry(self, entry_id: str) -> Entry:
        found = self.stream(entries.stream_id(entry_id))
        assert isinstance(found, Entry)
        return found

    def imported_rows(self, account_id: str) -> ImportedRows:
        found = self.stream(rows_stream_id(account_id))
        assert isinstance(found, ImportedRows)
        return found

    def statement_import(self, import_id: str) -> Import:
        found = self.stream(import_stream_id(import_id))
        assert isinstance(found, Import)
        return found

    def reconciliation(self, account_id: str) -> Reconciliation:
        found = self.stream(reconciled_stream_id(account_id))
        assert isinstance(found, Reconciliation)
        return found

    @property
    def chart(self) -> Chart:
        found = self.stream(STREAM_ID)
        assert isinstance(found, Chart)
        return found

    @property
    def accounts(self) -> dict[str, Account]:
        """The accounts by id."""
        return {a.id: a for a in self.streams.values() if isinstance(a, Account)}

    @property
    def entries(self) -> dict[str, Entry]:
        """The entries by id."""
        return {e.id: e for e in self.streams.values() if isinstance(e, Entry)}
