"""SQLite connections for the store: URIs, pragmas, the engine, attached databases.

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

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.pool import NullPool

BEGIN_WRITE = "BEGIN IMMEDIATE"
BEGIN_READ = "BEGIN"


def file_uri(path: Path, query: str) -> str:
    """SQLite's ``file:`` URI for ``path``, quoted from the name's bytes: a name need not be
    UTF-8 (``str`` would not encode its undecodable bytes), and SQLite decodes ``%XX``."""
    return f"file:{quote(os.fsencode(path))}?{query}"


_ROOM_TO_OPEN = 128 * 1024
"""Free bytes below which a file system counts as full here: what opening a WAL book needs
for its -shm file (32 KiB) and the first frames of a -wal file, with room to spare."""


def closed(path: Path) -> bool:
    """No -wal and no -shm beside the book: nobody has it open (the last connection to close
    checkpoints the WAL into the file and deletes both), so the file alone is the book."""
    return not any(os.path.lexists(f"{path}{suffix}") for suffix in ("-wal", "-shm"))


def disk_full(folder: Path) -> bool:
    """Whether the file system holding ``folder`` has no room for a new file's first pages
    (or no free inode for it)."""
    try:
        usage = os.statvfs(folder)
    except (OSError, AttributeError):  # no statvfs (Windows): let SQLite find out
        return False
    # a file system that reports no size (some FUSE ones) or no inode count (btrfs makes
    # inodes as it goes) says nothing about being full
    root = getattr(os, "geteuid", lambda: -1)() == 0  # root may use the reserved blocks too
    free, inodes = (usage.f_bfree, usage.f_ffree) if root else (usage.f_bavail, usage.f_favail)
    no_room = usage.f_blocks > 0 and free * usage.f_frsize < _ROOM_TO_OPEN
    return no_room or (usage.f_files > 0 and inodes == 0)


def read_as_it_is(path: Path) -> bool:
    """Whether a reader must open the book "immutable" (no locks, no -shm) to read it at all.

    A reader of a WAL database needs its -shm file, and SQLite cannot create one in a folder
    that takes no new files (read-only media, another user's folder) or on a full disk. A
    closed book is complete without it, and nobody can change it while that lasts unless
    space is freed or the folder is made writable meanwhile; a store reading this way checks
    the file is unchanged when it closes (:func:`file_stamp`)."""
    parent = path.resolve().parent
    return closed(path) and (not os.access(parent, os.W_OK) or disk_full(parent))


def file_stamp(path: Path) -> tuple[int, int, int, bool]:
    """What changes if another process writes the book: a writer first creates the -wal, and
    its checkpoint writes the file (inode, size, modification time)."""
    try:
        st = os.stat(path)
    except OSError:  # gone: changed too
        return 0, -1, 0, False
    return st.st_ino, st.st_size, st.st_mtime_ns, closed(path)


def connect(
    path: Path,
    *,
    readonly: bool,
    busy_timeout: float,
    create: bool = False,
    immutable: bool | None = None,
) -> sqlite3.Connection:
    """A connection to the book; read-only ones ``immutable`` (by default: if
    :func:`read_as_it_is`)."""
    mode = "ro" if readonly else "rwc" if create else "rw"
    uri = file_uri(path.resolve(), f"mode={mode}")
    if readonly and (read_as_it_is(path) if immutable is None else immutable):
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
    immutable: bool = False,
) -> Engine:
    """An engine whose single connection lets the store decide how each transaction begins."""
    engine = create_engine(
        "sqlite+pysqlite://",
        creator=lambda: connect(
            path, readonly=readonly, busy_timeout=busy_timeout, create=create, immutable=immutable
        ),
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
    # the file names as bytes: a name need not be UTF-8
    listed = raw.execute("SELECT name, CAST(file AS BLOB) FROM pragma_database_list")
    attached = {row[0]: bytes(row[1] or b"") for row in listed}
    if name in attached:
        if attached[name] == os.fsencode(path):
            return  # another reader of the same store attached it already
        raw.execute(f'DETACH DATABASE "{name}"')
    path.parent.mkdir(parents=True, exist_ok=True)
    uri = file_uri(path, "mode=rwc")
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


def attach_memory(raw: sqlite3.Connection, name: str) -> None:
    """Attach an empty in-memory database as schema ``name`` (gone when the connection
    closes): where derived data cannot be kept in a file."""
    raw.execute(f'ATTACH DATABASE ? AS "{name}"', (":memory:",))
