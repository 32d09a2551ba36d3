"""Everything SQLite-specific about the store: file checks, pragmas, triggers, locking, errors.

The store itself (``sqlite.py``) speaks SQLAlchemy Core plus a few plain SQL statements; a
PostgreSQL backend would replace this module, not the store's logic.

Durability and concurrency choices:

* ``journal_mode=WAL`` + ``synchronous=FULL``: each commit fsyncs the WAL before returning, so an
  acknowledged command survives kill -9 *and* power loss (``NORMAL`` would only survive a
  process crash). WAL also lets readers run while another process writes.
* ``busy_timeout`` (30 s by default): a writer waits for another process's write lock instead of
  failing with "database is locked".
* ``BEGIN IMMEDIATE`` for write transactions: the write lock is taken up front, so a
  transaction that read versions can always upgrade to writing (a deferred transaction would get
  SQLITE_BUSY_SNAPSHOT without waiting). The pysqlite driver's own BEGIN handling is switched off
  (``isolation_level=None``) and the store emits BEGIN itself through SQLAlchemy's ``begin``
  event, as SQLAlchemy's SQLite documentation describes.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
import struct
import uuid
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import quote

from sqlalchemy import Column, Connection, Engine, create_engine, event
from sqlalchemy import exc as sa_exc
from sqlalchemy.pool import NullPool

from domain.model.errors import (
    BookError,
    ConcurrencyError,
    DamagedBook,
    DiskError,
    NewerFormat,
    NotABook,
    StoreError,
)
from domain.store import schema

HEADER = b"SQLite format 3\x00"
BEGIN_WRITE = "BEGIN IMMEDIATE"
BEGIN_READ = "BEGIN"
DEFAULT_BUSY_TIMEOUT = 30.0

# Primary result codes (sqlite3.h); extended codes keep them in the low byte.
_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6
_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26
_BUSY_CODES = (_SQLITE_BUSY, _SQLITE_LOCKED)
_DAMAGE_CODES = (_SQLITE_CORRUPT, _SQLITE_NOTADB)

_TABLES = {t.name for t in schema.metadata.sorted_tables}


# ---------------------------------------------------------------- errors


def _sqlite_error(exc: BaseException) -> sqlite3.Error | None:
    if isinstance(exc, sa_exc.DBAPIError) and isinstance(exc.orig, sqlite3.Error):
        return exc.orig
    return exc if isinstance(exc, sqlite3.Error) else None


# what keeps a file from being created or written (as opposed to a busy or damaged one)
_WRITE_FAILURES = {
    sqlite3.SQLITE_FULL: "the disk is full",
    sqlite3.SQLITE_READONLY: "the file or its folder is read-only",
    sqlite3.SQLITE_IOERR: "the disk reported an input/output error",
    sqlite3.SQLITE_CANTOPEN: "a file beside the book cannot be created or opened",
    sqlite3.SQLITE_PERM: "permission denied",
}


def _code(err: sqlite3.Error) -> int | None:
    code = getattr(err, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def is_busy(exc: BaseException) -> bool:
    """True for SQLite's "database is locked/busy" (another connection holds a lock)."""
    err = _sqlite_error(exc)
    if err is None:
        return False
    code = _code(err)
    if code is not None:
        return code in _BUSY_CODES
    text = str(err).lower()
    return "database is locked" in text or "database is busy" in text or "locked" in text


def is_damage(exc: BaseException) -> bool:
    """True when SQLite found the file corrupt or not a database."""
    err = _sqlite_error(exc)
    if err is None:
        return False
    code = _code(err)
    if code is not None:
        return code in _DAMAGE_CODES
    text = str(err).lower()
    return "malformed" in text or "not a database" in text


class translated_errors:
    """Turn SQLite lock, corruption and disk errors into the store's errors (never leak
    "locked"); see :func:`translate`.

    A class, not a generator-based context manager: every command enters a few of these, and
    a plain ``__enter__``/``__exit__`` costs a fraction of contextlib's machinery.
    """

    __slots__ = ("_otherwise", "_path")

    def __init__(self, path: Path, otherwise: str = "") -> None:
        """``otherwise`` (say "cannot be opened") turns any other SQLite error into a
        BookError that says so, with SQLite's reason."""
        self._path = path
        self._otherwise = otherwise

    def __enter__(self) -> None:
        return None

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc is not None:
            translated = translate(self._path, exc, self._otherwise)
            if translated is not None:
                raise translated from exc


def translate(path: Path, exc: BaseException, otherwise: str = "") -> StoreError | None:
    """The store's error for a SQLite error about the book at ``path``, or None to let it
    through: busy (ConcurrencyError), damaged (DamagedBook), ``otherwise`` (BookError), or a
    disk that refused to write or read (DiskError)."""
    if not isinstance(exc, sqlite3.Error | sa_exc.DBAPIError):
        return None
    if is_busy(exc):
        return ConcurrencyError(
            f"{path} stayed busy with another writer for too long; nothing was written, try again"
        )
    if is_damage(exc):
        return DamagedBook(f"{path} is damaged: {_sqlite_error(exc)}")
    if otherwise:
        return BookError(f"{path} {otherwise}: {_sqlite_error(exc)}")
    reason = _write_failure(exc)
    if reason is not None:
        return DiskError(f"{path}: {reason}")
    return None


# ---------------------------------------------------------------- opening checks


def check_header(path: Path) -> None:
    """Check the file's 100-byte SQLite header with plain file I/O (nothing is written).

    Raises NotABook for a missing, empty or non-SQLite file and DamagedBook for a SQLite file
    whose header is broken or that is shorter than its header says (and has no WAL that could
    still hold its last pages).
    """
    try:
        with open(path, "rb") as f:
            header = f.read(100)
            size = os.fstat(f.fileno()).st_size
    except FileNotFoundError:
        raise NotABook(f"{path} does not exist") from None
    except IsADirectoryError:
        raise NotABook(f"{path} is a folder, not a Tallybook book") from None
    except OSError as exc:
        raise BookError(f"{path} cannot be read: {exc.strerror}") from exc
    if not header:
        raise NotABook(f"{path} is an empty file, not a Tallybook book")
    if header[:16] != HEADER:
        raise NotABook(f"{path} is not a Tallybook book (not a SQLite database)")
    if len(header) < 100:
        raise DamagedBook(f"{path} is damaged: the file ends inside its header ({size} bytes)")
    (page_size,) = struct.unpack(">H", header[16:18])
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        raise DamagedBook(f"{path} is damaged: invalid page size {page_size} in its header")
    change_counter, pages = struct.unpack(">II", header[24:32])
    (valid_for,) = struct.unpack(">I", header[92:96])
    wal = Path(f"{path}-wal")
    if wal.exists() and wal.stat().st_size > 0:
        return  # the WAL may still hold pages the main file lacks; SQLite will sort it out
    if size % page_size:
        raise DamagedBook(
            f"{path} is damaged: its size ({size} bytes) is not a whole number of "
            f"{page_size}-byte pages (truncated?)"
        )
    if valid_for == change_counter and pages * page_size > size:
        raise DamagedBook(
            f"{path} is damaged: its header says {pages} pages of {page_size} bytes but the file "
            f"holds {size // page_size} (truncated?)"
        )


def _inspect_uri(path: Path) -> str:
    # With no WAL file nobody has the book open and the main file is complete: "immutable"
    # reads it without locks and without creating -wal/-shm files (a plain read-only open of a
    # WAL database creates both and cannot delete them). With a WAL present, read it properly.
    quoted = quote(str(path.resolve()))
    if Path(f"{path}-wal").exists():
        return f"file:{quoted}?mode=ro"
    return f"file:{quoted}?mode=ro&immutable=1"


def _unwritable_and_closed(path: Path) -> bool:
    """A book in a folder that takes no new files (read-only media, another user's folder),
    with no -wal or -shm beside it: SQLite cannot create the -shm file a reader of a WAL
    database needs, so a plain read-only open fails. Without a -wal file nobody has the book
    open for writing and the file is complete, so it can be read as it is ("immutable": no
    locks, no -shm). Only someone who may write the folder could change the book meanwhile,
    and this reader would neither see that nor be protected from a checkpoint rewriting pages
    under it: the price of reading what this user cannot lock."""
    if os.access(path.resolve().parent, os.W_OK):
        return False
    return not any(Path(f"{path}{suffix}").exists() for suffix in ("-wal", "-shm"))


def inspect_book(path: Path, busy_timeout: float = DEFAULT_BUSY_TIMEOUT) -> dict[str, str]:
    """Read the book table without writing anything; raise NotABook/DamagedBook/NewerFormat.

    Touches only the schema, the book table and the last event (cheap on any size of book).
    """
    check_header(path)
    try:
        conn = sqlite3.connect(
            _inspect_uri(path), uri=True, isolation_level=None, timeout=busy_timeout
        )
    except sqlite3.Error as exc:
        raise BookError(f"{path} cannot be opened: {exc}") from exc
    try:
        names = {
            name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        if "book" not in names:
            raise NotABook(f"{path} is a SQLite database but not a Tallybook book")
        values = dict(conn.execute("SELECT key, value FROM book").fetchall())
        missing = _TABLES - names
        if missing:
            raise DamagedBook(f"{path} is damaged: missing tables {', '.join(sorted(missing))}")
        conn.execute("SELECT position, hash FROM events ORDER BY position DESC LIMIT 1").fetchall()
    except sqlite3.Error as exc:
        if is_busy(exc):
            raise ConcurrencyError(f"{path} is busy with another program; try again") from exc
        if is_damage(exc):
            raise DamagedBook(f"{path} is damaged: {exc}") from exc
        raise BookError(f"{path} cannot be read: {exc}") from exc
    finally:
        conn.close()
    try:
        version = int(values["format_version"])
    except (KeyError, ValueError):
        raise DamagedBook(f"{path} is damaged: its format version is missing or garbled") from None
    if version > schema.FORMAT_VERSION:
        raise NewerFormat(
            f"{path} was written by a newer Tallybook (book format {version}; this version "
            f"reads up to {schema.FORMAT_VERSION}). Update Tallybook to open it."
        )
    for key in ("book_id", "created_at"):
        if key not in values:
            raise DamagedBook(f"{path} is damaged: the book table lacks {key}")
    return values


# ---------------------------------------------------------------- connections


def _connect(
    path: Path, *, readonly: bool, busy_timeout: float, create: bool = False
) -> sqlite3.Connection:
    mode = "ro" if readonly else "rwc" if create else "rw"
    uri = f"file:{quote(str(path.resolve()))}?mode={mode}"
    if readonly and _unwritable_and_closed(path):
        uri += "&immutable=1"
    conn = sqlite3.connect(
        uri,
        uri=True,
        timeout=busy_timeout,
        isolation_level=None,  # the driver never BEGINs or COMMITs on its own
        check_same_thread=False,  # one store may be handed to a worker thread (one at a time)
        cached_statements=256,
    )
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
    conn.execute("PRAGMA cache_size = -16384")  # 16 MiB: reads of big books stay in memory
    if not readonly:  # (read-only: mode=ro keeps the book untouched; attached caches stay writable)
        # fsync the WAL on every commit: an acknowledged command survives power loss
        conn.execute("PRAGMA synchronous = FULL")
        # macOS's fsync leaves data in the drive's cache; F_FULLFSYNC (a no-op elsewhere)
        # is what survives power loss there
        conn.execute("PRAGMA fullfsync = ON")
        conn.execute("PRAGMA journal_size_limit = 67108864")  # keep the -wal file bounded
        # SQLite's default checkpoint interval (1,000 pages, 4 MiB), set here so that nobody
        # raises it without measuring: a commit that writes past the -wal file's end costs an
        # fsync of the file's size as well (ext4 journals it), so a bigger WAL makes every
        # commit slower until it has grown to full size once per session. At 4,000 pages the
        # first ~650 commands after opening paid that (2,900 instead of 3,750 write-side
        # commands/s over 1,800 commands); in steady state both intervals measure the same.
        conn.execute("PRAGMA wal_autocheckpoint = 1000")
        # WAL is a persistent property of the file; set it only when missing, as switching
        # takes an exclusive lock
        (mode,) = conn.execute("PRAGMA journal_mode").fetchone()
        if str(mode).lower() != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
    return conn


def create_engine_for(
    path: Path,
    *,
    readonly: bool,
    busy_timeout: float,
    begin_sql: Callable[[], str],
    create: bool = False,
) -> Engine:
    """An engine whose single connection lets the store decide how each transaction begins."""
    engine = create_engine(
        "sqlite+pysqlite://",
        creator=lambda: _connect(path, readonly=readonly, busy_timeout=busy_timeout, create=create),
        poolclass=NullPool,  # the store holds one connection; closing it closes the file
    )

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        # straight to the driver: exec_driver_sql's statement machinery cost as much as the
        # BEGIN itself on every command (SQLAlchemy wraps a failure like any other)
        dbapi(conn).execute(begin_sql())

    return engine


def dbapi(conn: Connection) -> sqlite3.Connection:
    """The sqlite3 connection under a SQLAlchemy connection, for the hot read/append paths."""
    raw: Any = conn.connection.dbapi_connection
    assert isinstance(raw, sqlite3.Connection)
    return raw


_DAMAGED = (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT)


def attach(raw: sqlite3.Connection, path: Path, name: str) -> None:
    """Attach the SQLite file at ``path`` (created if missing) as schema ``name``.

    For derived data such as the read-model cache: WAL with ``synchronous = NORMAL``, so its
    commits are not flushed (WAL stays consistent after a crash or power loss; only the last
    commits may be lost, and the cache catches up from the events). In a transaction writing
    both files SQLite commits each WAL file on its own, the main database (the book, flushed)
    first, so the cache can lag the events after a crash but never run ahead of them.
    A file that is not a database (damaged, or something else) is replaced by a new one.
    """
    path = path.resolve()
    attached = {row[1]: row[2] for row in raw.execute("PRAGMA database_list")}
    if name in attached:
        if attached[name] == str(path):
            return  # another reader of the same store attached it already
        raw.execute(f'DETACH DATABASE "{name}"')
    path.parent.mkdir(parents=True, exist_ok=True)
    uri = f"file:{quote(str(path))}?mode=rwc"
    for attempt in (1, 2):
        attached_now = False
        try:
            raw.execute(f'ATTACH DATABASE ? AS "{name}"', (uri,))
            attached_now = True
            (mode,) = raw.execute(f'PRAGMA "{name}".journal_mode').fetchone()
            if str(mode).lower() != "wal":
                raw.execute(f'PRAGMA "{name}".journal_mode = WAL')
            raw.execute(f'PRAGMA "{name}".synchronous = NORMAL')
            return
        except sqlite3.DatabaseError as exc:
            if attached_now:
                raw.execute(f'DETACH DATABASE "{name}"')
            # only a file that is not (or no longer) a database; a busy one is someone's
            if attempt == 2 or exc.sqlite_errorcode not in _DAMAGED:
                raise
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)


def cannot_write(exc: BaseException) -> bool:
    """Whether ``exc`` says a file could not be created or written there (permissions,
    read-only media, a full disk), as opposed to a busy or damaged one."""
    return isinstance(exc, OSError) or _write_failure(exc) is not None


def _write_failure(exc: BaseException) -> str | None:
    err = _sqlite_error(exc)
    code = None if err is None else _code(err)
    return None if code is None else _WRITE_FAILURES.get(code)


def attach_memory(raw: sqlite3.Connection, name: str) -> None:
    """Attach an empty in-memory database as schema ``name`` (gone when the connection
    closes): where derived data cannot be kept in a file."""
    raw.execute(f'ATTACH DATABASE ? AS "{name}"', (":memory:",))


# ---------------------------------------------------------------- schema extras


def create_triggers(conn: Connection) -> None:
    """Refuse UPDATE and DELETE on append-only tables, and gaps in event positions."""
    for table in schema.APPEND_ONLY_TABLES:
        for action in ("UPDATE", "DELETE"):
            conn.exec_driver_sql(
                f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} are append-only'); END"
            )
    # position = head + 1, always: a bug can never leave a hole in the chain
    conn.exec_driver_sql(
        "CREATE TRIGGER events_gap_free BEFORE INSERT ON events "
        "WHEN NEW.position IS NOT (SELECT coalesce(max(position), 0) + 1 FROM events) "
        "BEGIN SELECT RAISE(ABORT, 'event positions are gap-free'); END"
    )


def missing_columns(conn: Connection) -> list[tuple[str, Column[Any]]]:
    """(table name, column) of each column a book made by an older Tallybook lacks."""
    missing: list[tuple[str, Column[Any]]] = []
    for table in schema.metadata.sorted_tables:
        present = {row[1] for row in conn.exec_driver_sql(f'PRAGMA table_info("{table.name}")')}
        missing.extend((table.name, c) for c in table.columns if c.name not in present)
    return missing


def add_missing_columns(conn: Connection) -> None:
    """Add the columns a book made by an older Tallybook lacks, inside a write transaction
    (another process may have added them meanwhile). They are nullable: older Tallybooks go
    on reading and writing the book, and nothing else about its format changes."""
    for table, column in missing_columns(conn):
        assert column.nullable, f"{table}.{column.name} cannot be added to existing rows"
        kind = column.type.compile(dialect=conn.dialect)
        conn.exec_driver_sql(f'ALTER TABLE "{table}" ADD COLUMN "{column.name}" {kind}')


UPSERT_SNAPSHOT = (
    "INSERT INTO snapshots (stream_id, version, code_version, state) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version, "
    "code_version = excluded.code_version, state = excluded.state"
)
"""Insert or replace the one snapshot kept per stream (plain SQL: the Core construct was
built and compiled anew on every save)."""


def sync_directory(path: Path) -> None:
    """fsync the folder so a newly created book's directory entry survives power loss."""
    if os.name != "posix":
        return
    fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# ---------------------------------------------------------------- copies


class _BackupCancelled(Exception):
    """Raised from the backup's progress callback: sqlite3 then aborts the backup."""


def backup(
    source: Path,
    target: Path,
    *,
    busy_timeout: float = DEFAULT_BUSY_TIMEOUT,
    progress: Callable[[int, int], bool] | None = None,
    pages_per_step: int = 1024,
) -> bool:
    """Copy the book at ``source`` into a new file ``target`` with SQLite's online backup API.

    The copy is taken from one read snapshot (a read transaction held across all steps), so it
    is consistent even while other connections commit, and those writers are never blocked
    (WAL). It is written under a temporary name and linked into place: ``target`` never holds a
    half-made copy, and an existing ``target`` is refused (FileExistsError).
    ``progress(pages_done, pages_total)`` returning False cancels; returns True when finished.
    """
    if os.path.lexists(target):
        raise FileExistsError(errno.EEXIST, "a file is already there; not overwriting", target)
    if not target.parent.is_dir():
        raise FileNotFoundError(errno.ENOENT, "no such folder for the copy", target.parent)
    tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex}.copying")
    try:
        src = _connect(source, readonly=True, busy_timeout=busy_timeout)
        try:
            dst = sqlite3.connect(tmp, isolation_level=None)
            try:
                with translated_errors(source):
                    # pin one snapshot: without it a commit by another connection between
                    # steps restarts the copy (forever, under a steady stream of writes)
                    src.execute("BEGIN")
                    src.execute("SELECT count(*) FROM sqlite_master").fetchone()
                    try:
                        src.backup(dst, pages=pages_per_step, progress=_backup_progress(progress))
                    except _BackupCancelled:
                        return False
                    finally:
                        src.execute("COMMIT")
            finally:
                dst.close()  # the last connection: no -wal/-shm stay beside the copy
        finally:
            src.close()
        _fsync(tmp)
        place_new_file(tmp, target)
    finally:
        for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm"), Path(f"{tmp}-journal")):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()
    return True


def _backup_progress(
    progress: Callable[[int, int], bool] | None,
) -> Callable[[int, int, int], None] | None:
    if progress is None:
        return None

    def report(_status: int, remaining: int, total: int) -> None:
        if progress(total - remaining, total) is False:
            raise _BackupCancelled

    return report


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def place_new_file(tmp: Path, path: Path) -> None:
    """Link a finished file into place atomically, never overwriting (FileExistsError)."""
    try:
        os.link(tmp, path)
    except OSError as exc:
        # FileExistsError, or a file system without hard links: then rename, never over a file
        if not isinstance(exc, FileExistsError) and not os.path.lexists(path):
            os.rename(tmp, path)
        else:
            raise FileExistsError(
                errno.EEXIST, "a file is already there; not overwriting", path
            ) from None
    sync_directory(path)
