"""The persisted read models of a book: applied with the events, asked as of any position."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator, Sequence
from pathlib import Path

from sqlalchemy import Connection, insert, select

from domain.model.errors import UnknownAccount
from domain.projections import location, queries, register_page, set_rebuild
from domain.projections.history import describe_events
from domain.projections.projected_store import ProjectedStore
from domain.projections.projector import ReadModelProjector
from domain.projections.rows import AccountRow, HistoryRow, RegisterRow, account_order
from domain.projections.tables import (
    CODE_VERSION,
    SCHEMA,
    metadata,
    qualified,
    rm_checkpoint,
)
from domain.store.base import Progress, StoredEvent
from domain.store.gc_pause import gc_paused
from domain.store.sqlite.connection import attach, attach_memory, dbapi
from domain.store.sqlite.errors import cannot_write, translated_errors

log = logging.getLogger(__name__)

BATCH_SIZE = 5000
REBUILD_EMPTY_ABOVE = 20_000
"""An empty cache for a book with more events than this is filled by :meth:`ReadModels.rebuild`."""
REBUILD_CHUNK = 100_000
"""Positions per step of the set-based rebuild (progress is reported between steps)."""
# The checkpoint and the file's data_version (which moves when another connection commits:
# the projector's memory is tagged with both), in one prepared statement on the driver.
_CHECKPOINT_AND_STAMP = (
    f'SELECT "{rm_checkpoint.c.position.name}", "{rm_checkpoint.c.code_version.name}", '
    f'(SELECT data_version FROM "{SCHEMA}".pragma_data_version) FROM {qualified(rm_checkpoint)}'
)
_SELECT_CHECKPOINT = select(rm_checkpoint.c.position, rm_checkpoint.c.code_version)
_SELECT_OWNER = select(
    rm_checkpoint.c.position, rm_checkpoint.c.event_hash, rm_checkpoint.c.book_id
)


class _Cancelled(Exception):
    pass


class ReadModels:
    """Accounts, registers and history, kept in ``rm_`` tables of the book's read-model cache.

    The cache is a SQLite file of its own (``location.py``: in the user's cache folder, or
    ``path``), attached to the store's connection. ``apply`` runs inside the command's
    transaction, so the rows and the checkpoint commit with the events (the cache's pages are
    not flushed: after a crash it may lag, never lead, and catches up). Queries take ``as_of``
    (a position) and answer from indexes without replaying anything. A cache that is missing,
    written by another projection code version, or no longer matching the book (another book
    or an older copy at its path) is refilled by :meth:`catch_up`. A read-only store gets
    working read models too: only the cache is written. Like the store's connection, an
    instance belongs to one thread; other threads or processes open their own.
    """

    def __init__(
        self,
        store: ProjectedStore,
        *,
        path: Path | None = None,
        batch_size: int = BATCH_SIZE,
        rebuild_chunk: int = REBUILD_CHUNK,
    ) -> None:
        self._store = store
        self._conn = store.connection
        self._raw = dbapi(self._conn)
        self._batch_size = batch_size
        self._rebuild_chunk = rebuild_chunk
        # set-based rebuild in SQL where this dialect has one; else replay through Python
        self._set_based = self._conn.dialect.name == "sqlite"
        self._projector = ReadModelProjector(store)
        self.path = path or location.read_models_path(store.path, store.info().book_id)
        # why the read models live in memory instead, if they must: a user-facing sentence
        self.cache_problem = ""
        if self._conn.in_transaction():  # an implicit read; ATTACH needs none open
            self._conn.commit()
        try:
            if path is None:
                location.seed(self.path, store.info().book_id)
            attach(self._raw, self.path, SCHEMA)
        except Exception as exc:
            # the cache is derived data: a folder that takes no files (permissions, read-only
            # media, a full disk) must not keep the book from opening
            if not cannot_write(exc):
                raise
            log.warning("read models kept in memory: %s cannot be written: %s", self.path, exc)
            why = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not writable"
            self.cache_problem = (
                f"Tallybook cannot keep its views of this book in {self.path.parent} ({why}), "
                "so it rebuilds them each time the book opens."
            )
            attach_memory(self._raw, SCHEMA)
        else:
            location.mark_used(self.path)
            location.prune(self.path)
        with self._reading():
            exists = rm_checkpoint.name in self._table_names(SCHEMA)
            mine = exists and self._belongs_to_book()
        if not mine:
            with store.transaction(allow_readonly=True):
                if exists:
                    self._drop_tables()
                self._create_tables()
        if not store.readonly:
            self._drop_tables_kept_in_the_book()

    def _drop_tables_kept_in_the_book(self) -> None:
        """Tallybook 0.1 kept the read models in the book file: drop those copies (derived
        data, refilled here in the cache) so the book gives their pages to new events."""
        with self._reading():
            legacy = [t for t in self._table_names("main") if t.startswith("rm_")]
        if legacy:
            with self._store.transaction():
                for name in legacy:
                    self._conn.exec_driver_sql(f'DROP TABLE "main"."{name}"')

    def _belongs_to_book(self) -> bool:
        """Whether the cache was filled from this book's events (same id, same chain)."""
        position, event_hash, book_id = self._conn.execute(_SELECT_OWNER).one()
        if book_id != self._store.info().book_id:
            return False
        if position == 0:
            return True
        at = next(iter(self._store.read_all(position - 1, position, 1)), None)
        return at is not None and at.hash == event_hash

    def _table_names(self, schema: str) -> set[str]:
        # not SQLAlchemy's inspect(): it lists the attached files' names, which a book's
        # name that is no UTF-8 makes unreadable
        query = f"SELECT name FROM \"{schema}\".sqlite_master WHERE type = 'table'"
        return {name for (name,) in self._conn.exec_driver_sql(query)}

    def _drop_tables(self) -> None:
        # shortest names first: a virtual table (the search's trigrams) drops its shadow tables
        for name in sorted(self._table_names(SCHEMA), key=len):
            self._conn.exec_driver_sql(f'DROP TABLE IF EXISTS "{SCHEMA}"."{name}"')

    # ------------------------------------------------------------ writing

    def _create_tables(self) -> None:
        # checkfirst, and the checkpoint row only if missing: another process opening the
        # same new book may have created them between our look and our write lock
        there = self._table_names(SCHEMA)
        missing = [table for table in metadata.sorted_tables if table.name not in there]
        metadata.create_all(self._conn, tables=missing, checkfirst=False)
        if self._conn.execute(select(rm_checkpoint.c.id)).first() is None:
            book_id = self._store.info().book_id
            self._conn.execute(
                insert(rm_checkpoint).values(
                    id=1, position=0, book_id=book_id, code_version=CODE_VERSION
                )
            )
        self._projector.forget()

    def _read_checkpoint(self) -> tuple[int, str]:
        # through SQLAlchemy: outside a write transaction it begins the read snapshot that
        # the queries after it share (see _reading)
        row = self._conn.execute(_SELECT_CHECKPOINT).one()
        return int(row[0]), str(row[1])

    def _checkpoint_and_stamp(self) -> tuple[int, str, int]:
        """Inside a write transaction: (checkpoint, code version, data_version)."""
        position, version, stamp = self._raw.execute(_CHECKPOINT_AND_STAMP).fetchone()
        return position, version, stamp

    def apply(self, events: Sequence[StoredEvent]) -> None:
        """Project newly appended events, inside the caller's transaction.

        Events at or below the checkpoint are skipped (so a retried command is harmless);
        a gap before the first new event is filled from the store first.
        """
        if not events:
            return
        with self._store.transaction(allow_readonly=True), self._forgetting_on_error():
            checkpoint, version, stamp = self._checkpoint_and_stamp()
            if version != CODE_VERSION:
                self._rebuild_in_transaction(None)
                return
            fresh = events
            if events[0].position <= checkpoint:
                fresh = [event for event in events if event.position > checkpoint]
                if not fresh:
                    return
            if fresh[0].position > checkpoint + 1:
                missing = self._store.read_data(checkpoint, fresh[0].position - 1, self._batch_size)
                for rows in missing:
                    checkpoint = self._projector.write_rows(self._conn, rows, checkpoint, stamp)
            self._projector.write(self._conn, fresh, checkpoint, stamp)

    def catch_up(self, progress: Progress | None = None) -> int:
        """Apply the events after the checkpoint in batches, each its own transaction.

        Rebuilds instead if the tables were written by another code version, or are empty
        while the book holds more than REBUILD_EMPTY_ABOVE events (a new cache: the
        set-based rebuild fills it faster than batches of replay). Returns the number of
        events applied; ``progress(done, total)`` returning False stops after the current
        batch (everything applied so far stays, consistent; a cancelled rebuild leaves the
        tables as they were).
        """
        with self._reading():
            checkpoint, version = self._read_checkpoint()
        total = self._store.head()[0] - checkpoint
        if version != CODE_VERSION or (checkpoint == 0 and total > REBUILD_EMPTY_ABOVE):
            return self._store.head()[0] if self.rebuild(progress) else 0
        with gc_paused():
            return self._catch_up_batches(progress, total)

    def _catch_up_batches(self, progress: Progress | None, total: int) -> int:
        done = 0
        while True:
            with self._store.transaction(allow_readonly=True), self._forgetting_on_error():
                checkpoint, _, stamp = self._checkpoint_and_stamp()
                upto = checkpoint + self._batch_size
                batch = next(self._store.read_data(checkpoint, upto, self._batch_size), [])
                if batch:
                    self._projector.write_rows(self._conn, batch, checkpoint, stamp)
            if not batch:
                return done
            done += len(batch)
            if progress is not None and progress(done, max(total, done)) is False:
                return done

    def rebuild(self, progress: Progress | None = None) -> bool:
        """Replay every event into fresh tables, in one transaction.

        ``progress(done, total)`` returning False cancels: the transaction rolls back and
        the read models are exactly as they were. Returns True when the rebuild finished.
        """
        try:
            with self._store.transaction(allow_readonly=True):
                self._rebuild_in_transaction(progress)
        except _Cancelled:
            return False
        return True

    def _rebuild_in_transaction(self, progress: Progress | None) -> None:
        with self._forgetting_on_error(), gc_paused():
            total = self._store.head()[0]
            self._drop_tables()
            self._create_tables()
            _, _, stamp = self._checkpoint_and_stamp()
            self._projector.start_empty(stamp)
            for checkpoint in self._replay(total, stamp):
                if progress is not None and progress(checkpoint, total) is False:
                    raise _Cancelled
            if progress is not None and total == 0:
                progress(0, 0)

    def _replay(self, total: int, stamp: int) -> Iterator[int]:
        """Fill the emptied tables from events 1..total, yielding the checkpoint per step."""
        if self._set_based:
            yield from set_rebuild.rebuild_chunks(
                self._conn, self._projector, total, self._rebuild_chunk
            )
            return
        checkpoint = 0
        for rows in self._store.read_data(0, total, self._batch_size):
            checkpoint = self._projector.write_rows(self._conn, rows, checkpoint, stamp)
            yield checkpoint

    @contextlib.contextmanager
    def _forgetting_on_error(self) -> Iterator[None]:
        # on any failure the transaction rolls back: the projector's memory is then wrong
        try:
            yield
        except BaseException:
            self._projector.forget()
            raise

    # ------------------------------------------------------------ reading

    @contextlib.contextmanager
    def _reading(self) -> Iterator[Connection]:
        """Run queries in one snapshot; end the implicit read transaction afterwards so it
        does not pin an old snapshot (inside a write transaction, leave it alone)."""
        conn = self._conn
        began = not conn.in_transaction()
        try:
            with translated_errors(self._store.path):  # a damaged page: DamagedBook
                yield conn
        except BaseException:
            # a failed read ends its snapshot too: else every later query on this connection
            # fails with "Can't reconnect until invalid transaction is rolled back"
            if began and conn.in_transaction():
                conn.rollback()
            raise
        if began and conn.in_transaction():
            conn.commit()

    @property
    def store(self) -> ProjectedStore:
        return self._store

    def needs_rebuild(self) -> bool:
        """True if the tables were written by another projection code version; then
        :meth:`catch_up` (or the next :meth:`apply`) rebuilds them, and until that the
        answers may be wrong."""
        with self._reading():
            return self._read_checkpoint()[1] != CODE_VERSION

    def checkpoint(self) -> int:
        """The position of the last event applied to the read models."""
        with self._reading():
            return self._read_checkpoint()[0]

    def event_count(self) -> int:
        """The number of events the read models cover (positions are gap-free: the
        checkpoint). Equal to the book's event count unless :meth:`pending` is non-zero."""
        return self.checkpoint()

    def pending(self) -> int:
        """How many events of the book the read models have not applied yet."""
        return max(0, self._store.head()[0] - self.checkpoint())

    def _as_of(self, as_of: int | None) -> int:
        checkpoint = self._read_checkpoint()[0]
        return checkpoint if as_of is None else max(0, min(as_of, checkpoint))

    def accounts(self, as_of: int | None = None) -> list[AccountRow]:
        """Accounts opened at or before ``as_of`` with name, state and balance as of then."""
        with self._reading() as conn:
            states = queries.account_states(conn, self._as_of(as_of))
        return sorted((s.account_row() for s in states), key=account_order)

    def account_balance(self, account_id: str, as_of: int | None = None) -> int:
        """Natural-signed balance as of ``as_of``; UnknownAccount if not open by then."""
        with self._reading() as conn:
            p = self._as_of(as_of)
            states = queries.account_states(conn, p, account_id)
        if not states:
            raise UnknownAccount(f"no account {account_id!r} at position {p}")
        return states[0].balance

    def register(
        self, account_id: str, as_of: int | None = None, offset: int = 0, limit: int = 100
    ) -> list[RegisterRow]:
        """A page of the account's register as of ``as_of``, in (booking date, position)
        order with running balances; [] for an account not open by then."""
        with self._reading() as conn:
            p = self._as_of(as_of)
            state = register_page.register_state(conn, account_id, p)
            if state is None or limit <= 0:
                return []
            return register_page.register_page(conn, state, p, max(0, offset), limit)

    def register_count(self, account_id: str, as_of: int | None = None) -> int:
        """How many register rows the account has as of ``as_of`` (one index seek)."""
        with self._reading() as conn:
            state = register_page.register_state(conn, account_id, self._as_of(as_of))
        return 0 if state is None else state.rows

    def register_hidden(self, account_id: str, as_of: int | None = None) -> list[int]:
        """The places of the voided entries and their voids in the register, in order."""
        with self._reading() as conn:
            p = self._as_of(as_of)
            state = register_page.register_state(conn, account_id, p)
            return [] if state is None else register_page.hidden_ranks(conn, state, p)

    def history(
        self, offset: int = 0, limit: int = 100, *, locale: str | None = None
    ) -> list[HistoryRow]:
        """Recorded events offset+1 .. offset+limit (by position), described for people.

        The history does not depend on as_of: names are those at each event's own position.
        ``locale`` (a Babel name like ``de_DE``) formats the summaries' amounts; ``None`` keeps
        the fixed ``1,250.00 EUR`` form (the CLI's).
        """
        offset = max(0, offset)
        with self._reading():
            upto = min(offset + max(0, limit), self._read_checkpoint()[0])
        if upto <= offset:
            return []
        events = list(self._store.read_all(offset, upto, self._batch_size))
        with self._reading() as conn:
            return describe_events(conn, events, locale)

    def history_row(self, position: int, *, locale: str | None = None) -> HistoryRow | None:
        """One history row, or None if the read models do not cover that position."""
        rows = self.history(position - 1, 1, locale=locale) if position > 0 else []
        return rows[0] if rows else None

    @contextlib.contextmanager
    def querying(self, as_of: int | None = None) -> Iterator[tuple[Connection, int]]:
        """One read snapshot and ``as_of`` clamped to the checkpoint, for queries kept
        outside this class (``reports``)."""
        with self._reading() as conn:
            yield conn, self._as_of(as_of)
