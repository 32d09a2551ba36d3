"""What the engine-neutral event store needs from a database: rows in, rows out, transactions.

The store (``domain.store.event_store``) owns every rule: idempotency, expected versions, the
hash chain, verification. A backend only stores and fetches rows of the tables in
``domain.store.schema`` and runs transactions, so SQLite (``domain.store.sqlite``), memory
(``domain.store.memory``) or PostgreSQL (say psycopg, with ``SELECT ... FOR UPDATE`` on a lock
row or ``pg_advisory_xact_lock`` as the write lock) can each implement it.

An event row is a tuple in ``EVENT_COLUMNS`` order, its text fields exactly as stored (the
hash covers that text): (position, stream_id, stream_version, type, schema_version,
data JSON, metadata JSON, recorded_at µs since the epoch UTC, hash bytes, also_in JSON or None).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol

from domain.model.errors import StoreError

EventRow = tuple[Any, ...]
"""One event as stored, in ``EVENT_COLUMNS`` order."""
LinkRow = tuple[str, int, int]
"""(stream_id, version, position): an event also in another stream, at that stream's version."""
DataRow = tuple[int, str, int, str]
"""(position, type, schema_version, data JSON): what a replaying reader needs."""
CommandRow = tuple[int, int, bytes | None]
"""(first_position, last_position, fingerprint or None) of a stored command."""
SnapshotRow = tuple[int, str, str]
"""(version, code_version, state JSON) of a stream's snapshot."""
HeadRow = tuple[int, bytes, int]
"""(position, hash, recorded_at µs) of the last event."""

EVENT_COLUMNS = (
    "position", "stream_id", "stream_version", "type", "schema_version", "data", "metadata",
    "recorded_at", "hash", "also_in",
)  # fmt: skip


class PageCheck(Protocol):
    """The engine's page check of a book, started by :meth:`StoreBackend.start_page_check`."""

    def result(self, keep_going: Callable[[], bool] | None = None) -> list[str] | None:
        """The problems found ([] when none); None if ``keep_going()`` returned False."""

    def cancel(self) -> None:
        """Stop the check (its result is not wanted)."""


class _LaterPageCheck:
    """A page check run when its result is asked for, on the backend's own connection."""

    def __init__(self, backend: StoreBackend, thorough: bool) -> None:
        self._backend = backend
        self._thorough = thorough

    def result(self, keep_going: Callable[[], bool] | None = None) -> list[str] | None:
        return self._backend.check_pages(self._thorough, keep_going)

    def cancel(self) -> None:
        pass


class StoreBackend(ABC):
    """Row storage for one store object: one connection, one thread at a time.

    Reads outside a write transaction see the latest commits (``end_read`` ends whatever read
    snapshot the driver keeps open). Every method may raise the driver's errors; ``errors``
    turns them into the store's (``domain.model.errors``).
    """

    # ---------------------------------------------------------------- errors

    @abstractmethod
    def errors(self) -> AbstractContextManager[None]:
        """A reusable context manager turning driver errors into the store's errors
        (busy: ConcurrencyError, damaged: DamagedBook, disk: DiskError)."""

    @abstractmethod
    def translate(self, exc: BaseException) -> StoreError | None:
        """The store's error for a driver error raised by other code inside a transaction
        (a read model's write on a full disk, say), or None to let ``exc`` through."""

    @abstractmethod
    def describe(self) -> str:
        """What the backend holds, for messages ("/path/to/book.tallybook")."""

    # ---------------------------------------------------------------- transactions

    @abstractmethod
    def begin_write(self) -> None:
        """Begin a transaction holding the book's write lock (waiting for another writer);
        versions checked inside it then stay true until it ends."""

    @abstractmethod
    def commit(self) -> None: ...

    @abstractmethod
    def rollback(self) -> None:
        """End the transaction, undoing it; also after a failed commit."""

    @abstractmethod
    def savepoint(self, name: str) -> None: ...

    @abstractmethod
    def release(self, name: str) -> None: ...

    @abstractmethod
    def rollback_to(self, name: str) -> None:
        """Undo the work since ``savepoint(name)`` and release it."""

    @abstractmethod
    def end_read(self) -> None:
        """Outside a write transaction: end any read snapshot still open, so the next read
        sees the latest commits."""

    def writes(self) -> int | None:
        """Inside a write transaction: a count that grows with every row this connection
        writes, or None if the backend cannot tell. An unchanged count since a savepoint
        began means nothing was written in it: rolling back to it undoes exactly what an
        inner savepoint would (the store then opens none for an append)."""
        return None

    @abstractmethod
    def change_stamp(self) -> object:
        """Inside a write transaction: a value that changes whenever another connection
        commits (an equal stamp means nobody else wrote since it was taken)."""

    # ---------------------------------------------------------------- events

    @abstractmethod
    def head_row(self) -> HeadRow | None:
        """The last event's (position, hash, recorded_at), None for an empty book."""

    @abstractmethod
    def event_rows(self, after: int, upto: int, limit: int) -> list[EventRow]:
        """Events with ``after`` < position <= ``upto`` in order, at most ``limit``."""

    @abstractmethod
    def event_rows_from(self, first: int, limit: int) -> list[EventRow]:
        """Events from position ``first`` on (no upper bound) in order, at most ``limit``."""

    @abstractmethod
    def data_rows(self, after: int, upto: int, limit: int) -> list[DataRow]:
        """Like :meth:`event_rows`, only (position, type, schema_version, data)."""

    @abstractmethod
    def stream_rows(self, stream_id: str, after: int, upto: int) -> list[EventRow]:
        """The events (own and linked) at versions ``after`` < v <= ``upto`` of a stream,
        in version order (versions are dense: own events and links count alike)."""

    @abstractmethod
    def recorded_at(self, position: int) -> int | None:
        """The recorded_at (µs) of the event at ``position``, None if there is none."""

    @abstractmethod
    def stream_version(self, stream_id: str) -> int:
        """The highest version among the stream's own events and links (0: none)."""

    @abstractmethod
    def insert_events(self, rows: Sequence[EventRow], links: Sequence[LinkRow]) -> None:
        """Insert the events (position = head + 1 onwards) and their links."""

    # ---------------------------------------------------------------- pages

    @abstractmethod
    def page_check_name(self, thorough: bool) -> str:
        """What :meth:`check_pages` runs ("PRAGMA integrity_check"), "" if nothing."""

    @abstractmethod
    def check_pages(
        self, thorough: bool, keep_going: Callable[[], bool] | None = None
    ) -> list[str] | None:
        """The database engine's own check of how the book is stored: the problems it found
        ([] when none). ``thorough`` checks every table and index against each other, else
        only the events table's pages (cheap enough for every open for writing). Returns None
        if ``keep_going()`` returned False meanwhile."""

    def start_page_check(self, thorough: bool) -> PageCheck:
        """:meth:`check_pages`, begun now if the backend can run it beside other reads (on a
        connection and thread of its own); by default it runs when its result is asked for."""
        return _LaterPageCheck(self, thorough)

    def walk_aside(
        self, genesis: bytes, total: int, progress: Callable[[int, int], bool] | None
    ) -> tuple[int, bool] | None:
        """Check the hash chain from ``genesis`` through position ``total`` somewhere faster
        than this connection (other processes): the first position not known to chain
        (``total + 1`` if all do) and whether ``progress`` cancelled; None when the backend
        cannot (the default), and verification walks the whole chain itself."""
        return None

    # ---------------------------------------------------------------- commands

    @abstractmethod
    def command_row(self, command_id: str) -> CommandRow | None: ...

    @abstractmethod
    def insert_command(
        self, command_id: str, first: int, last: int, fingerprint: bytes | None
    ) -> None: ...

    def insert_appended(
        self,
        rows: Sequence[EventRow],
        links: Sequence[LinkRow],
        command: tuple[str, int, int, bytes | None],
    ) -> None:
        """A command's events, links and command row (one append); a backend with a round
        trip per statement sends them together."""
        self.insert_events(rows, links)
        self.insert_command(*command)

    def insert_commands(self, rows: Sequence[tuple[str, int, int, bytes | None]]) -> None:
        """Several :meth:`insert_command` at once; a backend with a round trip per statement
        sends them together."""
        for row in rows:
            self.insert_command(*row)

    def fingerprints(self, command_ids: Sequence[str]) -> dict[str, bytes | None]:
        """The stored commands among ``command_ids`` and their fingerprints (copying a book
        looks up a batch's commands together)."""
        found: dict[str, bytes | None] = {}
        for command_id in command_ids:
            row = self.command_row(command_id)
            if row is not None:
                found[command_id] = row[2]
        return found

    reads_aside = False
    """Whether copying may read this backend's events in another thread, one batch ahead
    (calls from two threads are then taken in turn by the connection)."""

    copies_aside = False
    """Whether :meth:`insert_copied` may run in another thread while this side reads on (the
    backend's connection is then used by that thread alone until the batch is in)."""

    def insert_copied(
        self,
        rows: Sequence[EventRow],
        links: Sequence[LinkRow],
        commands: Sequence[tuple[str, int, int, bytes | None]],
    ) -> None:
        """A batch of a copied book's rows (``domain.store.copying``), inserted as appends are
        unless the backend has a faster way in."""
        if rows:
            self.insert_events(rows, links)
        if commands:
            self.insert_commands(commands)

    # ---------------------------------------------------------------- snapshots

    @abstractmethod
    def snapshot_row(self, stream_id: str) -> SnapshotRow | None: ...

    @abstractmethod
    def put_snapshot(self, stream_id: str, version: int, code_version: str, state: str) -> None:
        """Insert or replace the stream's one snapshot."""

    # ---------------------------------------------------------------- lifetime

    @abstractmethod
    def close(self) -> None:
        """Roll back anything open and release the connection (idempotent)."""
