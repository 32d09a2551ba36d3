"""BookService: runs commands against the aggregates and appends what they decide.

Each call is one store transaction: load the aggregates (from a cache checked against the
store's stream versions, else from a snapshot plus the events after it), decide, append with
the expected version of every stream touched, and let the projectors update the read models
in the same transaction. The cache only ever holds committed state.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from domain.model import accounts, chart, entries, opening
from domain.model.accounts import Account, require_exists, require_id
from domain.model.chart import Chart
from domain.model.commands import (
    CloseAccount,
    Command,
    CorrectEntry,
    Deposit,
    OpenAccount,
    PostSplitEntry,
    RenameAccount,
    Transfer,
    VoidEntry,
    Withdraw,
    fingerprint,
)
from domain.model.entries import Entry
from domain.model.errors import (
    ConcurrencyError,
    DomainError,
    InvalidCommand,
    StoreError,
    UnknownEntry,
)
from domain.model.events import (
    AccountClosed,
    AccountOpened,
    AccountRenamed,
    EntryPosted,
    EntryVoided,
    Event,
    from_data,
    to_data,
)
from domain.store.base import EventStore, Metadata, NewEvent, Snapshot, StoredEvent

log = logging.getLogger(__name__)

SNAPSHOT_EVERY = 200
"""Write a snapshot of a stream once it has grown this many versions past the last one."""

RETRIES = 3
"""How often a command is retried after another process won the race for a stream."""

Aggregate = Account | Chart | Entry


class Projector(Protocol):
    """Anything that keeps a read model current from newly stored events."""

    def apply(self, events: Sequence[StoredEvent]) -> None: ...


@dataclass(frozen=True, slots=True)
class _Kind:
    """How to make, snapshot and restore the aggregate of one kind of stream."""

    blank: Callable[[str], Aggregate]
    restore: Callable[[dict[str, object]], Aggregate]
    snapshot_version: str
    long_lived: bool  # snapshotted and cached; an entry stream holds at most two events


_ACCOUNT = _Kind(
    lambda sid: Account(sid.removeprefix("account-")),
    Account.from_snapshot,
    accounts.SNAPSHOT_VERSION,
    long_lived=True,
)
_CHART = _Kind(lambda _: Chart(), Chart.from_snapshot, chart.SNAPSHOT_VERSION, long_lived=True)
# an entry stream never holds more than two events: loading it is as cheap as a cache check,
# and caching every entry of a large import would only grow memory
_ENTRY = _Kind(
    lambda sid: Entry(sid.removeprefix("entry-")),
    Entry.from_snapshot,
    entries.SNAPSHOT_VERSION,
    long_lived=False,
)


def _kind(stream_id: str) -> _Kind:
    if stream_id == chart.STREAM_ID:
        return _CHART
    return _ACCOUNT if stream_id.startswith("account-") else _ENTRY


def streams_of(event: Event) -> tuple[str, tuple[str, ...]]:
    """(primary stream, linked streams) of a domain event."""
    if isinstance(event, AccountOpened | AccountRenamed | AccountClosed):
        return accounts.stream_id(event.account_id), (chart.STREAM_ID,)
    if isinstance(event, EntryPosted | EntryVoided):
        linked = dict.fromkeys(accounts.stream_id(p.account_id) for p in event.postings)
        return entries.stream_id(event.entry_id), tuple(linked)
    raise TypeError(f"no stream for {type(event).__name__}")


@dataclass
class _Work:
    """The aggregates one transaction loaded: copies, merged into the cache only on commit."""

    loaded: dict[str, Aggregate] = field(default_factory=dict)
    snapshot_at: dict[str, int] = field(default_factory=dict)


class BookService:
    """The application service: the one way commands become events."""

    def __init__(
        self,
        store: EventStore,
        *,
        author: str = "",
        app_version: str = "",
        projectors: Iterable[Projector] = (),
        snapshot_every: int = SNAPSHOT_EVERY,
    ) -> None:
        self.store = store
        self.snapshot_every = snapshot_every
        self.author = author
        self.app_version = app_version
        self.projectors: tuple[Projector, ...] = tuple(projectors)
        self._cache: dict[str, Aggregate] = {}
        self._snapshot_at: dict[str, int] = {}

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
            work = _Work()
            began = False
            try:
                with self.store.transaction():
                    began = True
                    result = self._run_in_transaction(commands, correlation_id, work, numbered)
            except ConcurrencyError:
                # A stream moved between our read and our write: start afresh. (If the store
                # gave up waiting for another writer's lock, it already waited long enough.)
                self._cache.clear()
                self._snapshot_at.clear()
                if attempt == RETRIES or not began:
                    raise
                log.info("concurrent append; retrying (attempt %d)", attempt + 2)
                continue
            self._remember(work)
            return result
        raise AssertionError("unreachable")

    def _run_in_transaction(
        self, commands: list[Command], correlation_id: str, work: _Work, numbered: bool
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
        self._save_snapshots(work)
        return stored_all

    def _execute_one(
        self, command: Command, correlation_id: str, work: _Work
    ) -> tuple[list[StoredEvent], bool]:
        require_id(command.command_id, "command_id")
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
        events = self._decide(command, work)
        new_events: list[NewEvent] = []
        expected: dict[str, int] = {}
        touched: list[tuple[Event, tuple[Aggregate, ...]]] = []
        loaded = work.loaded
        for event in events:
            primary, linked = streams_of(event)
            streams = (primary, *linked)
            for stream_id in streams:
                expected.setdefault(stream_id, loaded[stream_id].version)
            new_events.append(
                NewEvent(primary, event.type_name(), event.schema_version, to_data(event), linked)
            )
            touched.append((event, tuple(loaded[stream_id] for stream_id in streams)))
        stored = self.store.append(new_events, expected, metadata)
        for event, aggregates in touched:
            for aggregate in aggregates:
                aggregate.apply(event)
        return stored, True

    def _decide(self, command: Command, work: _Work) -> list[Event]:
        if isinstance(command, OpenAccount | RenameAccount | CloseAccount):
            account = self._account(require_id(command.account_id, "account_id"), work)
            names = self._chart(work)  # every account event is linked into the chart
            if isinstance(command, OpenAccount):
                return opening.open_account(
                    command,
                    account,
                    names,
                    lambda account_id: self._account(account_id, work),
                    lambda entry_id: self._entry(entry_id, work),
                )
            if isinstance(command, RenameAccount):
                return account.rename(command, names)
            return account.close(command)
        if isinstance(command, Deposit | Withdraw | Transfer | PostSplitEntry):
            touched = {i: self._account(i, work) for i in entries.account_ids(command)}
            entry = self._entry(require_id(command.entry_id, "entry_id"), work)
            return entry.post(command, touched)
        if isinstance(command, VoidEntry):
            entry = self._entry(require_id(command.entry_id, "entry_id"), work)
            touched = {p.account_id: self._account(p.account_id, work) for p in entry.postings}
            return entry.void(command, touched)
        if isinstance(command, CorrectEntry):
            entry = self._entry(require_id(command.entry_id, "entry_id"), work)
            replacement = entries.replacement_of(command)
            ids = [p.account_id for p in entry.postings] + list(entries.account_ids(replacement))
            touched = {i: self._account(i, work) for i in dict.fromkeys(ids)}
            new = self._entry(require_id(replacement.entry_id, "entry_id"), work)
            return entry.correct(command, new, touched)
        raise InvalidCommand(f"{type(command).__name__} is not a command this book knows")

    # --- loading ----------------------------------------------------------------------------

    def _account(self, account_id: str, work: _Work) -> Account:
        loaded = self._load(accounts.stream_id(account_id), work)
        assert isinstance(loaded, Account)
        return loaded

    def _chart(self, work: _Work) -> Chart:
        loaded = self._load(chart.STREAM_ID, work)
        assert isinstance(loaded, Chart)
        return loaded

    def _entry(self, entry_id: str, work: _Work) -> Entry:
        loaded = self._load(entries.stream_id(entry_id), work)
        assert isinstance(loaded, Entry)
        return loaded

    def _load(self, stream_id: str, work: _Work) -> Aggregate:
        """The stream's aggregate at the store's current version (a private copy)."""
        if stream_id in work.loaded:
            return work.loaded[stream_id]
        kind = _kind(stream_id)
        current = self.store.stream_version(stream_id)
        cached = self._cache.get(stream_id)
        if cached is not None and cached.version <= current:
            aggregate = cached.copy()
            snapshot_at = self._snapshot_at.get(stream_id, 0)
        else:
            aggregate, snapshot_at = kind.blank(stream_id), 0
            snapshot = self.store.load_snapshot(stream_id) if kind.long_lived and current else None
            if (
                snapshot is not None
                and snapshot.code_version == kind.snapshot_version
                and snapshot.version <= current
            ):
                aggregate = kind.restore(dict(snapshot.state))
                snapshot_at = snapshot.version
        if aggregate.version < current:
            for stored in self.store.read_stream(stream_id, after_version=aggregate.version):
                aggregate.apply(from_data(stored.type, stored.schema_version, stored.data))
        if aggregate.version < current:
            raise StoreError(
                f"stream {stream_id} replays to version {aggregate.version}, "
                f"but the store says {current}"
            )
        work.loaded[stream_id] = aggregate
        work.snapshot_at[stream_id] = snapshot_at
        return aggregate

    def _save_snapshots(self, work: _Work) -> None:
        for stream_id, aggregate in work.loaded.items():
            kind = _kind(stream_id)
            if (
                kind.long_lived
                and aggregate.version - work.snapshot_at[stream_id] >= self.snapshot_every
            ):
                self.store.save_snapshot(
                    Snapshot(
                        stream_id, aggregate.version, kind.snapshot_version, aggregate.to_snapshot()
                    )
                )
                work.snapshot_at[stream_id] = aggregate.version

    # --- read-only loaders ------------------------------------------------------------------

    def account(self, account_id: str) -> Account:
        """An account's current state (a copy), from cache or snapshot plus the tail."""
        account = self._read(accounts.stream_id(account_id))
        assert isinstance(account, Account)
        return require_exists(account)

    def entry(self, entry_id: str) -> Entry:
        """An entry's current state (a copy)."""
        entry = self._read(entries.stream_id(entry_id))
        assert isinstance(entry, Entry)
        if not entry.exists:
            raise UnknownEntry(f"there is no entry with id {entry_id}")
        return entry

    def chart(self) -> Chart:
        """The chart of accounts (a copy): which names are taken."""
        names = self._read(chart.STREAM_ID)
        assert isinstance(names, Chart)
        return names

    def _read(self, stream_id: str) -> Aggregate:
        work = _Work()
        aggregate = self._load(stream_id, work)
        # what was read is committed (we are outside any write of ours): worth keeping
        self._remember(work)
        return aggregate.copy()

    def _remember(self, work: _Work) -> None:
        # Inside a caller's transaction nothing is committed yet and it may still roll back;
        # a later append could then bring a stream back to the cached version with other
        # events, which the version check cannot see. Only committed state is cached.
        if getattr(self.store, "in_transaction", False):
            return
        for stream_id, aggregate in work.loaded.items():
            if _kind(stream_id).long_lived:
                self._cache[stream_id] = aggregate
                self._snapshot_at[stream_id] = work.snapshot_at[stream_id]

    def forget(self) -> None:
        """Drop the cache (it is rebuilt on demand)."""
        self._cache.clear()
        self._snapshot_at.clear()
