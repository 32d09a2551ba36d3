"""The event store's rules on any :class:`~domain.store.backend.StoreBackend`.

Idempotency (command ids and fingerprints), expected versions, the hash chain, verification,
snapshots and reading live here; the backend only stores rows and runs transactions. A write
transaction holds the backend's write lock, so an optimistic version check inside it is final.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from types import TracebackType

from domain.model.errors import CommandIdReused, ConcurrencyError, StoreError
from domain.store import copying, reading, verification
from domain.store.backend import StoreBackend
from domain.store.base import (
    BookInfo,
    EventStore,
    Metadata,
    NewEvent,
    Progress,
    Snapshot,
    StoredEvent,
    VerifyReport,
)
from domain.store.hashing import genesis_hash
from domain.store.reading import DataRow
from domain.store.rows import ENCODE, to_events, to_micros
from domain.store.transaction import TransactionalStore
from domain.store.writing import event_rows, links_of

_VERSIONS_KEPT = 4096  # stream versions remembered between transactions (one per stream)


class BackendEventStore(TransactionalStore, EventStore):
    """An :class:`EventStore` over one backend connection (one thread at a time)."""

    def __init__(self, backend: StoreBackend, info: BookInfo, *, readonly: bool) -> None:
        super().__init__(backend, genesis_hash(info.book_id), readonly=readonly)
        self._info = info
        self._closed = False

    def info(self) -> BookInfo:
        return self._info

    # ------------------------------------------------------------ writing

    def append(
        self,
        events: Sequence[NewEvent],
        expected_versions: Mapping[str, int],
        metadata: Metadata,
    ) -> list[StoredEvent]:
        """Append atomically; see :meth:`EventStore.append`.

        ``expected_versions`` must name every stream the events touch (primary and
        ``also_in``); it may name more, which are then checked too. An event listing a
        stream in ``also_in`` twice, or its own stream, is linked once.
        """
        if not metadata.command_id:
            raise ValueError("metadata.command_id is required (it makes retries idempotent)")
        self._check_writable()  # (a read-only store may be inside a read-model transaction)
        if self._depth:
            # inside the caller's transaction the checks only read: no savepoint for them
            return self._append(events, expected_versions, metadata, nested=True)
        with self.transaction():
            return self._append(events, expected_versions, metadata, nested=False)

    def _append(
        self,
        events: Sequence[NewEvent],
        expected_versions: Mapping[str, int],
        metadata: Metadata,
        *,
        nested: bool,
    ) -> list[StoredEvent]:
        command_id = metadata.command_id
        backend = self._backend
        with self._errors:
            # a service checks its command id first, with an empty append, then appends in
            # the same transaction: the lock held since, one look is enough
            if command_id != self._absent_command:
                done = backend.command_row(command_id)
                if done:
                    first, last, fingerprint = done
                    if fingerprint and metadata.fingerprint and fingerprint != metadata.fingerprint:
                        raise CommandIdReused(
                            f"command id {command_id!r} was already used, for another command "
                            f"(events {first}-{last}); nothing was written: give this one a "
                            "new id"
                        )
                    return to_events(backend.event_rows(first - 1, last, last - first + 1))
                self._absent_command = command_id
            plan = [links_of(event) for event in events]
            touched = {e.stream_id for e in events}.union(*plan)
            missing = touched - expected_versions.keys()
            if missing:
                raise ValueError(
                    f"expected_versions does not name the streams {sorted(missing)} that the "
                    "events touch"
                )
            current: dict[str, int] = {}
            known = self._versions
            for stream in expected_versions:
                version = known.get(stream)
                current[stream] = self._query_version(stream) if version is None else version
            wrong = [
                f"{s} is at version {current[s]}, expected {v}"
                for s, v in expected_versions.items()
                if current[s] != v
            ]
            if wrong:
                raise ConcurrencyError(
                    "another change came first: " + "; ".join(wrong) + "; nothing was written"
                )
            if not events:
                return []
            if not nested:  # our own transaction: a failure rolls all of it back
                return self._write(events, plan, current, metadata)
            if self._in_fresh_savepoint():
                # the caller's savepoint holds nothing yet (a group's command, a batch's
                # first): going back to it undoes what one of our own would, and saves the
                # two statements of one per command
                try:
                    return self._write(events, plan, current, metadata)
                except BaseException:
                    self._undo_savepoint()  # _write changes our state only once it is in
                    raise
            # a savepoint: a failed write leaves the caller's transaction as it was
            with self.transaction():
                return self._write(events, plan, current, metadata)

    def _write(
        self,
        events: Sequence[NewEvent],
        plan: list[tuple[str, ...]],
        current: dict[str, int],
        metadata: Metadata,
    ) -> list[StoredEvent]:
        assert self._head is not None
        first = self._head[0] + 1
        head = self._head
        rows, links, stored, versions, head = event_rows(head, events, plan, current, metadata)
        backend = self._backend
        command = (metadata.command_id, first, head[0], metadata.fingerprint or None)
        backend.insert_appended(rows, links, command)
        self._head = head
        self._absent_command = None
        if len(self._versions) > _VERSIONS_KEPT:  # bounded: every new entry is a new stream
            self._versions.clear()
        self._versions.update(versions)
        return stored

    def copy_from(self, source: BackendEventStore, upto: int | None = None) -> int:
        """Append ``source``'s events after this book's head (up to ``upto``) exactly as they
        are stored there: same positions, recorded times and hashes (``copying``). This book
        must be a prefix of ``source`` (the same hash at its head). Returns the new head."""
        self._check_writable()
        end = source.head()[0] if upto is None else upto
        with self.transaction(), self._errors:
            assert self._head is not None
            at, digest, _ = self._head
            rows = source._backend.event_rows(at - 1, at, 1) if at else []
            mine = bytes(rows[0][8]) == bytes(digest) if at else self._genesis == source._genesis
            if not mine or (at and not rows):
                raise StoreError(
                    f"{self._backend.describe()} is not a copy of {source._backend.describe()} "
                    f"up to event {at} (another book, or they diverged): nothing was copied"
                )
            head = copying.copy_rows(source._backend, self._backend, at, end)
            if head is not None:
                self._head = head
                self._versions.clear()
        return self.head()[0]

    def load_rows(
        self, source: copying.RowSource, upto: int, *, then: Callable[[], None] | None = None
    ) -> int:
        """Fill this empty book with ``source``'s events up to ``upto``, exactly as stored
        there (a book read back from JSON lines, say). ``then`` runs in the same transaction
        after the rows: if it raises, nothing is loaded. Returns the new head."""
        self._check_writable()
        with self.transaction(), self._errors:
            assert self._head is not None
            if self._head[0]:
                raise StoreError(f"{self._backend.describe()} is not empty: nothing was loaded")
            head = copying.copy_rows(source, self._backend, 0, upto)
            if then is not None:
                then()
            if head is not None:
                self._head = head
                self._versions.clear()
        return self.head()[0]

    def row_source(self) -> copying.RowSource:
        """This book's stored rows, for reading them out exactly (``event_lines``)."""
        return self._backend

    def save_snapshot(self, snapshot: Snapshot) -> None:
        """Keep ``snapshot`` as the stream's one snapshot (replacing an older one)."""
        values = (snapshot.stream_id, snapshot.version, snapshot.code_version)
        state = ENCODE(snapshot.state)
        if self._depth:  # one statement is atomic: no savepoint needed
            with self._errors:
                self._backend.put_snapshot(*values, state)
            return
        with self.transaction(), self._errors:
            self._backend.put_snapshot(*values, state)

    # ------------------------------------------------------------ reading

    def stream_version(self, stream_id: str) -> int:
        if self._depth:  # under the write lock what we read or wrote stays true
            version = self._versions.get(stream_id)
            if version is not None:
                return version
            with self._errors:
                return self._query_version(stream_id)
        self._end_implicit()
        with self._errors:
            return self._backend.stream_version(stream_id)

    def command_positions(self, command_id: str) -> tuple[int, int] | None:
        """(first, last) position of the events ``command_id`` stored, from the commands
        table (one key lookup: undo finds a long change's ends without reading it)."""
        if not self._depth:
            self._end_implicit()
        with self._errors:
            row = self._backend.command_row(command_id)
        return None if not row else (int(row[0]), int(row[1]))

    def _query_version(self, stream_id: str) -> int:
        """A stream's version read inside a write transaction, and remembered."""
        version = self._backend.stream_version(stream_id)
        if len(self._versions) > _VERSIONS_KEPT:
            self._versions.clear()
        self._versions[stream_id] = version
        return version

    def read_stream(
        self, stream_id: str, after_version: int = 0, batch_size: int = 2000
    ) -> Iterator[StoredEvent]:
        """Events of one stream (its own and linked ones) with version > ``after_version``.

        Each event keeps its identity (primary ``stream_id``/``stream_version``, position,
        hash), so a linked event shows the version in its own stream; its version *in this
        stream* is ``after_version`` + its index + 1, as versions are dense.
        """
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        return reading.stream_events(
            self._backend, self._errors, self._end_implicit, stream_id, after_version, batch_size
        )

    def _upto(self, to_position: int | None) -> Callable[[], int]:
        def end() -> int:
            self._end_implicit()
            if to_position is not None:
                return to_position
            with self._errors:
                return self._read_head()[0]

        return end

    def read_all(
        self, after_position: int = 0, to_position: int | None = None, batch_size: int = 2000
    ) -> Iterator[StoredEvent]:
        """Events after ``after_position`` up to ``to_position`` (default: the head when
        reading starts), fetched ``batch_size`` at a time by position ranges."""
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        upto = self._upto(to_position)
        return reading.events_between(self._backend, self._errors, after_position, upto, batch_size)

    def read_data(
        self, after_position: int = 0, to_position: int | None = None, batch_size: int = 5000
    ) -> Iterator[list[DataRow]]:
        """Like :meth:`read_all`, in batches of ``(position, type, schema_version, data)``.

        For replaying readers (read-model rebuilds) that need neither metadata, time nor
        hash: reading and building only those is about twice as fast as full events.
        """
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        upto = self._upto(to_position)
        return reading.data_between(self._backend, self._errors, after_position, upto, batch_size)

    def position_at(self, when: dt.datetime) -> int:
        """The last position recorded at or before ``when`` (timezone-aware), 0 if none."""
        target = to_micros(when)
        self._end_implicit()
        with self._errors:
            return reading.last_recorded_by(self._backend, self._read_head()[0], target)

    def head(self) -> tuple[int, bytes]:
        if self._depth and self._head is not None:
            return self._head[0], self._head[1]
        self._end_implicit()
        with self._errors:
            position, digest, _ = self._read_head()
        return position, digest

    def load_snapshot(self, stream_id: str) -> Snapshot | None:
        """The stream's snapshot, whatever its code_version (the caller decides to use it)."""
        self._end_implicit()
        with self._errors:
            row = self._backend.snapshot_row(stream_id)
        if row is None:
            return None
        version, code_version, state = row
        return Snapshot(stream_id, version, code_version, json.loads(state))

    # ------------------------------------------------------------ verification

    def verify(
        self,
        progress: Progress | None = None,
        batch_size: int = 5000,
        *,
        expect_head: tuple[int, bytes] | None = None,
    ) -> VerifyReport:
        """Walk the hash chain from the genesis hash, recomputing every hash.

        Checks positions run 1, 2, 3... without gaps and each stored hash matches its
        recomputation. The first bad position is named with what happened there: "altered",
        "inserted", "removed", "reordered" (or "damaged" if the backend cannot read it).
        Then the backend's thorough page check runs (``page_check`` names it; "damaged
        pages" if only it finds something). ``progress(done, total)`` returning False stops
        early (``cancelled``), during the page check too (it is then called with done = total
        every few milliseconds). Events appended while verifying
        are left for the next run. ``expect_head`` (position, hash), a head written down
        earlier, must still be in the chain ("head differs", "head missing" if not).
        A break found makes this store refuse writes
        (:class:`BrokenHistory`, see :meth:`refuse_writes`). A backend may walk ranges of a
        big book elsewhere first and run the page check beside the walk
        (:meth:`StoreBackend.walk_aside`, :meth:`StoreBackend.start_page_check`); the
        answers are the same.
        """
        self._end_implicit()
        report = verification.verify(
            self._backend, self._genesis, progress, batch_size, expect_head=expect_head
        )
        broken = report.broken()
        if broken is not None:
            self.refuse_writes(broken)
        return report

    # ------------------------------------------------------------ closing

    def close(self) -> None:
        """Roll back any open transaction and close the connection (idempotent)."""
        if self._closed:
            return
        self._closed = True
        self._depth = 0
        self._backend.close()

    def __enter__(self) -> BackendEventStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
