"""BookService: runs commands against the aggregates and appends what they decide.

Each call is one store transaction: load the aggregates (from a cache checked against the
store's stream versions, else from a snapshot plus the events after it), decide, append with
the expected version of every stream touched, and let the projectors update the read models
in the same transaction. The cache only ever holds committed state.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import Protocol

from domain.application.handlers import COMMANDS
from domain.application.loading import AggregateLoader, Work
from domain.application.streams import Aggregate, streams_of
from domain.model import accounts, chart, entries
from domain.model.accounts import Account, require_exists, require_id
from domain.model.chart import Chart
from domain.model.commands import Command, fingerprint
from domain.model.entries import Entry
from domain.model.errors import ConcurrencyError, DomainError, UnknownEntry
from domain.model.events import Event, to_data
from domain.store.base import EventStore, Metadata, NewEvent, StoredEvent

log = logging.getLogger(__name__)

SNAPSHOT_EVERY = 200
"""Write a snapshot of a stream once it has grown this many versions past the last one."""

RETRIES = 3
"""How often a command is retried after another process won the race for a stream."""


class EventSubscriber(Protocol):
    """Anything that keeps a read model current from newly stored events, in the
    transaction that stores them."""

    def apply(self, events: Sequence[StoredEvent]) -> None: ...


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

    # --- commands ---------------------------------------------------------------------------

    def execute(self, command: Command, *, correlation_id: str = "") -> list[StoredEvent]:
        """Run one command; return its stored events (those of the first run, if retried).

        Raises the command's DomainError and appends nothing if it breaks a rule.
        """
        return self._run([command], correlation_id, numbered=False)

    def execute_batch(
        self, commands: Sequence[Command], *, correlation_id: str = ""
    ) -> list[StoredEvent]:
        """Run commands in one transaction: all are stored, or none.

        A failure raises the same DomainError class with "command N (Type): " prefixed,
        N counting from 1.
        """
        return self._run(list(commands), correlation_id, numbered=True)

    def _run(
        self, commands: list[Command], correlation_id: str, *, numbered: bool
    ) -> list[StoredEvent]:
        for attempt in range(RETRIES + 1):
            work = self._aggregates.begin()
            began = False
            try:
                with self.store.transaction():
                    began = True
                    result = self._run_in_transaction(commands, correlation_id, work, numbered)
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
            return result
        raise AssertionError("unreachable")

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
        new_events: list[NewEvent] = []
        expected: dict[str, int] = {}
        touched: list[tuple[Event, tuple[Aggregate, ...]]] = []
        load = self._aggregates.load
        for event in events:
            primary, linked = streams_of(event)
            streams = (primary, *linked)
            # a stream the handler did not load (one the event is only linked into) is
            # loaded here, so that it too is appended at the version it is at
            aggregates = tuple(load(stream_id, work) for stream_id in streams)
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
        """The chart of accounts (a copy): which names are taken."""
        names = self._aggregates.read(chart.STREAM_ID)
        assert isinstance(names, Chart)
        return names
