"""SQLite's errors as the store's: busy, damaged, a disk that refuses to write."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import exc as sa_exc

from domain.model.errors import BookError, ConcurrencyError, DamagedBook, DiskError, StoreError
from domain.store.error_translation import TranslatedErrors
from domain.store.sqlite.connection import disk_full

# Primary result codes (sqlite3.h); extended codes keep them in the low byte.
_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6
_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26
_BUSY_CODES = (_SQLITE_BUSY, _SQLITE_LOCKED)
_DAMAGE_CODES = (_SQLITE_CORRUPT, _SQLITE_NOTADB)
_NOT_UTF8 = "Could not decode to UTF-8 column "


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


class translated_errors(TranslatedErrors):
    """Turn SQLite lock, corruption and disk errors into the store's errors (never leak
    "locked"); see :func:`translate`."""

    __slots__ = ("_otherwise", "_path")

    def __init__(self, path: Path, otherwise: str = "") -> None:
        """``otherwise`` (say "cannot be opened") turns any other SQLite error into a
        BookError that says so, with SQLite's reason."""
        self._path = path
        self._otherwise = otherwise

    def translate(self, exc: BaseException) -> StoreError | None:
        return translate(self._path, exc, self._otherwise)


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
    err = _sqlite_error(exc)
    if err is not None and str(err).startswith(_NOT_UTF8):
        # the sqlite3 module's own error (no SQLite code): a flipped bit in a text column
        column = str(err)[len(_NOT_UTF8) :].split(" with text", 1)[0]
        return DamagedBook(f"{path} is damaged: the stored text of {column} is not UTF-8")
    if otherwise:
        reason = "the disk is full" if disk_full(path.resolve().parent) else _sqlite_error(exc)
        return BookError(f"{path} {otherwise}: {reason}")
    reason = _write_failure(exc)
    if reason is not None:
        return DiskError(f"{path}: {reason}")
    return None


def cannot_write(exc: BaseException) -> bool:
    """Whether ``exc`` says a file could not be created or written there (permissions,
    read-only media, a full disk), as opposed to a busy or damaged one."""
    return isinstance(exc, OSError) or _write_failure(exc) is not None


def why(exc: BaseException) -> str:
    """What kept SQLite from writing, in words ("the disk is full"), else its own message."""
    reason = _write_failure(exc)
    return reason if reason is not None else str(_sqlite_error(exc) or exc)


def _write_failure(exc: BaseException) -> str | None:
    err = _sqlite_error(exc)
    code = None if err is None else _code(err)
    return None if code is None else _WRITE_FAILURES.get(code)
