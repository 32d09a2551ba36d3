"""An event store in memory: the same rules as a book file, for fast domain tests.

:class:`MemoryBook` is the shared "database"; each :class:`InMemoryEventStore` on it is one
connection, as each store object on a file is. Writers queue for the book's write lock; other
store objects see only committed events. Rows are kept as a file backend stores them (JSON
text, hash chain), so the store's rules run unchanged.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import threading
import uuid
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager

from domain.model.errors import ConcurrencyError, StoreError
from domain.store import schema
from domain.store.backend import (
    CommandRow,
    DataRow,
    EventRow,
    HeadRow,
    LinkRow,
    SnapshotRow,
    StoreBackend,
)
from domain.store.base import BookInfo
from domain.store.event_store import BackendEventStore


class MemoryBook:
    """The rows of one book in memory, shared by the store objects opened on it."""

    def __init__(self) -> None:
        self.info = BookInfo(schema.FORMAT_VERSION, str(uuid.uuid4()), dt.datetime.now(dt.UTC))
        self.events: list[EventRow] = []  # the event at position p is events[p - 1]
        self.streams: dict[str, list[int]] = {}  # positions by version (own events and links)
        self.commands: dict[str, CommandRow] = {}
        self.snapshots: dict[str, SnapshotRow] = {}
        self.committed = 0  # the head other store objects see
        self.commits = 0
        self.write_lock = threading.Lock()


class MemoryBackend(StoreBackend):
    """One store object's connection to a :class:`MemoryBook`."""

    def __init__(self, book: MemoryBook, *, busy_timeout: float) -> None:
        self._book = book
        self._busy_timeout = busy_timeout
        self._writing = False
        self._own_commits = 0
        self._undo: list[Callable[[], None]] = []
        self._savepoints: dict[str, int] = {}
        self._errors = contextlib.nullcontext()

    def errors(self) -> AbstractContextManager[None]:
        return self._errors

    def translate(self, exc: BaseException) -> StoreError | None:
        return None

    def describe(self) -> str:
        return f"the book in memory {self._book.info.book_id}"

    def _visible(self) -> int:
        """The last position this connection sees: its own writes, or what was committed."""
        return len(self._book.events) if self._writing else self._book.committed

    # ---------------------------------------------------------------- transactions

    def begin_write(self) -> None:
        if not self._book.write_lock.acquire(timeout=self._busy_timeout):
            raise ConcurrencyError(
                f"{self.describe()} stayed busy with another writer for too long; nothing was "
                "written, try again"
            )
        self._writing = True

    def commit(self) -> None:
        book = self._book
        book.committed = len(book.events)
        book.commits += 1
        self._own_commits += 1
        self._end()

    def rollback(self) -> None:
        if not self._writing:
            return
        self._undo_to(0)
        self._end()

    def _end(self) -> None:
        self._undo.clear()
        self._savepoints.clear()
        self._writing = False
        self._book.write_lock.release()

    def _undo_to(self, mark: int) -> None:
        undo = self._undo
        while len(undo) > mark:
            undo.pop()()

    def savepoint(self, name: str) -> None:
        self._savepoints[name] = len(self._undo)

    def release(self, name: str) -> None:
        del self._savepoints[name]

    def rollback_to(self, name: str) -> None:
        self._undo_to(self._savepoints.pop(name))

    def end_read(self) -> None:
        return None

    def writes(self) -> int:
        return len(self._undo)  # one undo a write; a rollback takes them off again

    def change_stamp(self) -> object:
        return self._book.commits - self._own_commits  # others' commits only, as SQLite's

    # ---------------------------------------------------------------- events

    def head_row(self) -> HeadRow | None:
        visible = self._visible()
        if not visible:
            return None
        row = self._book.events[visible - 1]
        return row[0], row[8], row[7]

    def event_rows(self, after: int, upto: int, limit: int) -> list[EventRow]:
        start = max(after, 0)
        return self._book.events[start : min(upto, self._visible(), start + limit)]

    def event_rows_from(self, first: int, limit: int) -> list[EventRow]:
        return self.event_rows(first - 1, self._visible(), limit)

    def data_rows(self, after: int, upto: int, limit: int) -> list[DataRow]:
        return [(r[0], r[3], r[4], r[5]) for r in self.event_rows(after, upto, limit)]

    def stream_rows(self, stream_id: str, after: int, upto: int) -> list[EventRow]:
        events, visible = self._book.events, self._visible()
        positions = self._book.streams.get(stream_id, [])[max(after, 0) : max(upto, 0)]
        return [events[p - 1] for p in positions if p <= visible]

    def recorded_at(self, position: int) -> int | None:
        if 1 <= position <= self._visible():
            micros: int = self._book.events[position - 1][7]
            return micros
        return None

    def stream_version(self, stream_id: str) -> int:
        positions = self._book.streams.get(stream_id)
        return bisect.bisect_right(positions, self._visible()) if positions else 0

    def insert_events(self, rows: Sequence[EventRow], links: Sequence[LinkRow]) -> None:
        book = self._book
        if rows and rows[0][0] != len(book.events) + 1:
            raise StoreError("event positions are gap-free")
        # each stream's versions in order, whether an event's own or a link
        placed = sorted([(r[1], r[2], r[0]) for r in rows] + list(links))
        have: dict[str, int] = {}
        for stream, version, _ in placed:
            at = have.get(stream)
            if at is None:
                at = len(book.streams.get(stream, ()))
            if version != at + 1:
                raise StoreError(f"{stream} is at version {at}; cannot store version {version}")
            have[stream] = version
        first = len(book.events)
        book.events.extend(rows)
        for stream, _, position in placed:
            book.streams.setdefault(stream, []).append(position)

        def undo() -> None:
            del book.events[first:]
            for stream, _, _ in placed:
                book.streams[stream].pop()

        self._undo.append(undo)

    # ---------------------------------------------------------------- commands, snapshots

    def page_check_name(self, thorough: bool) -> str:
        return ""  # memory has no pages

    def check_pages(
        self, thorough: bool, keep_going: Callable[[], bool] | None = None
    ) -> list[str] | None:
        return []

    def command_row(self, command_id: str) -> CommandRow | None:
        row = self._book.commands.get(command_id)
        return row if row is not None and row[1] <= self._visible() else None

    def insert_command(
        self, command_id: str, first: int, last: int, fingerprint: bytes | None
    ) -> None:
        commands = self._book.commands
        if command_id in commands:
            raise StoreError(f"command id {command_id!r} is stored already")
        commands[command_id] = (first, last, fingerprint)
        self._undo.append(lambda: commands.pop(command_id, None) and None)

    def snapshot_row(self, stream_id: str) -> SnapshotRow | None:
        return self._book.snapshots.get(stream_id)

    def put_snapshot(self, stream_id: str, version: int, code_version: str, state: str) -> None:
        snapshots = self._book.snapshots
        before = snapshots.get(stream_id)
        snapshots[stream_id] = (version, code_version, state)

        def undo() -> None:
            if before is None:
                del snapshots[stream_id]
            else:
                snapshots[stream_id] = before

        self._undo.append(undo)

    def close(self) -> None:
        self.rollback()


class InMemoryEventStore(BackendEventStore):
    """An event store on a :class:`MemoryBook` (a new, empty one by default)."""

    def __init__(
        self, book: MemoryBook | None = None, *, readonly: bool = False, busy_timeout: float = 30.0
    ) -> None:
        self._book = MemoryBook() if book is None else book
        super().__init__(
            MemoryBackend(self._book, busy_timeout=busy_timeout),
            self._book.info,
            readonly=readonly,
        )

    @property
    def book(self) -> MemoryBook:
        return self._book

    def reopen(self, *, readonly: bool = False) -> InMemoryEventStore:
        """Another store object on the same book (as another process opening the file)."""
        return InMemoryEventStore(self._book, readonly=readonly)

    def __enter__(self) -> InMemoryEventStore:
        return self
