"""The event store on one SQLite file, through SQLAlchemy 2 Core.

One store object holds one SQLAlchemy ``Connection`` (one thread at a time). Write
transactions begin with BEGIN IMMEDIATE, so concurrent processes queue for the write lock and an
optimistic version check inside the transaction is final.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import sqlite3
import uuid
from pathlib import Path

from sqlalchemy import Connection, insert
from sqlalchemy import exc as sa_exc

from domain.model.errors import BookError, BrokenHistory, DamagedBook
from domain.store import schema, verification
from domain.store.base import BookInfo, Progress
from domain.store.event_store import BackendEventStore
from domain.store.sqlite import backup as sqlite_backup
from domain.store.sqlite import ddl
from domain.store.sqlite.backend import SqliteBackend
from domain.store.sqlite.connection import BEGIN_WRITE, create_engine_for
from domain.store.sqlite.errors import translated_errors, why
from domain.store.sqlite.opening import DEFAULT_BUSY_TIMEOUT, inspect_book


class SqliteEventStore(BackendEventStore):
    """The event store of one book file. Use :meth:`create` or :meth:`open`."""

    def __init__(
        self,
        path: Path,
        info: BookInfo,
        *,
        readonly: bool,
        busy_timeout: float,
        check_pages: bool = True,
    ) -> None:
        self._sqlite = SqliteBackend(path, readonly=readonly, busy_timeout=busy_timeout)
        super().__init__(self._sqlite, info, readonly=readonly)
        self._path = path
        if not readonly:
            try:
                if check_pages:
                    self._check_pages()
                self._add_missing_columns()
            except BaseException:
                self.close()
                raise

    def _check_pages(self) -> None:
        """Refuse writes to a book whose events table has broken pages (SQLite's quick check
        of that table, about 1 µs an event; see the README's verify section): a write reads
        only the pages it needs and would go on appending to a damaged book."""
        with translated_errors(self._path):
            problems = self._sqlite.check_pages(False)
        if not problems:
            return
        # rare: the whole chain is walked to name the first position that is broken
        walked = verification.verify(self._sqlite, self._genesis, None, 5000, check_pages=False)
        name = self._sqlite.page_check_name(False)
        found = f"{name} found broken pages: {problems[0]}"
        broken = walked.broken()
        if broken is None:
            self.refuse_writes(BrokenHistory(None, f"damaged pages ({found})"))
        else:
            self.refuse_writes(BrokenHistory(broken.position, f"{broken.diagnosis}; {found}"))

    # ------------------------------------------------------------ opening

    @classmethod
    def create(
        cls,
        path: str | os.PathLike[str],
        *,
        busy_timeout: float = DEFAULT_BUSY_TIMEOUT,
        like: BookInfo | None = None,
    ) -> SqliteEventStore:
        """Create a new, empty book at ``path``; refuses (FileExistsError) if anything is there.
        ``like``: take that book's id and creation time (a copy of it, see ``copy_from``).

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
            engine = create_engine_for(
                tmp,
                readonly=False,
                busy_timeout=busy_timeout,
                begin_sql=lambda: BEGIN_WRITE,
                create=True,
            )
            try:
                with engine.begin() as conn:
                    schema.metadata.create_all(conn)
                    ddl.create_triggers(conn)
                    conn.execute(insert(schema.book), schema.book_rows(like))
            except (sqlite3.Error, sa_exc.DBAPIError) as exc:  # a full disk, read-only media
                writable = os.access(path.parent, os.W_OK)
                reason = why(exc) if writable else f"{path.parent} takes no new files"
                raise BookError(f"{path}: a new book cannot be created there: {reason}") from exc
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
            ddl.sync_directory(path)
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
        busy_timeout: float = DEFAULT_BUSY_TIMEOUT,
        check_pages: bool = True,
    ) -> SqliteEventStore:
        """Open an existing book.

        Raises NotABook, DamagedBook or NewerFormat (naming the file) and leaves the file
        untouched when it cannot be used. Reads only the header, schema, book table and
        last event, so it is fast on any size of book; opened for writing, it also runs
        SQLite's quick check of the events table's pages (``check_pages``), and a book
        found damaged opens with :attr:`known_break` set: it refuses every write.
        """
        path = Path(path)
        values = inspect_book(path, busy_timeout)
        try:
            created = dt.datetime.fromisoformat(values["created_at"])
        except ValueError:
            raise DamagedBook(f"{path} is damaged: garbled creation time") from None
        info = BookInfo(int(values["format_version"]), values["book_id"], created)
        return cls(
            path, info, readonly=readonly, busy_timeout=busy_timeout, check_pages=check_pages
        )

    def _add_missing_columns(self) -> None:
        # a look first: the write lock (which another writer may hold) only if there is work
        conn = self._sqlite.connection
        with translated_errors(self._path):
            missing = ddl.missing_columns(conn)
            self._end_implicit()
        if missing:
            with self.transaction(), translated_errors(self._path):
                ddl.add_missing_columns(conn)

    # ------------------------------------------------------------ properties

    @property
    def path(self) -> Path:
        return self._path

    @property
    def connection(self) -> Connection:
        """The SQLAlchemy connection of this store; read models write through it inside
        :meth:`transaction` so their rows commit atomically with the events."""
        return self._sqlite.connection

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
        finished = sqlite_backup.backup(
            self._path, target, progress=progress, pages_per_step=pages_per_step
        )
        if finished:
            inspect_book(target)
        return finished

    def __enter__(self) -> SqliteEventStore:
        return self
