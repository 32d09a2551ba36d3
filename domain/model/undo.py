"""Undo and redo: the events that compensate a recorded change, and the marks that say so.

A change (one command's events) is taken back by new events, never by removing any: a
posting is voided on its own date, a void is posted again as a new entry (id
``<undo command id>.<index of the void in the change>``, so later undos can follow it), an
opening is closed, a rename renamed back, a closing reopened, a reconciliation reopened and
an import undone by the import's own rule. A redo compensates the undo's compensations the
same way. The stream ``undo-<command id>`` of each change taken back holds its marks: odd
versions mean undone, even ones redone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

from domain.model import import_undo
from domain.model.accounts import Account
from domain.model.chart import Chart
from domain.model.commands import (
    CloseAccount,
    MoveAccount,
    Reconcile,
    RenameAccount,
    UndoImport,
    VoidEntry,
)
from domain.model.entries import Entry, as_command
from domain.model.errors import UndoRefused
from domain.model.events import (
    AccountClosed,
    AccountMoved,
    AccountOpened,
    AccountReconciled,
    AccountRenamed,
    AccountReopened,
    CommandRedone,
    CommandUndone,
    EntryPosted,
    EntryVoided,
    Event,
    ImportedRow,
    ImportRestored,
    ImportUndone,
    ReconciliationReopened,
    StatementImported,
)
from domain.model.imports import Import, ImportedRows
from domain.model.money import Money
from domain.model.reconciliation import UNDONE, Reconciliation, reopenings

PREFIX = "undo-"
REASON = "undone"
"""The reason an undo's voids give (the CommandUndone beside them names the change)."""


def stream_id(command_id: str) -> str:
    """The stream of the marks of the change ``command_id`` recorded."""
    return f"{PREFIX}{command_id}"


def reposted_id(command_id: str, index: int) -> str:
    """The id of the entry command ``command_id`` posts again for the void at ``index`` of
    the change it compensates."""
    return f"{command_id}.{index}"


@dataclass(slots=True)
class UndoMark:
    """Whether a change is undone now: an odd number of marks (undo, redo, undo, …)."""

    command_id: str
    version: int = 0

    def apply(self, event: Event) -> None:
        if not isinstance(event, CommandUndone | CommandRedone):
            raise ValueError(f"{type(event).__name__} does not belong to an undo stream")
        self.version += 1

    @property
    def undone(self) -> bool:
        return self.version % 2 == 1

    def copy(self) -> UndoMark:
        return UndoMark(self.command_id, self.version)

    def to_snapshot(self) -> dict[str, Any]:
        return {"command_id": self.command_id, "version": self.version}

    @classmethod
    def from_snapshot(cls, state: dict[str, object]) -> UndoMark:
        return cls(str(state["command_id"]), int(str(state["version"])))


@dataclass(frozen=True, slots=True)
class Change:
    """One command's events as recorded (positions ``first`` to ``last``), and by whom."""

    command_id: str
    first: int
    last: int
    author: str
    app_version: str
    events: tuple[Event, ...]
    streams: frozenset[str] = frozenset()  # every stream its events are in
    partial: bool = False  # only the first and last of a long change's events (not to undo)

    @property
    def marker(self) -> CommandUndone | CommandRedone | None:
        """The undo's or redo's mark, if this change is one (always its last event)."""
        last = self.events[-1] if self.events else None
        return last if isinstance(last, CommandUndone | CommandRedone) else None


class Books(Protocol):
    """What the rules load (the command handlers' aggregates)."""

    def account(self, account_id: str) -> Account: ...
    def entry(self, entry_id: str) -> Entry: ...
    def statement_import(self, import_id: str) -> Import: ...
    def imported_rows(self, account_id: str) -> ImportedRows: ...
    def reconciliation(self, account_id: str) -> Reconciliation: ...
    @property
    def chart(self) -> Chart: ...


CurrentEntry = Callable[[str], str | None]
"""Entry id -> the id of the entry that carries its postings now: itself, or the entry an
undo posted again after the change that voided it was undone (None: voided for good)."""


class _Scratch:
    """Copies of the aggregates one compensation changes, kept up to date event by event (the
    handlers' own are changed by the service once the events are stored)."""

    def __init__(self, books: Books) -> None:
        self.books = books
        self.accounts: dict[str, Account] = {}
        self.entries: dict[str, Entry] = {}
        self.events: list[Event] = []

    def account(self, account_id: str) -> Account:
        if account_id not in self.accounts:
            self.accounts[account_id] = self.books.account(account_id).copy()
        return self.accounts[account_id]

    def entry(self, entry_id: str) -> Entry:
        if entry_id not in self.entries:
            self.entries[entry_id] = self.books.entry(entry_id).copy()
        return self.entries[entry_id]

    def accounts_of(self, entry: Entry | EntryPosted) -> dict[str, Account]:
        return {p.account_id: self.account(p.account_id) for p in entry.postings}

    def record(self, events: Iterable[Event]) -> None:
        for event in events:
            self.events.append(event)
            if isinstance(event, EntryPosted | EntryVoided):
                self.entry(event.entry_id).apply(event)
                for account_id in dict.fromkeys(p.account_id for p in event.postings):
                    self.account(account_id).apply(event)
            elif isinstance(event, AccountClosed | AccountReopened | AccountRenamed):
                self.account(event.account_id).apply(event)


def compensate(change: Change, command_id: str, books: Books, current: CurrentEntry) -> list[Event]:
    """The events that take ``change`` back, decided by the rules that would decide them as
    commands (an account's funds, its dates, unique names); UndoRefused where none can."""
    events = change.events
    undone_import = next((e for e in events if isinstance(e, ImportUndone)), None)
    if undone_import is not None:  # its entries come back, and its rows are its own again
        return _import_again(undone_import, events, command_id, books)
    imported = next((e for e in events if isinstance(e, StatementImported | ImportRestored)), None)
    if imported is not None:  # its entries are taken back by the import's own rule
        undo = UndoImport(import_id=imported.import_id, reason=REASON)
        found = books.statement_import(imported.import_id)
        cleared = books.reconciliation(found.account_id) if found.exists else None
        return import_undo.undo_import(undo, found, books.account, books.entry, cleared)
    scratch = _Scratch(books)
    first_opened = next((e for e in events if isinstance(e, AccountOpened)), None)
    reopened: list[ReconciliationReopened] = []
    for index in range(len(events) - 1, -1, -1):
        event = events[index]
        if isinstance(event, EntryPosted):
            _void_again(event, scratch, current)
        elif isinstance(event, EntryVoided):
            _post_again(event, reposted_id(command_id, index), scratch)
        elif isinstance(event, AccountOpened):
            _close_opened(event, scratch, alone=event is first_opened)
        elif isinstance(event, AccountRenamed):
            back = RenameAccount(account_id=event.account_id, new_name=event.old_name)
            scratch.record(scratch.account(event.account_id).rename(back, books.chart))
        elif isinstance(event, AccountMoved):  # back under its old parent, by the tree's rules
            move = MoveAccount(account_id=event.account_id, new_parent_id=event.old_parent_id)
            scratch.record(scratch.account(event.account_id).move(move, books.chart))
        elif isinstance(event, AccountClosed):
            scratch.record(scratch.account(event.account_id).reopen())
        elif isinstance(event, AccountReopened):
            close = CloseAccount(account_id=event.account_id, closed_on=event.closed_on)
            scratch.record(scratch.account(event.account_id).close(close))
        elif isinstance(event, AccountReconciled):
            scratch.record(_unreconcile(event, books.reconciliation(event.account_id)))
        elif isinstance(event, ReconciliationReopened) and event.how == UNDONE:
            reopened.append(event)
        # a reopening a void or back-dated entry brought along is not taken back by itself:
        # the compensating entries bring their own (below); the marks are not compensated
    if reopened:
        scratch.record(_reconcile_again(reopened, scratch, books))
    return reopenings(scratch.events, books.reconciliation)


def _void_again(posted: EntryPosted, scratch: _Scratch, current: CurrentEntry) -> None:
    entry_id = current(posted.entry_id)
    if entry_id is None:
        entry = scratch.entry(posted.entry_id)
        raise UndoRefused(f"the {entry.describe()} was voided since, by a change still in force")
    entry = scratch.entry(entry_id)
    void = VoidEntry(entry_id=entry.id, voided_on=entry.booking_date, reason=REASON)
    # on the entry's own day: it takes back a row already there, as a correction's void does
    scratch.record(entry.void(void, scratch.accounts_of(entry), dated=False))


def _import_again(
    undone: ImportUndone, events: Sequence[Event], command_id: str, books: Books
) -> list[Event]:
    """The redo of an undone import: the entries its undo voided posted again (new ids),
    and an ImportRestored that gives the import back its rows and links. Refused when a
    later import took any of those rows (the duplicate rule would count them twice)."""
    found = books.statement_import(undone.import_id)
    if not found.undone:
        raise UndoRefused(f"the import of {found.file_name!r} is in force already")
    claimed = books.imported_rows(undone.account_id).keys
    taken = [row for row in (*undone.voided, *undone.unlinked) if row.key in claimed]
    if taken:
        raise UndoRefused(
            f"line {taken[0].line} of {found.file_name!r} was imported again since, by another "
            "import: undo that one first"
        )
    scratch = _Scratch(books)
    rows = {row.entry_id: row for row in undone.voided}
    restored: list[ImportedRow] = []
    for index, event in enumerate(events):
        if isinstance(event, EntryVoided) and event.entry_id in rows:
            new_id = reposted_id(command_id, index)
            _post_again(event, new_id, scratch)
            restored.append(replace(rows[event.entry_id], entry_id=new_id))
    again = ImportRestored(import_id=undone.import_id, account_id=undone.account_id,
                           restored=tuple(restored), relinked=undone.unlinked)  # fmt: skip
    return reopenings([*scratch.events, again], books.reconciliation)


def _post_again(voided: EntryVoided, new_id: str, scratch: _Scratch) -> None:
    original = scratch.entry(voided.entry_id)
    again = replace(as_command(original), entry_id=new_id)
    new = scratch.entry(new_id)
    # the row the books had before, on its own day: not a new entry to date
    scratch.record(new.post(again, scratch.accounts_of(original), dated=False))


def _close_opened(opened: AccountOpened, scratch: _Scratch, *, alone: bool) -> None:
    """Close an account the change opened; an Opening Balances account it opened beside
    stays open while other accounts' openings are on it."""
    account = scratch.account(opened.account_id)
    if not alone and account.balance != 0:
        return
    day = max(account.opening_date, account.last_day)
    scratch.record(account.close(CloseAccount(account_id=account.id, closed_on=day)))


def _unreconcile(event: AccountReconciled, state: Reconciliation) -> list[Event]:
    return [
        ReconciliationReopened(
            event.account_id, event.statement_date, cleared.entry_id, UNDONE, cleared.amount
        )
        for cleared in event.entries
        if cleared.entry_id in state.entries
    ]


def _reconcile_again(
    reopened: Sequence[ReconciliationReopened], scratch: _Scratch, books: Books
) -> list[Event]:
    first = reopened[0]
    account = scratch.account(first.account_id)
    state = books.reconciliation(first.account_id)
    balance = state.balance + sum(r.amount for r in reopened)
    natural = Money(account.account_type.sign * balance, account.currency).amount
    again = Reconcile(
        account_id=account.id,
        statement_date=first.statement_date,
        balance=natural,
        entry_ids=tuple(r.entry_id for r in reopened),
    )
    return state.reconcile(again, account, scratch.entry)


def undone_mark(change: Change, compensations: int, summary: str) -> CommandUndone:
    """The mark an undo of ``change`` records after its ``compensations`` events."""
    return CommandUndone(
        undone_command_id=change.command_id,
        first_position=change.first,
        last_position=change.last,
        compensations=compensations,
        summary=summary,
    )


def redone_mark(undo: Change, redone: str, compensations: int, summary: str) -> CommandRedone:
    """The mark a redo of the undo ``undo`` (of the change ``redone``) records."""
    return CommandRedone(
        undo_command_id=undo.command_id,
        redone_command_id=redone,
        first_position=undo.first,
        last_position=undo.last,
        compensations=compensations,
        summary=summary,
    )
