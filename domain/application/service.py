"""BookService: runs commands against the aggregates and appends what they decide.

Each call is one store transaction: load the aggregates (from a cache checked against the
store's stream versions, else from a snapshot plus the events after it), decide, append with
the expected version of every stream touched, and let the projectors update the read models
in the same transaction. The cache only ever holds committed state.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Protocol

from domain.application.commit_check import acknowledging_stored
from domain.application.handlers import COMMANDS
from domain.application.loading import AggregateLoader, Work
from domain.application.streams import Aggregate, streams_of
from domain.application.undo_stack import ChangeLog, Stacks
from domain.model import accounts, chart, entries, imports
from domain.model.accounts import Account, require_exists
from domain.model.chart import Chart
from domain.model.commands import Command, fingerprint
from domain.model.entries import Entry
from domain.model.errors import (
    CommandIdReused,
    ConcurrencyError,
    DomainError,
    UnknownAccount,
    UnknownEntry,
)
from domain.model.events import Event, ImportedRow, from_data, to_data
from domain.model.guards import MAX_NAME, require_id
from domain.model.imports import Import, ImportedRows, import_id_of
from domain.model.limits import check_balances
from domain.model.reconciliation import Reconciliation
from domain.model.reconciliation import stream_id as reconciled_stream
from domain.store.base import EventStore, Metadata, NewEvent, StoredEvent

log = logging.getLogger(__name__)

SNAPSHOT_EVERY = 200
"""Write a snapshot of a stream once it has grown this many versions past the last one."""

RETRIES = 3
"""How often a command is retried after another process won the race for a stream."""

Resolve = Callable[[str], str]
"""Account name -> id (raises a DomainError for a name no account has)."""
Build = Callable[[Resolve], Command]
"""Makes a command whose accounts were given by name, through the resolver it is handed."""


class EventSubscriber(Protocol):
    """Anything that keeps a read model current from newly stored events, in the
    transaction that stores them."""

    def apply(self, events: Sequence[StoredEvent]) -> None: ...


class _Group:
    """A group's state: the aggregates its commands share, and their new events."""

    __slots__ = ("fresh", "work")

    def __init__(self, work: Work) -> None:
        self.work = work
        self.fresh: list[StoredEvent] = []


class BookService:
    """The application service: the one way commands become events."""

    def __init__(
        self,
        store: EventStore,
        *,
        author: str = "",
        app_version: str = "",
        projectors: Iterable[EventSubscriber] = (),
        snapshot_every: int = SNAPSHOT_EVERY,
    ) -> None:
        self.store = store
        self.author = author
        self.app_version = app_version
        self.projectors: tuple[EventSubscriber, ...] = tuple(projectors)
        self._aggregates = AggregateLoader(store, snapshot_every)
        self._aggregates.changes = ChangeLog(
            store, lambda: (self.author, self.app_version), self._account_name
        )
        self._group: _Group | None = None

    # --- commands ---------------------------------------------------------------------------

    def execute(self, command: Command, *, correlation_id: str = "") -> list[StoredEvent]:
        """Run one command; return its stored events (those of the first run, if retried).

        Raises the command's DomainError and appends nothing if it breaks a rule.
        """
        if self._group is not None:
            return self._run_in_group(self._group, lambda _work: [command], correlation_id)[1]
        return self._run(lambda _work: [command], correlation_id, numbered=False)[1]

    def execute_named(
        self, build: Build, *, command_id: str | None = None, correlation_id: str = ""
    ) -> tuple[Command, list[StoredEvent]]:
        """Run the command ``build`` makes from account names; return it and its events.

        Names are resolved in the command's own transaction. A ``command_id`` (the one
        ``build`` gives its command) that ran before is looked up first, and names are then
        resolved as they stood when it ran: a retry answers with the first run's events even
        if an account was renamed since (and CommandIdReused if it names other accounts).
        """
        if command_id is not None:
            require_id(command_id, "command_id")

        def make(work: Work) -> list[Command]:
            previous = self.store.append([], {}, Metadata(command_id)) if command_id else []
            if previous:
                resolve = self._names_before(previous[0].position, command_id or "")
            else:  # the chart is loaded only if a name is given
                resolve = _resolver(lambda: work.chart)
            command = build(resolve)
            if command_id is not None and command.command_id != command_id:
                raise ValueError(f"build made command {command.command_id}, not {command_id}")
            return [command]

        if self._group is not None:
            commands, events = self._run_in_group(self._group, make, correlation_id)
        else:
            commands, events = self._run(make, correlation_id, numbered=False)
        return commands[0], events

    def execute_batch(
        self, commands: Sequence[Command], *, correlation_id: str = ""
    ) -> list[StoredEvent]:
        """Run commands in one transaction: all are stored, or none.

        A failure raises the same DomainError class with "command N (Type): " prefixed,
        N counting from 1.
        """
        batch = list(commands)
        return self._run(lambda _work: batch, correlation_id, numbered=True)[1]

    @contextlib.contextmanager
    def group(self) -> Iterator[None]:
        """Run the commands executed inside in one store transaction, committed (and made
        durable) once at the end: group commit.

        Each command still runs in a savepoint of its own and stays atomic: a refused one
        appends nothing and leaves no state behind, and the next sees exactly what the earlier
        ones wrote (a command id sent again answers as its first run). As in a batch, the
        aggregates stay loaded from one command to the next and the projectors get the
        group's new events once, at its end, in its transaction. Nothing is committed, and
        nothing may be acknowledged, before the block ends; if the commit fails, none of the
        group's commands is stored (or all are, when only the read-model cache failed:
        :mod:`domain.application.commit_check`).
        """
        if self._group is not None or getattr(self.store, "in_transaction", False):
            raise RuntimeError("a group is a transaction of its own; it cannot be nested")
        group = self._group = _Group(self._aggregates.begin())
        try:
            with acknowledging_stored(self.store, group.fresh), self.store.transaction():
                yield
                if group.fresh:
                    for projector in self.projectors:
                        projector.apply(group.fresh)
                self._aggregates.save_snapshots(group.work)
        finally:
            self._group = None
        self._aggregates.remember(group.work)

    def _run_in_group(
        self, group: _Group, make: Callable[[Work], list[Command]], correlation_id: str
    ) -> tuple[list[Command], list[StoredEvent]]:
        for attempt in range(RETRIES + 1):
            try:
                with self.store.transaction():  # a savepoint: this command's alone
                    commands = make(group.work)
                    (command,) = commands
                    stored, is_new = self._execute_one(command, correlation_id, group.work)
            except BaseException as exc:
                # rolled back to the savepoint; the aggregates may hold what it decided or
                # applied: load them afresh (from the cache and the store, as they now are)
                group.work = self._aggregates.begin()
                if isinstance(exc, ConcurrencyError) and attempt < RETRIES:
                    continue
                raise
            if is_new:
                group.fresh.extend(stored)
            return commands, stored
        raise AssertionError("unreachable")

    def _run(
        self, make: Callable[[Work], list[Command]], correlation_id: str, *, numbered: bool
    ) -> tuple[list[Command], list[StoredEvent]]:
        """The commands ``make`` gives, in one transaction (made afresh on each retry)."""
        for attempt in range(RETRIES + 1):
            work = self._aggregates.begin()
            began, result = False, list[StoredEvent]()
            try:
                with acknowledging_stored(self.store, result), self.store.transaction():
                    began = True
                    commands = make(work)
                    result += self._run_in_transaction(commands, correlation_id, work, numbered)
            except DomainError:
                # refused, and rolled back: what was loaded and not changed is committed
                # state, worth keeping (a long stream need not be replayed for each refusal)
                self._aggregates.remember(work, unchanged_only=True)
                raise
            except ConcurrencyError:
                # A stream moved between our read and our write: start afresh. (If the store
                # gave up waiting for another writer's lock, it already waited long enough.)
                self._aggregates.forget()
                if attempt == RETRIES or not began:
                    raise
                log.info("concurrent append; retrying (attempt %d)", attempt + 2)
                continue
            self._aggregates.remember(work)
            return commands, result
        raise AssertionError("unreachable")

    def _names_before(self, position: int, command_id: str) -> Resolve:
        """Names as they stood before ``position``, where ``command_id`` ran: its retry must
        name the accounts it named then (or it is another command)."""
        then = Chart()
        for stored in self.store.read_stream(chart.STREAM_ID):
            if stored.position >= position:
                break
            then.apply(from_data(stored.type, stored.schema_version, stored.data))

        def resolve(name: str) -> str:
            account_id = then.id_for(name)
            if account_id is None:
                raise CommandIdReused(
                    f"command id {command_id!r} was already used, for another command: no "
                    f"account was named {_quoted(name)} when it ran (event {position}); "
                    "nothing was written: give this one a new id"
                )
            return account_id

        return resolve

    def _run_in_transaction(
        self, commands: list[Command], correlation_id: str, work: Work, numbered: bool
    ) -> list[StoredEvent]:
        stored_all: list[StoredEvent] = []
        fresh: list[StoredEvent] = []
        for number, command in enumerate(commands, start=1):
            try:
                stored, is_new = self._execute_one(command, correlation_id, work)
            except DomainError as exc:
                if not numbered:
                    raise
                raise type(exc)(
                    f"command {number} ({type(command).__name__}): {exc.message}"
                ) from exc
            stored_all.extend(stored)
            if is_new:
                fresh.extend(stored)
        if fresh:
            for projector in self.projectors:
                projector.apply(fresh)
        self._aggregates.save_snapshots(work)
        return stored_all

    def _execute_one(
        self, command: Command, correlation_id: str, work: Work
    ) -> tuple[list[StoredEvent], bool]:
        require_id(command.command_id, "command_id")
        spec = COMMANDS.spec_for(command)  # an unknown command is refused before any read
        metadata = Metadata(
            command_id=command.command_id,
            correlation_id=correlation_id,
            author=self.author,
            app_version=self.app_version,
            fingerprint=fingerprint(command),
        )
        # An empty append returns the events stored under this command id (the contract's
        # idempotency rule) and writes nothing: every command stores at least one event, so
        # a non-empty answer means a retry, answered without deciding again.
        previous = self.store.append([], {}, metadata)
        if previous:
            return previous, False
        events = spec.decide(command, work)
        check_balances(events, work.account)  # before any stream moves: nothing is written
        new_events: list[NewEvent] = []
        expected: dict[str, int] = {}
        touched: list[tuple[Event, tuple[Aggregate, ...]]] = []
        load, loaded = self._aggregates.load, work.loaded
        for event in events:
            primary, linked = streams_of(event)
            streams = (primary, *linked)
            # a stream the handler did not load (one the event is only linked into) is
            # loaded here, so that it too is appended at the version it is at
            aggregates = tuple([loaded.get(s) or load(s, work) for s in streams])
            for stream_id, aggregate in zip(streams, aggregates, strict=True):
                expected.setdefault(stream_id, aggregate.version)
            new_events.append(
                NewEvent(primary, event.type_name(), event.schema_version, to_data(event), linked)
            )
            touched.append((event, aggregates))
        stored = self.store.append(new_events, expected, metadata)
        for event, aggregates in touched:
            for aggregate in aggregates:
                aggregate.apply(event)
        work.changed.update(expected)
        return stored, True

    def preview(self, command: Command) -> list[Event]:
        """The events ``command`` would append now, by every rule; nothing is written (a
        dry run: the book may be open read-only). Raises the command's DomainError."""
        require_id(command.command_id, "command_id")
        work = self._aggregates.begin()
        events = COMMANDS.spec_for(command).decide(command, work)
        check_balances(events, work.account)
        return events

    def undo_stacks(self, locale: str | None = None) -> Stacks:
        """What Undo and Redo would take back now, for this service's author and program."""
        changes = self._aggregates.changes
        assert changes is not None
        return changes.stacks(locale)

    def _account_name(self, account_id: str) -> str:
        found = self._aggregates.read(accounts.stream_id(account_id))
        return found.name if isinstance(found, Account) and found.name else account_id

    # --- read-only loaders ------------------------------------------------------------------

    def account(self, account_id: str) -> Account:
        """An account's current state (a copy), from cache or snapshot plus the tail."""
        account = self._aggregates.read(accounts.stream_id(account_id))
        assert isinstance(account, Account)
        return require_exists(account)

    def entry(self, entry_id: str) -> Entry:
        """An entry's current state (a copy)."""
        entry = self._aggregates.read(entries.stream_id(entry_id))
        assert isinstance(entry, Entry)
        if not entry.exists:
            raise UnknownEntry(f"there is no entry with id {entry_id}")
        return entry

    def chart(self) -> Chart:
        """The chart of accounts (a copy): which names are taken (in a group: after its
        commands so far)."""
        if self._group is not None:
            return self._group.work.chart.copy()
        names = self._aggregates.read(chart.STREAM_ID)
        assert isinstance(names, Chart)
        return names

    def imported_rows(self, account_id: str) -> ImportedRows:
        """The keys of the statement rows imported into an account (a copy)."""
        rows = self._aggregates.read(imports.rows_stream_id(account_id))
        assert isinstance(rows, ImportedRows)
        return rows

    def statement_import(self, import_id: str) -> Import:
        """An import's state (a copy; ``exists`` is False for an id no import has)."""
        found = self._aggregates.read(imports.import_stream_id(import_id))
        assert isinstance(found, Import)
        return found

    def reconciliation(self, account_id: str) -> Reconciliation:
        """An account's reconciled entries and balance (a copy)."""
        found = self._aggregates.read(reconciled_stream(account_id))
        assert isinstance(found, Reconciliation)
        return found

    def provenance(self, entry_id: str) -> ImportedRow | None:
        """Where an entry came from: its statement row, or None for an entry not imported."""
        import_id = import_id_of(entry_id)
        return None if import_id is None else self.statement_import(import_id).row_of(entry_id)


def _resolver(names: Callable[[], Chart]) -> Resolve:
    """Account name -> id by the chart's current names."""

    def resolve(name: str) -> str:
        account_id = names().id_for(name)
        if account_id is None:
            raise UnknownAccount(f"there is no account named {_quoted(name)}")
        return account_id

    return resolve


def _quoted(name: str) -> str:
    """A name as a message quotes it: no account's name is longer than this shows."""
    return repr(name) if len(name) <= MAX_NAME else f"{name[:MAX_NAME]!r}… ({len(name)} characters)"
