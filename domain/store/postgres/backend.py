"""The store's rows in one PostgreSQL schema: plain SQL on the psycopg connection.

The write lock is a transaction-level advisory lock keyed by the events table's oid (one per
book, so books in one database do not queue for each other). Held from the transaction's
first statement to its end, it serialises writers: positions are head + 1 with no sequence
(no gaps after a rollback) and each writer chains onto the hash its predecessor committed.
Sessions run in autocommit; transactions are explicit BEGIN/COMMIT, in READ COMMITTED, so
every statement after the lock is taken sees the last commit.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from typing import Any

import psycopg
from sqlalchemy import Connection, Engine

from domain.model.errors import StoreError
from domain.store.backend import (
    EVENT_COLUMNS,
    CommandRow,
    DataRow,
    EventRow,
    HeadRow,
    LinkRow,
    SnapshotRow,
    StoreBackend,
)
from domain.store.postgres import copy_in
from domain.store.postgres.errors import translate, translated_errors

_COLUMNS = ", ".join(EVENT_COLUMNS)
_E_COLUMNS = ", ".join(f"e.{c}" for c in EVENT_COLUMNS)
_SELECT_HEAD = "SELECT position, hash, recorded_at FROM events ORDER BY position DESC LIMIT 1"
_SELECT_RANGE = (
    f"SELECT {_COLUMNS} FROM events WHERE position > %s AND position <= %s "
    "ORDER BY position LIMIT %s"
)
_SELECT_FROM = f"SELECT {_COLUMNS} FROM events WHERE position >= %s ORDER BY position LIMIT %s"
_SELECT_DATA = (
    "SELECT position, type, schema_version, data FROM events "
    "WHERE position > %s AND position <= %s ORDER BY position LIMIT %s"
)
_SELECT_STREAM = (
    f"SELECT {_E_COLUMNS}, e.stream_version AS v FROM events e "
    "WHERE e.stream_id = %(s)s AND e.stream_version > %(a)s AND e.stream_version <= %(u)s "
    f"UNION ALL SELECT {_E_COLUMNS}, l.version AS v FROM stream_links l "
    "JOIN events e ON e.position = l.position "
    "WHERE l.stream_id = %(s)s AND l.version > %(a)s AND l.version <= %(u)s ORDER BY v"
)
_SELECT_RECORDED_AT = "SELECT recorded_at FROM events WHERE position = %s"
_SELECT_VERSION = (
    "SELECT greatest(coalesce((SELECT max(stream_version) FROM events WHERE stream_id = %(s)s), "
    "0), coalesce((SELECT max(version) FROM stream_links WHERE stream_id = %(s)s), 0))"
)
_SELECT_COMMAND = (
    "SELECT first_position, last_position, fingerprint FROM commands WHERE command_id = %s"
)
_SELECT_SNAPSHOT = "SELECT version, code_version, state FROM snapshots WHERE stream_id = %s"
_INSERT_EVENT = f"INSERT INTO events ({_COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
_INSERT_LINK = "INSERT INTO stream_links (stream_id, version, position) VALUES (%s, %s, %s)"
_INSERT_COMMAND = (
    "INSERT INTO commands (command_id, first_position, last_position, fingerprint) "
    "VALUES (%s, %s, %s, %s)"
)
_UPSERT_SNAPSHOT = (
    "INSERT INTO snapshots (stream_id, version, code_version, state) VALUES (%s, %s, %s, %s) "
    "ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version, "
    "code_version = excluded.code_version, state = excluded.state"
)
_SELECT_FINGERPRINTS = "SELECT command_id, fingerprint FROM commands WHERE command_id = ANY(%s)"
_MAX_POSITION = "SELECT coalesce(max(position), 0) FROM events"


class PostgresBackend(StoreBackend):
    """One SQLAlchemy connection to one book's schema, and its psycopg connection under it."""

    def __init__(self, engine: Engine, where: str, channel: str = "") -> None:
        self._where = where
        self._notify = channel  # told of each commit that appends (domain.store.postgres.notify)
        self._errors = translated_errors(where)
        self.engine = engine
        with self._errors:
            self.connection: Connection = engine.connect()
        raw: Any = self.connection.connection.driver_connection
        self.raw: psycopg.Connection[Any] = raw
        self._in_tx = False
        with self._errors:
            row = self.raw.execute("SELECT 'events'::regclass::oid::bigint").fetchone()
        assert row is not None
        # one round trip: begin, take the lock, read the head change_stamp compares
        self._begin_sql = f"BEGIN; SELECT pg_advisory_xact_lock({int(row[0])}); {_MAX_POSITION}"
        self._begun_head: int | None = None
        # change_stamp: the head this connection expects (its own last commit, or the last
        # it saw) and a count of the times another connection was found to have moved it
        self._expected_head = -1
        self._moved = 0
        self._written_head: int | None = None

    def errors(self) -> translated_errors:
        return self._errors

    def translate(self, exc: BaseException) -> StoreError | None:
        return translate(self._where, exc)

    def describe(self) -> str:
        return self._where

    # ---------------------------------------------------------------- transactions

    def begin_write(self) -> None:
        self._in_tx = True
        self._written_head = None
        try:
            with self.raw.cursor() as cur:
                cur.execute(self._begin_sql.encode())  # no parameters: one simple query
                while cur.nextset():
                    pass  # the last result: the head
                row = cur.fetchone()
            self._begun_head = None if row is None else int(row[0])
        except BaseException:
            self.rollback()
            raise

    def commit(self) -> None:
        self.raw.execute("COMMIT")
        self._in_tx = False
        if self._written_head is not None:
            self._expected_head = self._written_head

    def rollback(self) -> None:
        if not self._in_tx:
            return
        self._in_tx = False
        self._written_head = None
        if self.raw.closed:
            return
        with contextlib.suppress(psycopg.OperationalError):  # gone: so is the transaction
            self.raw.execute("ROLLBACK")

    def savepoint(self, name: str) -> None:
        self.raw.execute(f"SAVEPOINT {name}")

    def release(self, name: str) -> None:
        self.raw.execute(f"RELEASE SAVEPOINT {name}")

    def rollback_to(self, name: str) -> None:
        self.raw.execute(f"ROLLBACK TO SAVEPOINT {name}")
        self.raw.execute(f"RELEASE SAVEPOINT {name}")
        self._written_head = None  # unknown again: the next transaction reads it

    def end_read(self) -> None:
        # autocommit: every read outside a transaction sees the last commit. A connection the
        # server or the network dropped (its command failed, reported) is replaced here, so
        # the next command or read runs again
        if self.raw.broken or self.raw.closed:
            self._reconnect()

    def _reconnect(self) -> None:
        with contextlib.suppress(Exception):
            self.connection.close()
        self._in_tx = False
        self._expected_head = -1  # what this connection knew of the log is not trusted
        self.connection = self.engine.connect()
        raw: Any = self.connection.connection.driver_connection
        self.raw = raw

    def change_stamp(self) -> object:
        head, self._begun_head = self._begun_head, None
        if head is None:  # not right after begin_write: look
            row = self.raw.execute(_MAX_POSITION).fetchone()
            head = int(row[0]) if row is not None else 0
        if head != self._expected_head:
            self._moved += 1
            self._expected_head = head
        return self._moved

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
        args = {"s": stream_id, "a": after, "u": upto}
        return self.raw.execute(_SELECT_STREAM, args).fetchall()

    def recorded_at(self, position: int) -> int | None:
        row = self.raw.execute(_SELECT_RECORDED_AT, (position,)).fetchone()
        return None if row is None else int(row[0])

    def stream_version(self, stream_id: str) -> int:
        row = self.raw.execute(_SELECT_VERSION, {"s": stream_id}).fetchone()
        return 0 if row is None else int(row[0])

    def insert_events(self, rows: Sequence[EventRow], links: Sequence[LinkRow]) -> None:
        self.insert_appended(rows, links, None)

    def insert_appended(
        self,
        rows: Sequence[EventRow],
        links: Sequence[LinkRow],
        command: tuple[str, int, int, bytes | None] | None,
    ) -> None:
        raw = self.raw
        # one round trip for the events, their links and the command row (held under the
        # write lock: every other writer waits for it)
        with raw.pipeline(), raw.cursor() as cur:
            cur.executemany(_INSERT_EVENT, rows)
            if links:
                cur.executemany(_INSERT_LINK, links)
            if command is not None:
                cur.execute(_INSERT_COMMAND, command)
            if rows and self._notify:  # delivered by the server once this commits
                cur.execute("SELECT pg_notify(%s, %s)", (self._notify, str(rows[-1][0])))
        if rows:
            self._written_head = int(rows[-1][0])

    # ---------------------------------------------------------------- pages

    def page_check_name(self, thorough: bool) -> str:
        return ""  # the server keeps its own pages (checksums, amcheck): nothing to run here

    def check_pages(
        self, thorough: bool, keep_going: Callable[[], bool] | None = None
    ) -> list[str] | None:
        return []

    # ---------------------------------------------------------------- commands, snapshots

    def command_row(self, command_id: str) -> CommandRow | None:
        row: CommandRow | None = self.raw.execute(_SELECT_COMMAND, (command_id,)).fetchone()
        return row

    def insert_command(
        self, command_id: str, first: int, last: int, fingerprint: bytes | None
    ) -> None:
        self.raw.execute(_INSERT_COMMAND, (command_id, first, last, fingerprint))

    def insert_commands(self, rows: Sequence[tuple[str, int, int, bytes | None]]) -> None:
        with self.raw.pipeline(), self.raw.cursor() as cur:
            cur.executemany(_INSERT_COMMAND, rows)

    def fingerprints(self, command_ids: Sequence[str]) -> dict[str, bytes | None]:
        rows = self.raw.execute(_SELECT_FINGERPRINTS, (list(command_ids),)).fetchall()
        return {str(c): None if f is None else bytes(f) for c, f in rows}

    # psycopg's wait for the server lets go of the GIL, and a connection takes calls from
    # two threads in turn: copying reads and writes beside its own work
    reads_aside = copies_aside = True

    def insert_copied(
        self,
        rows: Sequence[EventRow],
        links: Sequence[LinkRow],
        commands: Sequence[tuple[str, int, int, bytes | None]],
    ) -> None:
        copy_in.copy_in(self.raw, rows, links, commands)  # a statement a table, not a row
        if rows:
            self._written_head = int(rows[-1][0])
            if self._notify:
                self.raw.execute("SELECT pg_notify(%s, %s)", (self._notify, str(rows[-1][0])))

    def snapshot_row(self, stream_id: str) -> SnapshotRow | None:
        row: SnapshotRow | None = self.raw.execute(_SELECT_SNAPSHOT, (stream_id,)).fetchone()
        return row

    def put_snapshot(self, stream_id: str, version: int, code_version: str, state: str) -> None:
        self.raw.execute(_UPSERT_SNAPSHOT, (stream_id, version, code_version, state))

    def close(self) -> None:
        try:
            self.rollback()
        finally:
            try:
                self.connection.close()
            finally:
                self.engine.dispose()
