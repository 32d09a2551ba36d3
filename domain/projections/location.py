"""Where a book's read models live: a cache file per book in the user's cache folder.

The read models are derived data (every row can be rebuilt from the events), so they are kept
out of the book file: the book stays small and holds only what an auditor must trust, its
durable commits flush only the events' pages, and a book opened read-only (a copy on a share,
an auditor's) still gets fully working read models. A missing, stale or damaged cache is
rebuilt from the book; a missing one first starts as a copy of the same book's cache from
another path, when there is one (see :func:`seed`).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import time
import uuid
from pathlib import Path

import platformdirs

from domain.store.sqlite.connection import file_uri

STALE_AFTER_DAYS = 90
"""A cache no book has opened for this long is deleted (the book it served was moved, deleted
or renamed; if it comes back, its read models are rebuilt)."""

ENV_DIR = "TALLYBOOK_READ_MODELS_DIR"
"""Environment variable naming another folder for the caches (tests, portable setups)."""


def read_models_dir() -> Path:
    """The folder holding every book's read-model cache."""
    configured = os.environ.get(ENV_DIR)
    if configured:
        return Path(configured)
    return platformdirs.user_cache_path("Tallybook", appauthor=False) / "read-models"


def read_models_path(book_path: Path, book_id: str) -> Path:
    """The cache file of the book with this id at this path.

    Keyed by path as well as id: two copies of one book (a backup beside the original) can
    diverge, and each then keeps its own read models instead of rebuilding the other's.
    """
    where = hashlib.sha256(os.fsencode(book_path.resolve())).hexdigest()[:16]
    return read_models_dir() / f"{book_id}-{where}.sqlite"


def seed(path: Path, book_id: str) -> Path | None:
    """Start the missing cache at ``path`` as a copy of the most recently used cache of the
    same book kept for another path (the book was moved or renamed, or this is a copy of it).

    The copy is then checked against the book like any cache: kept and caught up when the
    book still holds the event it ended at, else emptied and rebuilt, so a wrong guess only
    costs the copying. A 1M-event book's cache copies in a fraction of a second, where a
    rebuild takes seconds. Returns the cache copied from, or None (nothing to copy, or it
    could not be read).
    """
    if path.exists():
        return None
    candidates = []
    for cache in path.parent.glob(f"{book_id}-*.sqlite"):
        with contextlib.suppress(OSError):
            candidates.append((cache.stat().st_mtime, cache))
    for _mtime, source in sorted(candidates, reverse=True):
        if _copy(source, path):
            return source
    return None


def _copy(source: Path, target: Path) -> bool:
    # SQLite's online backup: a consistent copy even while another process writes the source.
    # Built under a temporary name and linked into place, so a cache another process made
    # meanwhile is kept and nobody opens a half-made one.
    tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex}.seeding")
    try:
        src = sqlite3.connect(file_uri(source, "mode=ro"), uri=True)
        try:
            dst = sqlite3.connect(tmp)
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
        os.link(tmp, target)
    except (sqlite3.Error, OSError):
        return False  # unreadable, or someone else's cache got there first: no harm either way
    finally:
        for leftover in (tmp, Path(f"{tmp}-journal")):
            leftover.unlink(missing_ok=True)
    return True


def mark_used(path: Path) -> None:
    """Note that a book opened its cache now (what :func:`prune` goes by)."""
    with contextlib.suppress(OSError):
        os.utime(path)


def prune(keep: Path, *, now: float | None = None) -> list[Path]:
    """Delete the caches beside ``keep`` that no book has opened for STALE_AFTER_DAYS.

    A 1M-event book's cache is about 100 MB, and one is left behind whenever a book moves.
    Returns the cache files deleted; ones that cannot be (in use on Windows, permissions)
    are left for a later try.
    """
    cutoff = (time.time() if now is None else now) - STALE_AFTER_DAYS * 86400
    deleted = []
    for cache in keep.parent.glob("*.sqlite"):
        try:
            if cache == keep or cache.stat().st_mtime >= cutoff:
                continue
            for suffix in ("-wal", "-shm", ""):
                Path(f"{cache}{suffix}").unlink(missing_ok=True)
        except OSError:
            continue
        deleted.append(cache)
    return deleted
