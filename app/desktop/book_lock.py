"""The lock file beside a book: ``<book>.lock``, held by the one process that may write it.

A :class:`QLockFile`: a lock left by a crashed process is detected as stale by its process id
and name and taken over. :mod:`app.desktop.book_claim` decides what to do when it is held.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QLockFile

from app.desktop.paths import canonical_book_path


def lock_path(book: str | os.PathLike[str]) -> Path:
    """The lock file beside ``book``: ``Household.tallybook`` → ``Household.tallybook.lock``."""
    path = canonical_book_path(book)
    return path.with_name(path.name + ".lock")


@dataclass(frozen=True, slots=True)
class LockHolder:
    """Who holds a book's lock, as written into the lock file by Qt."""

    pid: int
    hostname: str
    appname: str


class BookLock:
    """A held ``<book>.lock``; released by :meth:`release`, on ``with`` exit, or at exit."""

    def __init__(self, book: Path, lock: QLockFile) -> None:
        self.book = book
        self._lock = lock

    @property
    def path(self) -> Path:
        return Path(self._lock.fileName())

    @property
    def held(self) -> bool:
        return self._lock.isLocked()

    def release(self) -> None:
        if self._lock.isLocked():
            self._lock.unlock()

    def __enter__(self) -> BookLock:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()


class LockUnavailable(Exception):
    """No lock file can be created beside the book (permissions, read-only medium)."""


def acquire_book(book: str | os.PathLike[str], timeout_ms: int = 0) -> BookLock | None:
    """Take the book's lock, or ``None`` while another live process (or this one) holds it.

    A lock whose process has died is stale and taken over. Raises :class:`LockUnavailable`
    when no lock file can be written at all.
    """
    path = canonical_book_path(book)
    lock = QLockFile(str(lock_path(path)))
    # 0 = never stale by age: a book stays open for hours; only a dead holder frees it.
    lock.setStaleLockTime(0)
    if lock.tryLock(timeout_ms):
        return BookLock(path, lock)
    if lock.error() == QLockFile.LockError.LockFailedError:
        return None
    raise LockUnavailable(_why_no_lock(path, lock.error()))


def _why_no_lock(book: Path, error: QLockFile.LockError) -> str:
    # QLockFile says only "UnknownError" for a missing or read-only folder: look ourselves
    folder = book.parent
    if not folder.is_dir():
        return f"its folder {folder} is not there"
    if error == QLockFile.LockError.PermissionError or not os.access(folder, os.W_OK):
        return f"the folder {folder} takes no new files (it is read-only, or not yours)"
    return f"{lock_path(book).name} cannot be created in {folder}"


def lock_holder(book: str | os.PathLike[str]) -> LockHolder | None:
    """Who holds the book's lock, if the lock file exists and can be read."""
    info = QLockFile(str(lock_path(book))).getLockInfo()
    if not info:
        return None
    pid, hostname, appname = info
    return LockHolder(int(pid), str(hostname), str(appname))
