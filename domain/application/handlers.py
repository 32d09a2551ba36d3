"""The command registry: every command type, its name, and the handler that decides it.

A handler loads the aggregates its command needs through :class:`Aggregates` and asks them to
decide; it returns the events, which the service appends to the streams
:func:`~domain.application.streams.streams_of` names. Each command type is registered once,
here, with ``@handles(CommandType, name=...)``; ``name`` is what front ends call it (the CLI's
``{"command": "deposit"}``, and the order of its help).

Adding a command:

1. its frozen dataclass in :mod:`domain.model.commands` (fields naming an existing account
   typed :data:`~domain.model.commands.AccountRef`, ids of what it creates ``created_id()``);
2. the rule, on the aggregate that decides it (:mod:`domain.model`);
3. its handler here: ``@handles(NewCommand, name="new_command")``.

The CLI takes it from the registry and the dataclass's type hints. A new event type also
needs its streams (``@routes`` in :mod:`domain.application.streams`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from domain.model import entries, import_undo, importing, opening, undo
from domain.model.accounts import Account, require_id
from domain.model.chart import Chart
from domain.model.commands import (
    CloseAccount,
    Command,
    CorrectEntry,
    Deposit,
    ImportStatement,
    MoveAccount,
    OpenAccount,
    PostSplitEntry,
    Reconcile,
    RedoChange,
    RenameAccount,
    Transfer,
    UndoChange,
    UndoImport,
    VoidEntry,
    Withdraw,
)
from domain.model.entries import Entry, EntryCommand
from domain.model.errors import InvalidCommand, UndoRefused
from domain.model.events import Event
from domain.model.imports import Import, ImportedRows
from domain.model.reconciliation import Reconciliation, reopenings
from domain.model.undo import UndoMark

if TYPE_CHECKING:
    from domain.application.undo_stack import ChangeLog, Step


class Aggregates(Protocol):
    """Where a handler loads aggregates from: each at its stream's current version, one
    instance per stream for the whole transaction (an id no stream has gives a blank one)."""

    def account(self, account_id: str) -> Account: ...
    def entry(self, entry_id: str) -> Entry: ...
    def imported_rows(self, account_id: str) -> ImportedRows: ...
    def statement_import(self, import_id: str) -> Import: ...
    def reconciliation(self, account_id: str) -> Reconciliation: ...
    def undo_mark(self, command_id: str) -> UndoMark: ...
    @property
    def changes(self) -> ChangeLog:
        """The log's changes as undo sees them."""
        ...

    @property
    def chart(self) -> Chart:
        """The chart of accounts (loaded on first use)."""
        ...


C = TypeVar("C", bound=Command)
Decide = Callable[[C, Aggregates], list[Event]]


@dataclass(frozen=True, slots=True)
class CommandSpec(Generic[C]):
    """One registered command: its type, its name and its handler."""

    command_type: type[C]
    name: str
    decide: Decide[C]


class CommandRegistry:
    """Command types by type and by name, in the order they were registered."""

    def __init__(self) -> None:
        self._by_type: dict[type[Command], CommandSpec[Any]] = {}
        self._by_name: dict[str, CommandSpec[Any]] = {}

    def register(self, command_type: type[C], *, name: str, decide: Decide[C]) -> CommandSpec[C]:
        """Register a command type under ``name``; each type and each name only once."""
        if command_type in self._by_type:
            raise ValueError(f"{command_type.__name__} is already registered")
        if name in self._by_name:
            taken = self._by_name[name].command_type.__name__
            raise ValueError(f"the command name {name!r} is already {taken}'s")
        spec = CommandSpec(command_type, name, decide)
        self._by_type[command_type] = spec
        self._by_name[name] = spec
        return spec

    def handles(self, command_type: type[C], *, name: str) -> Callable[[Decide[C]], Decide[C]]:
        """Decorator form of :meth:`register`: the decorated function is the handler."""

        def decorate(decide: Decide[C]) -> Decide[C]:
            self.register(command_type, name=name, decide=decide)
            return decide

        return decorate

    def spec_for(self, command: Command) -> CommandSpec[Any]:
        """The registration of ``command``'s type; InvalidCommand if it has none."""
        spec = self._by_type.get(type(command))
        if spec is None:
            raise InvalidCommand(f"{type(command).__name__} is not a command this book knows")
        return spec

    def decide(self, command: Command, aggregates: Aggregates) -> list[Event]:
        """The events ``command`` decides, from the aggregates it loads."""
        return self.spec_for(command).decide(command, aggregates)

    def named(self, name: str) -> CommandSpec[Any] | None:
        """The command registered under ``name``, if any."""
        return self._by_name.get(name)

    def name_of(self, command_type: type[Command]) -> str:
        """The name ``command_type`` is registered under."""
        return self._by_type[command_type].name

    def __iter__(self) -> Iterator[CommandSpec[Any]]:
        return iter(self._by_name.values())

    def __len__(self) -> int:
        return len(self._by_name)


COMMANDS = CommandRegistry()
"""The commands this book knows."""
handles = COMMANDS.handles


# --- accounts ---------------------------------------------------------------------------------


@handles(OpenAccount, name="open_account")
def _open_account(command: OpenAccount, book: Aggregates) -> list[Event]:
    account = book.account(require_id(command.account_id, "account_id"))
    names = book.chart  # every account event is linked into the chart
    return opening.open_account(command, account, names, book.account, book.entry)


@handles(RenameAccount, name="rename_account")
def _rename_account(command: RenameAccount, book: Aggregates) -> list[Event]:
    account = book.account(require_id(command.account_id, "account_id"))
    return account.rename(command, book.chart)


@handles(MoveAccount, name="move_account")
def _move_account(command: MoveAccount, book: Aggregates) -> list[Event]:
    account = book.account(require_id(command.account_id, "account_id"))
    return account.move(command, book.chart)


@handles(CloseAccount, name="close_account")
def _close_account(command: CloseAccount, book: Aggregates) -> list[Event]:
    return book.account(require_id(command.account_id, "account_id")).close(command)


# --- entries ----------------------------------------------------------------------------------


def _post(command: EntryCommand, book: Aggregates) -> list[Event]:
    touched = {i: book.account(i) for i in entries.account_ids(command)}
    entry = book.entry(require_id(command.entry_id, "entry_id"))
    return reopenings(entry.post(command, touched), book.reconciliation)


handles(Deposit, name="deposit")(_post)
handles(Withdraw, name="withdraw")(_post)
handles(Transfer, name="transfer")(_post)
handles(PostSplitEntry, name="split")(_post)


@handles(VoidEntry, name="void")
def _void(command: VoidEntry, book: Aggregates) -> list[Event]:
    entry = book.entry(require_id(command.entry_id, "entry_id"))
    touched = {p.account_id: book.account(p.account_id) for p in entry.postings}
    return reopenings(entry.void(command, touched), book.reconciliation)


@handles(CorrectEntry, name="correct")
def _correct(command: CorrectEntry, book: Aggregates) -> list[Event]:
    entry = book.entry(require_id(command.entry_id, "entry_id"))
    replacement = entries.replacement_of(command)
    ids = [p.account_id for p in entry.postings] + list(entries.account_ids(replacement))
    touched = {i: book.account(i) for i in dict.fromkeys(ids)}
    new = book.entry(require_id(replacement.entry_id, "entry_id"))
    return reopenings(entry.correct(command, new, touched), book.reconciliation)


# --- bank statements --------------------------------------------------------------------------


@handles(ImportStatement, name="import_statement")
def _import_statement(command: ImportStatement, book: Aggregates) -> list[Event]:
    account_id = require_id(command.account_id, "account_id")
    decided = importing.import_statement(
        command,
        book.imported_rows(account_id),
        book.statement_import(require_id(command.import_id, "import_id")),
        book.chart,
        book.account,
        book.entry,
    )
    return reopenings(decided, book.reconciliation)


@handles(UndoImport, name="undo_import")
def _undo_import(command: UndoImport, book: Aggregates) -> list[Event]:
    found = book.statement_import(require_id(command.import_id, "import_id"))
    cleared = book.reconciliation(found.account_id) if found.exists else None
    return import_undo.undo_import(command, found, book.account, book.entry, cleared)


@handles(Reconcile, name="reconcile")
def _reconcile(command: Reconcile, book: Aggregates) -> list[Event]:
    account_id = require_id(command.account_id, "account_id")
    return book.reconciliation(account_id).reconcile(command, book.account(account_id), book.entry)


# --- undo and redo ----------------------------------------------------------------------------


def _top(step: Step | None, asked: str, what: str) -> Step:
    """The stack's top, if it is what the command names and can be taken back."""
    if step is None:
        raise UndoRefused(f"there is nothing of yours to {what}")
    if step.command_id != asked:
        raise UndoRefused(
            f"change {asked} is not the one to {what} now: that is {step.summary} "
            f"({step.command_id})"
        )
    if step.refusal:
        raise UndoRefused(f"cannot {what} {step.summary}: {step.refusal}")
    return step


@handles(UndoChange, name="undo")
def _undo(command: UndoChange, book: Aggregates) -> list[Event]:
    asked = require_id(command.undoes, "undoes")
    step = _top(book.changes.stacks().undo, asked, "undo")
    if book.undo_mark(asked).undone:  # the stacks say not; its stream's version guards it
        raise UndoRefused(f"{step.summary} was undone already")
    change = book.changes.full(step.change)
    events = undo.compensate(change, command.command_id, book, book.changes.current_entry)
    return [*events, undo.undone_mark(change, len(events), step.summary)]


@handles(RedoChange, name="redo")
def _redo(command: RedoChange, book: Aggregates) -> list[Event]:
    asked = require_id(command.redoes, "redoes")
    step = _top(book.changes.stacks().redo, asked, "redo")
    if not book.undo_mark(step.redone).undone:
        raise UndoRefused(f"{step.summary} was redone already")
    change = book.changes.full(step.change)
    events = undo.compensate(change, command.command_id, book, book.changes.current_entry)
    return [*events, undo.redone_mark(change, step.redone, len(events), step.summary)]
