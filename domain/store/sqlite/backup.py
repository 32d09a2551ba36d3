"""Consistent copies of a book with SQLite's online backup API."""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
import uuid
from collections.abc import Callable
from pathlib import Path

from domain.store.sqlite.connection import connect
from domain.store.sqlite.ddl import sync_directory
from domain.store.sqlite.errors import translated_errors
from domain.store.sqlite.opening import DEFAULT_BUSY_TIMEOUT


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
        src = connect(source, readonly=True, busy_timeout=busy_timeout)
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
