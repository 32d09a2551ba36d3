"""Checking a file is a readable Tallybook book before opening it (nothing is written)."""

from __future__ import annotations

import os
import sqlite3
import stat
import struct
from pathlib import Path

from domain.model.errors import BookError, ConcurrencyError, DamagedBook, NewerFormat, NotABook
from domain.store import schema
from domain.store.sqlite.connection import disk_full, file_uri
from domain.store.sqlite.errors import is_busy, is_damage

HEADER = b"SQLite format 3\x00"
DEFAULT_BUSY_TIMEOUT = 30.0

_TABLES = {t.name for t in schema.metadata.sorted_tables}


_NOT_FILES = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
)


def require_regular_file(path: Path, mode: int) -> None:
    """Raise NotABook unless ``mode`` (of ``path``, links followed) is a regular file's:
    reading a FIFO waits for a writer forever, and a device or socket is no book either."""
    for test, kind in _NOT_FILES:
        if test(mode):
            raise NotABook(f"{path} is {kind}, not a Tallybook book")
    if not stat.S_ISREG(mode):
        raise NotABook(f"{path} is not a regular file, so not a Tallybook book")


def check_header(path: Path) -> None:
    """Check the file's 100-byte SQLite header with plain file I/O (nothing is written).

    Raises NotABook for a missing, empty or non-SQLite file and DamagedBook for a SQLite file
    whose header is broken or that is shorter than its header says (and has no WAL that could
    still hold its last pages).
    """
    try:
        require_regular_file(path, os.stat(path).st_mode)  # before opening: a FIFO would block
        # O_NONBLOCK: should a FIFO have been put there since, opening it does not wait
        with open(
            os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)),
            "rb",
        ) as f:
            opened = os.fstat(f.fileno())
            require_regular_file(path, opened.st_mode)
            header, size = f.read(100), opened.st_size
    except FileNotFoundError:
        raise NotABook(f"{path} does not exist") from None
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
    if Path(f"{path}-wal").exists():
        return file_uri(path.resolve(), "mode=ro")
    return file_uri(path.resolve(), "mode=ro&immutable=1")


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
        reason = "the disk is full" if disk_full(path.resolve().parent) else exc
        raise BookError(f"{path} cannot be read: {reason}") from exc
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
