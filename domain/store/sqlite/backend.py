"""The store's rows in one SQLite file: plain SQL on the driver cursor.

Hot paths (append, reading) run plain SQL on the sqlite3 cursor under the SQLAlchemy
connection: Core row objects and statement compilation cost too much per event.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path

from sqlalchemy import Connection, Engine, RootTransaction

from domain.model.errors import BookError, StoreError
from domain.store.backend import (
    EVENT_COLUMNS,
    CommandRow,
    DataRow,
    EventRow,
    HeadRow,
    LinkRow,
    PageCheck,
    SnapshotRow,
    StoreBackend,
)
from domain.store.sqlite import walk_aside
from domain.store.sqlite.connection import (
    BEGIN_READ,
    BEGIN_WRITE,
    closed,
    connect,
    create_engine_for,
    dbapi,
    disk_full,
    file_stamp,
    file_uri,
    read_as_it_is,
)
from domain.store.sqlite.errors import is_damage, translate, translated_errors
from domain.store.sqlite.page_check import PageCheckAside, findings

_COLUMNS = ", ".join(EVENT_COLUMNS)
_E_COLUMNS = ", ".join(f"e.{c}" for c in EVENT_COLUMNS)
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
_SELECT_SNAPSHOT = "SELECT version, code_version, state FROM snapshots WHERE stream_id = ?"
# changes whenever another connection commits: while it stays put, what this connection
# learned about the log (its head, stream versions) still holds
_DATA_VERSION = "PRAGMA data_version"
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
UPSERT_SNAPSHOT = (
    "INSERT INTO snapshots (stream_id, version, code_version, state) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version, "
    "code_version = excluded.code_version, state = excluded.state"
)
"""Insert or replace the one snapshot kept per stream."""

# The whole file, every index against its table (verify), or only the events table and its
# index, without the cross-checks (each open for writing; see the README's verify section)
_PAGE_CHECKS = {True: "PRAGMA integrity_check", False: "PRAGMA quick_check(events)"}
_CHECK_EVERY = 20_000  # VM steps between looks at keep_going: ~1.5 ms apart (13 ms at most)

_HEX = frozenset("0123456789abcdef")
_ID_DIGITS = "234567abcdefghijklmnopqrstuvwxyz"  # domain.model.commands.ID_ALPHABET
_BASE32 = frozenset(_ID_DIGITS)
# the id's digits as int()'s base-32 digits: the same big-endian number base64.b32decode
# reads (16 digits = 80 bits = 10 bytes), at a fifth of its cost
_TO_INT_DIGITS = str.maketrans(_ID_DIGITS, "0123456789abcdefghijklmnopqrstuv")


def command_key(command_id: str) -> str | bytes:
    """How the commands table keys a command id: as the bytes it spells when it is one of the
    two usual forms, 16 base32 digits of new_id's alphabet (10 bytes) or 32 lowercase hex
    digits (a uuid: 16 bytes), else as text. Each form maps one-to-one onto its own length
    of blob, and a blob never equals a text value in SQLite, so no two ids share a key."""
    if len(command_id) == 16 and _BASE32.issuperset(command_id):
        return int(command_id.translate(_TO_INT_DIGITS), 32).to_bytes(10, "big")
    if len(command_id) == 32 and _HEX.issuperset(command_id):
        return bytes.fromhex(command_id)
    return command_id


class SqliteBackend(StoreBackend):
    """One SQLAlchemy connection to one book file, and its sqlite3 connection underneath."""

    def __init__(self, path: Path, *, readonly: bool, busy_timeout: float) -> None:
        self.path = path
        self._begin_sql = BEGIN_READ
        self._root: RootTransaction | None = None
        self._errors = translated_errors(path)
        # a closed book on a full disk (or in a folder taking no files) is read as it is on
        # disk; a writer could only create the -wal and -shm files and fail, leaving them
        immutable = readonly and read_as_it_is(path)
        if not readonly and closed(path) and disk_full(path.resolve().parent):
            raise BookError(f"{path}: the disk is full; nothing was written. Free some space.")
        self._stamp = file_stamp(path) if immutable else None
        self.engine: Engine = create_engine_for(
            path,
            readonly=readonly,
            busy_timeout=busy_timeout,
            begin_sql=lambda: self._begin_sql,
            immutable=immutable,
        )
        try:
            with translated_errors(path, otherwise="cannot be opened"):
                self.connection: Connection = self.engine.connect()
        except BaseException:
            self.engine.dispose()
            raise
        self.raw: sqlite3.Connection = dbapi(self.connection)
        self._busy_timeout = busy_timeout
        self._last_command_key: tuple[str, str | bytes] = ("", "")

    def errors(self) -> translated_errors:
        return self._errors

    def translate(self, exc: BaseException) -> StoreError | None:
        return translate(self.path, exc)

    def describe(self) -> str:
        return str(self.path)

    # ---------------------------------------------------------------- transactions

    def begin_write(self) -> None:
        self._begin_sql = BEGIN_WRITE
        try:
            self._root = self.connection.begin()
        finally:
            self._begin_sql = BEGIN_READ

    def commit(self) -> None:
        assert self._root is not None
        self._root.commit()
        self._root = None

    def rollback(self) -> None:
        root, self._root = self._root, None
        if root is not None:
            root.rollback()

    def savepoint(self, name: str) -> None:
        # plain SAVEPOINT statements: SQLAlchemy's begin_nested() doubled the cost of each
        # append inside a batch, and its root transaction is unaffected by them
        self.raw.execute(f"SAVEPOINT {name}")

    def release(self, name: str) -> None:
        self.raw.execute(f"RELEASE {name}")

    def rollback_to(self, name: str) -> None:
        self.raw.execute(f"ROLLBACK TO {name}")
        self.raw.execute(f"RELEASE {name}")

    def end_read(self) -> None:
        # A Core query outside a transaction (a read model's) autobegins a deferred read
        # transaction that would pin an old snapshot (and block WAL checkpoints)
        if self.connection.in_transaction():
            self.connection.commit()

    def writes(self) -> int:
        return self.raw.total_changes  # rows inserted, updated or deleted (never goes down)

    def change_stamp(self) -> object:
        return self.raw.execute(_DATA_VERSION).fetchone()[0]

    # ---------------------------------------------------------------- events

    def head_row(self) -> HeadRow | None:
        row: HeadRow | None = self.raw.execute(_SELECT_HEAD).fetchone()
        return row

    def event_rows(self, after: int, upto: int, limit: int) -> list[EventRow]:
        return self.raw.execute(_SELECT_RANGE, (after, upto, limit)).fetchall()

    def event_rows_from(self, first: int, limit: int) -> list[EventRow]:
        return self.raw.execute(_SELECT_FROM, (first, limit)).fetchall()

    def data_rows(self, after: int, upto: int, limit: int) -> list[DataRow]:
        return self.raw.execute(_SELECT_DATA, (after, upto, limit)).fetchall()

    def stream_rows(self, stream_id: str, after: int, upto: int) -> list[EventRow]:
        return self.raw.execute(_SELECT_STREAM, (stream_id, after, upto)).fetchall()

    def recorded_at(self, position: int) -> int | None:
        row = self.raw.execute(_SELECT_RECORDED_AT, (position,)).fetchone()
        return None if row is None else int(row[0])

    def stream_version(self, stream_id: str) -> int:
        return int(self.raw.execute(_SELECT_VERSION, (stream_id,)).fetchone()[0])

    def insert_events(self, rows: Sequence[EventRow], links: Sequence[LinkRow]) -> None:
        raw = self.raw
        if len(rows) == 1:
            raw.execute(_INSERT_EVENT, rows[0])
        else:
            raw.executemany(_INSERT_EVENT, rows)
        if links:
            if len(links) < len(_INSERT_LINKS):
                raw.execute(_INSERT_LINKS[len(links)], [v for link in links for v in link])
            else:
                raw.executemany(_INSERT_LINK, links)

    # ---------------------------------------------------------------- pages

    def page_check_name(self, thorough: bool) -> str:
        return _PAGE_CHECKS[thorough]

    def check_pages(
        self, thorough: bool, keep_going: Callable[[], bool] | None = None
    ) -> list[str] | None:
        raw = self.raw
        stopped = False

        def step() -> int:
            nonlocal stopped
            stopped = keep_going is not None and not keep_going()
            return int(stopped)  # non-zero interrupts the statement

        if keep_going is not None:
            raw.set_progress_handler(step, _CHECK_EVERY)
        try:
            rows = raw.execute(_PAGE_CHECKS[thorough]).fetchall()
        except sqlite3.DatabaseError as exc:
            if stopped:
                return None
            if is_damage(exc):  # a page too broken for the check to go on
                return [str(exc)]
            raise
        finally:
            if keep_going is not None:
                raw.set_progress_handler(None, 0)
            self.end_read()
        return findings(rows)

    def start_page_check(self, thorough: bool) -> PageCheck:
        try:  # a read-only connection of its own, opened as this one was
            side = connect(self.path, readonly=True, busy_timeout=self._busy_timeout,
                           immutable=self._stamp is not None)  # fmt: skip
        except sqlite3.Error:
            return super().start_page_check(thorough)  # later, on this connection
        return PageCheckAside(side, _PAGE_CHECKS[thorough])

    def walk_aside(
        self, genesis: bytes, total: int, progress: Callable[[int, int], bool] | None
    ) -> tuple[int, bool] | None:
        uri = file_uri(self.path.resolve(), "mode=ro")
        if self._stamp is not None:  # opened "immutable": the children read it so too
            uri += "&immutable=1"
        return walk_aside.walk_aside(uri, genesis, total, progress, walk_aside.workers())

    # ---------------------------------------------------------------- commands, snapshots

    def command_row(self, command_id: str) -> CommandRow | None:
        row: CommandRow | None = self.raw.execute(
            _SELECT_COMMAND, (self._command_key(command_id),)
        ).fetchone()
        return row

    def insert_command(
        self, command_id: str, first: int, last: int, fingerprint: bytes | None
    ) -> None:
        key = self._command_key(command_id)
        self.raw.execute(_INSERT_COMMAND, (key, first, last, fingerprint))

    def _command_key(self, command_id: str) -> str | bytes:
        # a command's id is looked up, then inserted: its key is worked out once
        last_id, last_key = self._last_command_key
        if command_id != last_id:
            last_key = command_key(command_id)
            self._last_command_key = (command_id, last_key)
        return last_key

    # sqlite3 lets go of the GIL while SQLite works, and the connection may change threads
    # (check_same_thread off): copying writes its batches beside its own work
    copies_aside = True

    def insert_commands(self, rows: Sequence[tuple[str, int, int, bytes | None]]) -> None:
        self.raw.executemany(_INSERT_COMMAND, [(command_key(c), *rest) for c, *rest in rows])

    def fingerprints(self, command_ids: Sequence[str]) -> dict[str, bytes | None]:
        ids = {command_key(c): c for c in command_ids}
        keys = list(ids)
        found: dict[str, bytes | None] = {}
        for at in range(0, len(keys), 500):  # well under SQLite's limit of bound values
            chunk = keys[at : at + 500]
            marks = ", ".join("?" * len(chunk))
            sql = f"SELECT command_id, fingerprint FROM commands WHERE command_id IN ({marks})"
            for key, fingerprint in self.raw.execute(sql, chunk):
                found[ids[key]] = fingerprint
        return found

    def snapshot_row(self, stream_id: str) -> SnapshotRow | None:
        row: SnapshotRow | None = self.raw.execute(_SELECT_SNAPSHOT, (stream_id,)).fetchone()
        return row

    def put_snapshot(self, stream_id: str, version: int, code_version: str, state: str) -> None:
        self.raw.execute(UPSERT_SNAPSHOT, (stream_id, version, code_version, state))

    def close(self) -> None:
        self._root = None
        try:
            self.connection.close()
        finally:
            self.engine.dispose()
        stamp, self._stamp = self._stamp, None
        if stamp is not None and stamp != file_stamp(self.path):
            # read without locks: what was read may mix the book before and after the change
            raise BookError(
                f"{self.path} was changed by another program while it was read (without "
                "locks: the disk is full or its folder takes no new files); read it again"
            )
