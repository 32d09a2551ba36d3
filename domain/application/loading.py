"""Loading aggregates for the service: from a cache checked against the store's stream
versions, else from a snapshot plus the events after it.

The cache only ever holds committed state: what one transaction loads stays in its
:class:`Work` and is merged into the cache only once it has committed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain.application.streams import SNAPSHOT_SIZE, Aggregate, kind_of
from domain.model import accounts, chart, entries, imports, reconciliation
from domain.model.accounts import Account
from domain.model.chart import Chart
from domain.model.entries import Entry
from domain.model.errors import BrokenHistory, StoreError
from domain.model.events import from_data
from domain.model.imports import Import, ImportedRows
from domain.model.reconciliation import Reconciliation
from domain.model.undo import UndoMark
from domain.model.undo import stream_id as undo_stream
from domain.store.base import EventStore, Snapshot

if TYPE_CHECKING:
    from domain.application.undo_stack import ChangeLog


class Work:
    """The aggregates one transaction loaded: copies, merged into the cache only on commit.

    What a command handler loads its aggregates through (see
    :class:`domain.application.handlers.Aggregates`)."""

    __slots__ = ("_loader", "changed", "loaded", "snapshot_at", "snapshot_size")

    def __init__(self, loader: AggregateLoader) -> None:
        self._loader = loader
        self.loaded: dict[str, Aggregate] = {}
        self.snapshot_at: dict[str, int] = {}
        self.changed: set[str] = set()  # streams this transaction appended to
        self.snapshot_size: dict[str, int] = {}  # of a sized stream, at its last snapshot

    def account(self, account_id: str) -> Account:
        stream = accounts.stream_id(account_id)
        # loaded already, most often (a command asks for its accounts several times)
        loaded = self.loaded.get(stream) or self._loader.load(stream, self)
        assert isinstance(loaded, Account)
        return loaded

    @property
    def chart(self) -> Chart:
        """The chart of accounts, loaded on first use."""
        loaded = self._loader.load(chart.STREAM_ID, self)
        assert isinstance(loaded, Chart)
        return loaded

    def entry(self, entry_id: str) -> Entry:
        loaded = self._loader.load(entries.stream_id(entry_id), self)
        assert isinstance(loaded, Entry)
        return loaded

    def imported_rows(self, account_id: str) -> ImportedRows:
        loaded = self._loader.load(imports.rows_stream_id(account_id), self)
        assert isinstance(loaded, ImportedRows)
        return loaded

    def statement_import(self, import_id: str) -> Import:
        loaded = self._loader.load(imports.import_stream_id(import_id), self)
        assert isinstance(loaded, Import)
        return loaded

    def reconciliation(self, account_id: str) -> Reconciliation:
        stream = reconciliation.stream_id(account_id)
        loaded = self.loaded.get(stream) or self._loader.load(stream, self)
        assert isinstance(loaded, Reconciliation)
        return loaded

    def undo_mark(self, command_id: str) -> UndoMark:
        loaded = self._loader.load(undo_stream(command_id), self)
        assert isinstance(loaded, UndoMark)
        return loaded

    @property
    def changes(self) -> ChangeLog:
        """The log's changes as undo sees them (what the service set up)."""
        if self._loader.changes is None:
            raise RuntimeError("this loader has no change log: undo needs a BookService")
        return self._loader.changes


class AggregateLoader:
    """Aggregates at the store's current versions, with a cache of committed ones."""

    def __init__(self, store: EventStore, snapshot_every: int) -> None:
        self.store = store
        self.snapshot_every = snapshot_every
        self._cache: dict[str, Aggregate] = {}
        self._snapshot_at: dict[str, int] = {}
        self._snapshot_size: dict[str, int] = {}
        self.changes: ChangeLog | None = None  # set by the service

    def begin(self) -> Work:
        """An empty set of loaded aggregates, for one transaction."""
        return Work(self)

    def load(self, stream_id: str, work: Work) -> Aggregate:
        """The stream's aggregate at the store's current version (a private copy)."""
        if stream_id in work.loaded:
            return work.loaded[stream_id]
        kind = kind_of(stream_id)
        current = self.store.stream_version(stream_id)
        cached = self._cache.get(stream_id)
        if cached is not None and cached.version <= current:
            aggregate = cached.copy()
            snapshot_at = self._snapshot_at.get(stream_id, 0)
            snapshot_size = self._snapshot_size.get(stream_id, 0)
        else:
            aggregate, snapshot_at, snapshot_size = kind.blank(stream_id), 0, 0
            snapshot = self.store.load_snapshot(stream_id) if kind.long_lived and current else None
            if (
                snapshot is not None
                and snapshot.code_version == kind.snapshot_version
                and snapshot.version <= current
            ):
                aggregate = kind.restore(dict(snapshot.state))
                snapshot_at = snapshot.version
                snapshot_size = kind.size(aggregate) if kind.size else 0
        if aggregate.version < current:
            for stored in self.store.read_stream(stream_id, after_version=aggregate.version):
                event = from_data(stored.type, stored.schema_version, stored.data)
                try:
                    aggregate.apply(event)
                except ValueError as exc:  # an event its stream cannot hold: put there by hand
                    raise BrokenHistory(stored.position, f"misplaced ({exc})") from exc
        if aggregate.version < current:
            raise StoreError(
                f"stream {stream_id} replays to version {aggregate.version}, "
                f"but the store says {current}"
            )
        work.loaded[stream_id] = aggregate
        work.snapshot_at[stream_id] = snapshot_at
        work.snapshot_size[stream_id] = snapshot_size
        return aggregate

    def read(self, stream_id: str) -> Aggregate:
        """The stream's aggregate (a copy), outside any write of ours."""
        work = self.begin()
        aggregate = self.load(stream_id, work)
        # what was read is committed (we are outside any write of ours): worth keeping
        self.remember(work)
        return aggregate.copy()

    def save_snapshots(self, work: Work) -> None:
        """Snapshot each long-lived stream grown ``snapshot_every`` versions past its last."""
        for stream_id, aggregate in work.loaded.items():
            kind = kind_of(stream_id)
            size = kind.size(aggregate) if kind.size else 0
            grown = aggregate.version - work.snapshot_at[stream_id]
            if kind.long_lived and (
                grown >= self.snapshot_every
                or (grown and size - work.snapshot_size[stream_id] >= SNAPSHOT_SIZE)
            ):
                self.store.save_snapshot(
                    Snapshot(
                        stream_id, aggregate.version, kind.snapshot_version, aggregate.to_snapshot()
                    )
                )
                work.snapshot_at[stream_id] = aggregate.version
                work.snapshot_size[stream_id] = size

    def remember(self, work: Work, *, unchanged_only: bool = False) -> None:
        """Keep what a committed transaction loaded (of a rolled-back one, with
        ``unchanged_only``, what it did not append to)."""
        # Inside a caller's transaction nothing is committed yet and it may still roll back;
        # a later append could then bring a stream back to the cached version with other
        # events, which the version check cannot see. Only committed state is cached.
        if getattr(self.store, "in_transaction", False):
            return
        for stream_id, aggregate in work.loaded.items():
            if unchanged_only and stream_id in work.changed:
                continue
            if kind_of(stream_id).long_lived:
                self._cache[stream_id] = aggregate
                self._snapshot_at[stream_id] = work.snapshot_at[stream_id]
                self._snapshot_size[stream_id] = work.snapshot_size[stream_id]

    def forget(self) -> None:
        """Drop the cache (it is rebuilt on demand)."""
        self._cache.clear()
        self._snapshot_at.clear()
        self._snapshot_size.clear()
