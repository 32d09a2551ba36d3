"""The event store on one SQLite file, through SQLAlchemy 2 Core.

One store object holds one SQLAlchemy ``Connection`` (one thread at a time). Write
transactions begin with BEGIN IMMEDIATE, so concurrent processes queue for the write lock and an
optimistic version check inside the transaction is final. Hot paths (append, reading) run plain
SQL on the driver cursor under that connection; Core row objects cost too much per event.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import json
import os
import time
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from types import TracebackType
from typing import Any

from sqlalchemy import Connection, Engine, RootTransaction, insert, select

from domain.model.errors import CommandIdReused, ConcurrencyError, DamagedBook, StoreError
from domain.store import schema
from domain.store import sqlite_dialect as dialect
from domain.store.base import (
    BookInfo,
    EventStore,
    Metadata,
    NewEvent,
    Progress,
    Snapshot,
    StoredEvent,
    VerifyReport,
    expand_metadata,
)
from domain.store.gc_pause import gc_paused
from domain.store.hashing import event_hash, genesis_hash

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_MICROSECOND = dt.timedelta(microseconds=1)
_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode
_DECODER = json.JSONDecoder()
_ALSO_CACHE: dict[str, tuple[str, ...]] = {}
_LOOKAHEAD = 64  # rows verify inspects after a broken link to tell what happened

_COLUMNS = (
    "position, stream_id, stream_version, type, schema_version, data, metadata, recorded_at, "
    "hash, also_in"
)
_E_COLUMNS = ", ".join(f"e.{c.strip()}" for c in _COLUMNS.split(","))
_SELECT_HEAD = "SELECT position, hash, recorded_at FROM events ORDER BY position DESC LIMIT 1"
_SELECT_RANGE = (
    f"SELECT {_COLUMNS} FROM events WHERE position > ? AND position <= ? ORDER BY position LIMIT ?"
)
_SELECT_FROM = f"SELECT {_COLUMNS} FROM events WHERE position >= ? ORDER BY position LIMIT ?"
_SELECT_DATA = (
    "SELECT position, type, schema_version, data FROM events "
    "WHERE position > ? AND position <= ? ORDER BY position LIMIT ?"
)
# Versions of a stream are dense (1..n over its own and linked events), so a window of
# versions (after, after + batch] is exactly one batch, read through two index ranges.
_SELECT_STREAM = (
    f"SELECT {_E_COLUMNS}, e.stream_version AS v FROM events e "
    "WHERE e.stream_id = ?1 AND e.stream_version > ?2 AND e.stream_version <= ?3 "
    f"UNION ALL SELECT {_E_COLUMNS}, l.version AS v FROM stream_links l "
    "JOIN events e ON e.position = l.position "
    "WHERE l.stream_id = ?1 AND l.version > ?2 AND l.version <= ?3 ORDER BY v"
)
_SELECT_RECORDED_AT = "SELECT recorded_at FROM events WHERE position = ?"
# A stream's version is its highest version among its own events and its links (both dense
# from 1): two seeks at the ends of indexes the log keeps anyway. A separate streams table
# cost 48 bytes and two or three written pages per command.
_SELECT_VERSION = (
    "SELECT max(coalesce((SELECT max(stream_version) FROM events WHERE stream_id = ?1), 0), "
    "coalesce((SELECT max(version) FROM stream_links WHERE stream_id = ?1), 0))"
)
_SELECT_COMMAND = (
    "SELECT first_position, last_position, fingerprint FROM commands WHERE command_id = ?"
)
# changes whenever another connection commits: while it stays put, what this connection
# learned about the log (its head, stream versions) still holds
_DATA_VERSION = "PRAGMA data_version"
_VERSIONS_KEPT = 4096  # stream versions remembered between transactions (one per stream)
_INSERT_EVENT = f"INSERT INTO events ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
_INSERT_LINK = "INSERT INTO stream_links (stream_id, version, position) VALUES (?, ?, ?)"
# An entry links into two accounts or a few more: one multi-row INSERT per command (its text
# fixed per number of rows, so sqlite3 keeps it prepared) costs half of an executemany.
_INSERT_LINKS = tuple(
    "INSERT INTO stream_links (stream_id, version, position) VALUES "
    + ", ".join(["(?, ?, ?)"] * rows)
    for rows in range(9)
)
_INSERT_COMMAND = (
    "INSERT INTO commands (command_id, first_position, last_position, fingerprint) "
    "VALUES (?, ?, ?, ?)"
)

Row = tuple[Any, ...]
DataRow = tuple[int, str, int, dict[str, Any]]
"""(position, type, schema_version, data) of one event: what a replaying reader needs."""


_HEX = frozenset("0123456789abcdef")
_ID_DIGITS = "234567abcdefghijklmnopqrstuvwxyz"  # domain.model.commands.ID_ALPHABET
_BASE32 = frozenset(_ID_DIGITS)
# the id's digits as int()'s base-32 digits: the same big-endian number base64.b32decode
# reads (16 digits = 80 bits = 10 bytes), at a fifth of its cost
_TO_INT_DIGITS = str.maketrans(_ID_DIGITS, "0123456789abcdefghijklmnopqrstuv")


def _command_key(command_id: str) -> str | bytes:
    """How the commands table keys a command id: as the bytes it spells when it is one of the
    two usual forms, 16 base32 digits of new_id's alphabet (10 bytes) or 32 lowercase hex
    digits (a uuid: 16 bytes), else as text. Each form maps one-to-one onto its own length
    of blob, and a blob never equals a text value in SQLite, so no two ids share a key."""
    if len(command_id) == 16 and _BASE32.issuperset(command_id):
        return int(command_id.translate(_TO_INT_DIGITS), 32).to_bytes(10, "big")
    if len(command_id) == 32 and _HEX.issuperset(command_id):
        return bytes.fromhex(command_id)
    return command_id


def _to_micros(when: dt.datetime) -> int:
    if when.tzinfo is None:
        raise ValueError(f"{when!r} has no time zone; recorded times are compared in UTC")
    return (when - _EPOCH) // _MICROSECOND


class _LazyJson(Mapping[str, Any]):
    """A JSON object parsed on first use: most readers of the log never look at metadata."""

    __slots__ = ("_text", "_value")

    def __init__(self, text: str) -> None:
        self._text = text
        self._value: dict[str, Any] | None = None

    def _get(self) -> dict[str, Any]:
        if self._value is None:
            value = json.loads(self._text)
            if not isinstance(value, dict):
                raise ValueError(f"metadata is not a JSON object: {self._text[:80]!r}")
            self._value = expand_metadata(value)
        return self._value

    def __getitem__(self, key: str) -> Any:
        return self._get()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._get())

    def __len__(self) -> int:
        return len(self._get())

    def __repr__(self) -> str:
        return repr(self._get())


def _to_events(rows: Iterable[Row]) -> list[StoredEvent]:
    """Rows (in ``_COLUMNS`` order) to events; the events of one command share metadata/time.

    This is the read path's hot loop (hundreds of thousands of events a second): data is
    parsed with the json module's documented ``raw_decode`` (json.loads minus its whitespace
    handling; stored JSON is compact), metadata lazily, and also_in lists are shared.
    """
    with gc_paused():
        return _decode_rows(rows)


def _decode_rows(rows: Iterable[Row]) -> list[StoredEvent]:
    decode = _DECODER.raw_decode
    also_cache = _ALSO_CACHE
    out: list[StoredEvent] = []
    append = out.append
    meta_text: str | None = None
    meta: Mapping[str, Any] = {}
    micros = -1
    recorded = _EPOCH
    for row in rows:
        if row[6] != meta_text:
            meta_text = row[6]
            meta = _LazyJson(meta_text)
        if row[7] != micros:
            micros = row[7]
            recorded = _EPOCH + dt.timedelta(microseconds=micros)
        also_text = row[9]
        if also_text is None:
            also: tuple[str, ...] = ()
        else:
            also = also_cache.get(also_text) or _parse_also(also_text)
        append(
            StoredEvent(
                row[0], row[1], row[2], row[3], row[4], decode(row[5])[0], meta, recorded,
                row[8], also,
            )
        )  # fmt: skip
    return out


def _parse_also(text: str) -> tuple[str, ...]:
    also = tuple(json.loads(text))
    if len(_ALSO_CACHE) >= 4096:  # bounded: one entry per combination of linked streams
        _ALSO_CACHE.clear()
    _ALSO_CACHE[text] = also
    return also


def _chains(previous: bytes, row: Row, position: int) -> bool:
    """Whether ``row``, were it at ``position``, follows a chain ending in ``previous``."""
    try:
        digest = event_hash(
            previous, position, row[1], row[2], row[3], row[4], row[5], row[6], row[7], row[9]
        )
    except (TypeError, AttributeError):  # a tampered row with values of the wrong type
        return False
    return bool(digest == row[8])


class SqliteEventStore(EventStore):
    """The event store of one book file. Use :meth:`create` or :meth:`open`."""

    def __init__(self, path: Path, info: BookInfo, *, readonly: bool, busy_timeout: float) -> None:
        self._path = path
        self._info = info
        self._readonly = readonly
        self._genesis = genesis_hash(info.book_id)
        self._begin_sql = dialect.BEGIN_READ
        self._depth = 0
        # (position, hash, recorded_at µs) of the last event, valid inside a write transaction
        self._head: tuple[int, bytes, int] | None = None
        # What this connection knows of the log as of its last commit, trusted again by a
        # write transaction that finds PRAGMA data_version unchanged (no other connection has
        # committed since; the write lock then keeps it so): the head, and the versions of
        # the streams it has read or written. Any rollback forgets it all.
        self._known_data_version: int | None = None
        self._known_head: tuple[int, bytes, int] | None = None
        self._versions: dict[str, int] = {}
        # a command id this write transaction found unused and has not written since
        self._absent_command: str | None = None
        self._engine: Engine = dialect.create_engine_for(
            path, readonly=readonly, busy_timeout=busy_timeout, begin_sql=lambda: self._begin_sql
        )
        try:
            with dialect.translated_errors(path, otherwise="cannot be opened"):
                self._conn: Connection = self._engine.connect()
        except BaseException:
            self._engine.dispose()
            raise
        self._raw = dialect.dbapi(self._conn)
        self._closed = False
        if not readonly:
            try:
                self._add_missing_columns()
            except BaseException:
                self.close()
                raise

    # ------------------------------------------------------------ opening

    @classmethod
    def create(
        cls, path: str | os.PathLike[str], *, busy_timeout: float = dialect.DEFAULT_BUSY_TIMEOUT
    ) -> SqliteEventStore:
        """Create a new, empty book at ``path``; refuses (FileExistsError) if anything is there.

        The book is built under a temporary name and linked into place, so ``path`` never
        holds a half-made book and two creators cannot both win.
        """
        path = Path(path)
        if os.path.lexists(path):
            raise FileExistsError(errno.EEXIST, "a file is already there; not overwriting", path)
        if not path.parent.is_dir():
            raise FileNotFoundError(errno.ENOENT, "no such folder for the new book", path.parent)
        tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.creating")
        try:
            engine = dialect.create_engine_for(
                tmp,
                readonly=False,
                busy_timeout=busy_timeout,
                begin_sql=lambda: dialect.BEGIN_WRITE,
                create=True,
            )
            try:
                with engine.begin() as conn:
                    schema.metadata.create_all(conn)
                    dialect.create_triggers(conn)
                    now = dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")
                    conn.execute(
                        insert(schema.book),
                        [
                            {"key": "format_version", "value": str(schema.FORMAT_VERSION)},
                            {"key": "book_id", "value": str(uuid.uuid4())},
                            {"key": "created_at", "value": now},
                        ],
                    )
            finally:
                engine.dispose()  # last connection closes: WAL checkpointed and removed
            try:
                os.link(tmp, path)  # atomic and never overwrites
            except FileExistsError:
                raise FileExistsError(
                    errno.EEXIST, "a file is already there; not overwriting", path
                ) from None
            except OSError:  # file systems without hard links
                if os.path.lexists(path):
                    raise FileExistsError(
                        errno.EEXIST, "a file is already there; not overwriting", path
                    ) from None
                os.rename(tmp, path)
            dialect.sync_directory(path)
        finally:
            for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
                with contextlib.suppress(FileNotFoundError):
                    leftover.unlink()
        return cls.open(path, busy_timeout=busy_timeout)

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        readonly: bool = False,
        *,
        busy_timeout: float = dialect.DEFAULT_BUSY_TIMEOUT,
    ) -> SqliteEventStore:
        """Open an existing book.

        Raises NotABook, DamagedBook or NewerFormat (naming the file) and leaves the file
        untouched when it cannot be used. Reads only the header, schema, book table and
        last event, so it is fast on any size of book.
        """
        path = Path(path)
        values = dialect.inspect_book(path, busy_timeout)
        try:
            created = dt.datetime.fromisoformat(values["created_at"])
        except ValueError:
            raise DamagedBook(f"{path} is damaged: garbled creation time") from None
        info = BookInfo(int(values["format_version"]), values["book_id"], created)
        return cls(path, info, readonly=readonly, busy_timeout=busy_timeout)

    def _add_missing_columns(self) -> None:
        # a look first: the write lock (which another writer may hold) only if there is work
        with dialect.translated_errors(self._path):
            missing = dialect.missing_columns(self._conn)
            self._end_implicit()
        if missing:
            with self.transaction(), dialect.translated_errors(self._path):
                dialect.add_missing_columns(self._conn)

    # ------------------------------------------------------------ properties

    @property
    def path(self) -> Path:
        return self._path

    @property
    def readonly(self) -> bool:
        return self._readonly

    @property
    def connection(self) -> Connection:
        """The SQLAlchemy connection of this store; read models write through it inside
        :meth:`transaction` so their rows commit atomically with the events."""
        return self._conn

    @property
    def in_transaction(self) -> bool:
        """True inside :meth:`transaction`."""
        return self._depth > 0

    def info(self) -> BookInfo:
        return self._info

    # ------------------------------------------------------------ transactions

    def _check_writable(self) -> None:
        if self._readonly:
            raise StoreError(f"{self._path} was opened read-only")

    def _end_implicit(self) -> None:
        # A Core query outside transaction() autobegins a deferred read transaction that
        # would pin an old snapshot (and block WAL checkpoints); end it so reads are fresh.
        if self._depth == 0 and self._conn.in_transaction():
            with dialect.translated_errors(self._path):
                self._conn.commit()

    def transaction(self, *, allow_readonly: bool = False) -> AbstractContextManager[None]:
        """A write transaction: BEGIN IMMEDIATE outermost, a savepoint when nested.

        Everything inside commits or rolls back together; a nested block that raises rolls
        back only its own work. Waits (up to busy_timeout) for other writers; gives up with
        ConcurrencyError, never "database is locked". ``allow_readonly`` permits it on a
        read-only store too, to write an attached database (the read-model cache): SQLite
        opened the book itself read-only, so nothing can be written to it.
        """
        if not allow_readonly:
            self._check_writable()
        return _Transaction(self)

    def _begin(self) -> RootTransaction:
        self._end_implicit()
        with dialect.translated_errors(self._path):
            self._begin_sql = dialect.BEGIN_WRITE
            try:
                root = self._conn.begin()
            finally:
                self._begin_sql = dialect.BEGIN_READ
            try:
                self._head = self._current_head()
            except BaseException:
                self._forget()
                root.rollback()
                raise
        self._depth = 1
        return root

    def _current_head(self) -> tuple[int, bytes, int]:
        """The head, once the write lock is ours: another process may have appended since
        our last transaction; if no other connection committed anything, it is as we left it."""
        (data_version,) = self._raw.execute(_DATA_VERSION).fetchone()
        if data_version == self._known_data_version and self._known_head is not None:
            return self._known_head
        self._forget()
        self._known_data_version = data_version
        return self._read_head()

    def _forget(self) -> None:
        """Drop what this connection knew of the log (after a rollback or another's commit)."""
        self._known_data_version = None
        self._known_head = None
        self._versions.clear()

    def _end(self, root: RootTransaction, failed: bool) -> None:
        head = self._head
        self._depth = 0
        self._head = None
        self._absent_command = None
        if not failed:
            try:
                with dialect.translated_errors(self._path):
                    root.commit()
            except BaseException:
                # whatever a failed COMMIT (a full disk) left behind, open or rolled back,
                # active or not, a rollback ends it: the next transaction can begin
                self._forget()
                root.rollback()
                raise
            self._known_head = head
            return
        self._forget()
        root.rollback()

    def _savepoint(self) -> tuple[str, tuple[int, bytes, int] | None]:
        # plain SAVEPOINT statements: SQLAlchemy's begin_nested() doubled the cost of each
        # append inside a batch, and its root transaction is unaffected by them
        name = f"store_{self._depth}"
        with dialect.translated_errors(self._path):
            self._raw.execute(f"SAVEPOINT {name}")
        self._depth += 1
        return name, self._head

    def _end_savepoint(
        self, name: str, saved_head: tuple[int, bytes, int] | None, failed: bool
    ) -> None:
        self._depth -= 1
        if failed:
            self._head = saved_head
            # versions written inside are undone; those read before may be dropped too
            self._versions.clear()
            self._absent_command = None
            with dialect.translated_errors(self._path):
                self._raw.execute(f"ROLLBACK TO {name}")
                self._raw.execute(f"RELEASE {name}")
            return
        with dialect.translated_errors(self._path):
            self._raw.execute(f"RELEASE {name}")

    def _read_head(self) -> tuple[int, bytes, int]:
        row = self._raw.execute(_SELECT_HEAD).fetchone()
        return (row[0], row[1], row[2]) if row else (0, self._genesis, 0)

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
        with dialect.translated_errors(self._path):
            raw = self._raw
            # a service checks its command id first, with an empty append, then appends in
            # the same transaction: the lock held since, one look is enough
            if command_id != self._absent_command:
                done = raw.execute(_SELECT_COMMAND, (_command_key(command_id),)).fetchone()
                if done:
                    first, last, fingerprint = done
                    if fingerprint and metadata.fingerprint and fingerprint != metadata.fingerprint:
                        raise CommandIdReused(
                            f"command id {command_id!r} was already used, for another command "
                            f"(events {first}-{last}); nothing was written: give this one a "
                            "new id"
                        )
                    return self._read_positions(first, last)
                self._absent_command = command_id
            plan = [self._links(event) for event in events]
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
            # a savepoint: a failed write leaves the caller's transaction as it was
            with self.transaction():
                return self._write(events, plan, current, metadata)

    @staticmethod
    def _links(event: NewEvent) -> tuple[str, ...]:
        for name in (event.stream_id, event.type, *event.also_in):
            if not name or "\x00" in name:
                raise ValueError(f"stream ids and event types must be non-empty text: {name!r}")
        return tuple(dict.fromkeys(s for s in event.also_in if s != event.stream_id))

    def _write(
        self,
        events: Sequence[NewEvent],
        plan: list[tuple[str, ...]],
        current: dict[str, int],
        metadata: Metadata,
    ) -> list[StoredEvent]:
        assert self._head is not None
        position, previous, last_micros = self._head
        first = position + 1
        # recorded_at never goes backwards (even if the clock does), so position_at can
        # binary-search it
        micros = max(time.time_ns() // 1000, last_micros)
        recorded = _EPOCH + dt.timedelta(microseconds=micros)
        meta = metadata.to_json()
        meta_text = _ENCODE(metadata.to_stored())
        versions = dict(current)
        decode = _DECODER.raw_decode  # the stored text is compact JSON, as in _decode_rows
        rows: list[Row] = []
        links: list[Row] = []
        stored: list[StoredEvent] = []
        for event, also in zip(events, plan, strict=True):
            position += 1
            version = versions.get(event.stream_id, 0) + 1
            versions[event.stream_id] = version
            for stream in also:
                link_version = versions.get(stream, 0) + 1
                versions[stream] = link_version
                links.append((stream, link_version, position))
            schema_version = int(event.schema_version)  # True would be stored as 1
            data_text = _ENCODE(event.data)
            also_text = _ENCODE(also) if also else None
            digest = event_hash(
                previous, position, event.stream_id, version, event.type,
                schema_version, data_text, meta_text, micros, also_text,
            )  # fmt: skip
            rows.append(
                (position, event.stream_id, version, event.type, schema_version,
                 data_text, meta_text, micros, digest, also_text)
            )  # fmt: skip
            stored.append(
                StoredEvent(
                    position, event.stream_id, version, event.type, schema_version,
                    decode(data_text)[0], meta, recorded, digest, also,
                )
            )  # fmt: skip
            previous = digest
        raw = self._raw
        if len(rows) == 1:
            raw.execute(_INSERT_EVENT, rows[0])
        else:
            raw.executemany(_INSERT_EVENT, rows)
        if links:
            if len(links) < len(_INSERT_LINKS):
                raw.execute(_INSERT_LINKS[len(links)], [v for link in links for v in link])
            else:
                raw.executemany(_INSERT_LINK, links)
        fingerprint = metadata.fingerprint or None
        raw.execute(
            _INSERT_COMMAND, (_command_key(metadata.command_id), first, position, fingerprint)
        )
        self._head = (position, previous, micros)
        self._absent_command = None
        if len(self._versions) > _VERSIONS_KEPT:  # bounded: every new entry is a new stream
            self._versions.clear()
        self._versions.update(versions)
        return stored

    def save_snapshot(self, snapshot: Snapshot) -> None:
        """Keep ``snapshot`` as the stream's one snapshot (replacing an older one)."""
        values = (snapshot.stream_id, snapshot.version, snapshot.code_version)
        state = _ENCODE(snapshot.state)
        if self._depth:  # one statement is atomic: no savepoint needed
            with dialect.translated_errors(self._path):
                self._raw.execute(dialect.UPSERT_SNAPSHOT, (*values, state))
            return
        with self.transaction(), dialect.translated_errors(self._path):
            self._raw.execute(dialect.UPSERT_SNAPSHOT, (*values, state))

    # ------------------------------------------------------------ reading

    def stream_version(self, stream_id: str) -> int:
        if self._depth:  # under the write lock what we read or wrote stays true
            version = self._versions.get(stream_id)
            if version is not None:
                return version
            with dialect.translated_errors(self._path):
                return self._query_version(stream_id)
        self._end_implicit()
        with dialect.translated_errors(self._path):
            row = self._raw.execute(_SELECT_VERSION, (stream_id,)).fetchone()
        return int(row[0])

    def _query_version(self, stream_id: str) -> int:
        """A stream's version read inside a write transaction, and remembered."""
        version = int(self._raw.execute(_SELECT_VERSION, (stream_id,)).fetchone()[0])
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
        self._end_implicit()
        after = after_version
        while True:
            with dialect.translated_errors(self._path):
                rows = self._raw.execute(
                    _SELECT_STREAM, (stream_id, after, after + batch_size)
                ).fetchall()
            yield from _to_events(rows)
            if len(rows) < batch_size:
                return
            after += batch_size

    def read_all(
        self, after_position: int = 0, to_position: int | None = None, batch_size: int = 2000
    ) -> Iterator[StoredEvent]:
        """Events after ``after_position`` up to ``to_position`` (default: the head when
        reading starts), fetched ``batch_size`` at a time by position ranges."""
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self._end_implicit()
        with dialect.translated_errors(self._path):
            upto = self._read_head()[0] if to_position is None else to_position
        position = after_position
        while position < upto:
            with dialect.translated_errors(self._path):
                rows = self._raw.execute(_SELECT_RANGE, (position, upto, batch_size)).fetchall()
            if not rows:
                return
            yield from _to_events(rows)
            position = rows[-1][0]

    def read_data(
        self, after_position: int = 0, to_position: int | None = None, batch_size: int = 5000
    ) -> Iterator[list[DataRow]]:
        """Like :meth:`read_all`, in batches of ``(position, type, schema_version, data)``.

        For replaying readers (read-model rebuilds) that need neither metadata, time nor
        hash: reading and building only those is about twice as fast as full events.
        """
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self._end_implicit()
        with dialect.translated_errors(self._path):
            upto = self._read_head()[0] if to_position is None else to_position
        decode = _DECODER.raw_decode
        position = after_position
        while position < upto:
            with dialect.translated_errors(self._path):
                rows = self._raw.execute(_SELECT_DATA, (position, upto, batch_size)).fetchall()
            if not rows:
                return
            with gc_paused():
                batch = [(p, t, v, decode(d)[0]) for p, t, v, d in rows]
            yield batch
            position = rows[-1][0]

    def _read_positions(self, first: int, last: int) -> list[StoredEvent]:
        rows = self._raw.execute(_SELECT_RANGE, (first - 1, last, last - first + 1)).fetchall()
        return _to_events(rows)

    def position_at(self, when: dt.datetime) -> int:
        """The last position recorded at or before ``when`` (timezone-aware), 0 if none.

        Binary search over positions: recorded_at never decreases along the log.
        """
        target = _to_micros(when)
        self._end_implicit()
        with dialect.translated_errors(self._path):
            low, high = 0, self._read_head()[0]
            while low < high:
                middle = (low + high + 1) // 2
                row = self._raw.execute(_SELECT_RECORDED_AT, (middle,)).fetchone()
                if row is not None and row[0] <= target:
                    low = middle
                else:
                    high = middle - 1
        return low

    def head(self) -> tuple[int, bytes]:
        if self._depth and self._head is not None:
            return self._head[0], self._head[1]
        self._end_implicit()
        with dialect.translated_errors(self._path):
            position, digest, _ = self._read_head()
        return position, digest

    def load_snapshot(self, stream_id: str) -> Snapshot | None:
        """The stream's snapshot, whatever its code_version (the caller decides to use it)."""
        table = schema.snapshots
        self._end_implicit()
        with dialect.translated_errors(self._path):
            row = self._conn.execute(
                select(table.c.version, table.c.code_version, table.c.state).where(
                    table.c.stream_id == stream_id
                )
            ).first()
            self._end_implicit()
        if row is None:
            return None
        return Snapshot(stream_id, row.version, row.code_version, json.loads(row.state))

    # ------------------------------------------------------------ verification

    def verify(self, progress: Progress | None = None, batch_size: int = 5000) -> VerifyReport:
        """Walk the hash chain from the genesis hash, recomputing every hash.

        Checks positions run 1, 2, 3... without gaps and each stored hash matches its
        recomputation. The first bad position is named with what happened there: "altered",
        "inserted", "removed", "reordered" (or "damaged" if SQLite cannot read the file).
        ``progress(done, total)`` returning False stops early (``cancelled``). Events
        appended while verifying are left for the next run.
        """
        self._end_implicit()
        previous = self._genesis
        expected = 1
        try:
            with dialect.translated_errors(self._path):
                total = self._read_head()[0]
        except DamagedBook as exc:
            return self._bad(0, previous, 1, "damaged", str(exc))
        while True:
            rows, damage = self._verify_batch(expected, total, batch_size)
            for row in rows:
                if row[0] != expected:
                    return self._bad(
                        expected - 1, previous, expected, "removed",
                        f"positions {expected} to {row[0] - 1} are missing",
                    )  # fmt: skip
                if not _chains(previous, row, expected):
                    return self._diagnose(expected, previous)
                previous = row[8]
                expected += 1
            if damage:
                return self._bad(expected - 1, previous, expected, "damaged", damage)
            if not rows:
                break
            if progress is not None and progress(expected - 1, total) is False:
                return VerifyReport(
                    ok=False, events=expected - 1, head_position=expected - 1,
                    head_hash=previous.hex(), cancelled=True,
                )  # fmt: skip
        return VerifyReport(
            ok=True, events=expected - 1, head_position=expected - 1, head_hash=previous.hex()
        )

    def _verify_batch(self, first: int, upto: int, size: int) -> tuple[list[Row], str]:
        """Rows from position ``first`` to ``upto``, and the damage message if SQLite failed.

        When a batch hits a damaged page, the rows are read one by one so verification names
        the first position that cannot be read.
        """
        try:
            with dialect.translated_errors(self._path):
                return self._raw.execute(_SELECT_RANGE, (first - 1, upto, size)).fetchall(), ""
        except DamagedBook:
            pass
        rows: list[Row] = []
        position = first - 1
        for _ in range(size):
            try:
                with dialect.translated_errors(self._path):
                    row = self._raw.execute(_SELECT_RANGE, (position, upto, 1)).fetchone()
            except DamagedBook as exc:
                return rows, str(exc)
            if row is None:
                break
            rows.append(row)
            position = row[0]
        return rows, ""

    @staticmethod
    def _bad(done: int, previous: bytes, position: int, problem: str, message: str) -> VerifyReport:
        return VerifyReport(
            ok=False,
            events=done,
            head_position=done,
            head_hash=previous.hex(),
            first_bad_position=position,
            problem=problem,
            details={"message": f"position {position}: {message}"},
        )

    def _diagnose(self, position: int, previous: bytes) -> VerifyReport:
        """Tell what happened at ``position``, the first event whose hash does not chain."""
        rows = self._raw.execute(_SELECT_FROM, (position, _LOOKAHEAD)).fetchall()
        done = position - 1

        def bad(problem: str, message: str) -> VerifyReport:
            return self._bad(done, previous, position, problem, message)

        # the event that belongs here sits q places later: moved (swapped) or pushed by inserts
        for q in range(1, len(rows)):
            if rows[q][0] == position + q and _chains(previous, rows[q], position):
                before_q = rows[q][8] if q == 1 else rows[q - 1][8]
                if _chains(before_q, rows[0], position + q):
                    return bad(
                        "reordered",
                        f"the event stored here belongs at {position + q} and the one stored at "
                        f"{position + q} belongs here",
                    )
                return bad(
                    "inserted",
                    f"{q} event(s) were inserted here, pushing the original ones back",
                )
        if len(rows) > 1:
            # later events chain from this one's stored hash: its content changed
            if _chains(rows[0][8], rows[1], position + 1):
                return bad("altered", "the event's content no longer matches its hash")
            for shift in range(1, _LOOKAHEAD):
                if _chains(rows[0][8], rows[1], position + 1 + shift):
                    return bad(
                        "removed",
                        f"{shift} event(s) were removed here and later ones renumbered",
                    )
        return bad(
            "altered",
            "the stored hash does not follow from the previous event (this event, or the "
            "hash of the one before it, was changed)",
        )

    # ------------------------------------------------------------ copying

    def backup(
        self,
        target_path: str | os.PathLike[str],
        progress: Progress | None = None,
        *,
        pages_per_step: int = 1024,
    ) -> bool:
        """Write a consistent copy of this book to the new file ``target_path``.

        Uses SQLite's online backup from one read snapshot, so other connections (this one
        included) may keep writing meanwhile; what is copied is the book as last committed.
        Refuses (FileExistsError) if anything is at ``target_path``; a cancelled or failed copy
        leaves nothing there. ``progress(pages_done, pages_total)`` is called after each step of
        ``pages_per_step`` pages; returning False cancels. Returns True when the copy is
        complete (and opens as a book).
        """
        target = Path(target_path)
        finished = dialect.backup(
            self._path, target, progress=progress, pages_per_step=pages_per_step
        )
        if finished:
            dialect.inspect_book(target)
        return finished

    # ------------------------------------------------------------ closing

    def close(self) -> None:
        """Roll back any open transaction and close the file (idempotent)."""
        if self._closed:
            return
        self._closed = True
        self._depth = 0
        try:
            self._conn.close()
        finally:
            self._engine.dispose()

    def __enter__(self) -> SqliteEventStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class _Transaction:
    """:meth:`SqliteEventStore.transaction`'s context manager: a plain class, as every
    command enters one or two and a generator-based one cost several microseconds each."""

    __slots__ = ("_name", "_root", "_saved_head", "_store")

    def __init__(self, store: SqliteEventStore) -> None:
        self._store = store
        self._root: RootTransaction | None = None
        self._name = ""
        self._saved_head: tuple[int, bytes, int] | None = None

    def __enter__(self) -> None:
        store = self._store
        if store._depth:
            self._name, self._saved_head = store._savepoint()
        else:
            self._root = store._begin()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        failed = exc_type is not None
        if self._root is None:
            self._store._end_savepoint(self._name, self._saved_head, failed)
            return
        self._store._end(self._root, failed)
        if exc is not None:  # rolled back; a SQLite error from inside (say, the read models
            translated = dialect.translate(self._store.path, exc)  # on a full disk) says so
            if translated is not None:
                raise translated from exc
