"""Long operations on a book file, shared by ``tallybook-cli`` and the app's worker threads.

Each takes the book's path and opens its own connection (a SQLite connection stays on the
thread that made it), reports ``progress(done, total)`` and stops soon after it returns False.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from os import PathLike
from pathlib import Path

from app.composition import open_store
from domain.application import receipts
from domain.application.receipts import Receipt, ReceiptCheck, VerifiableStore
from domain.model.errors import StoreError
from domain.projections import ReadModels
from domain.store.base import Progress, VerifyReport
from domain.store.postgres.url import is_postgres_url
from domain.store.sqlite import SqliteEventStore, native_walk


def catch_up(
    path: str | PathLike[str],
    progress: Progress | None = None,
    *,
    create_if_missing: bool = False,
    readonly: bool = False,
) -> int:
    """Bring the book's read models up to date; returns how many events were applied.

    Cancelling keeps what was applied so far (each batch commits on its own). With
    ``create_if_missing`` a missing book is created first (empty, so nothing to apply).
    ``readonly`` opens the book read-only: only its read-model cache is written.
    """
    with open_store(Path(path), create_if_missing=create_if_missing, readonly=readonly) as store:
        read_models = ReadModels(store)
        if read_models.cache_problem:  # kept in this connection's memory: gone when it closes
            return 0
        return read_models.catch_up(progress)


def verify(
    path: str | PathLike[str],
    progress: Progress | None = None,
    *,
    expect_head: tuple[int, bytes] | None = None,
) -> VerifyReport:
    """Walk the book's hash chain and run SQLite's integrity check, opened read-only (nothing
    is written, read models unused); ``expect_head`` is a (position, hash) written down
    earlier that the chain must still hold.

    Raises NotABook, DamagedBook or NewerFormat if the file cannot be opened as a book.
    A cancelled walk returns a report with ``cancelled=True``.
    """
    if isinstance(path, str) and is_postgres_url(path):
        from domain.store.postgres.store import PostgresEventStore

        with PostgresEventStore.open(path, readonly=True) as shared:
            return shared.verify(progress, expect_head=expect_head)
    with SqliteEventStore.open(Path(path), readonly=True) as store:
        return store.verify(progress, expect_head=expect_head)


@contextlib.contextmanager
def _reading(path: str | PathLike[str]) -> Iterator[VerifiableStore]:
    """The book's store opened read-only (a file, or a shared book's server)."""
    if isinstance(path, str) and is_postgres_url(path):
        from domain.store.postgres.store import PostgresEventStore

        with PostgresEventStore.open(path, readonly=True) as shared:
            yield shared
    else:
        with SqliteEventStore.open(Path(path), readonly=True) as store:
            yield store


def verify_for_receipt(
    path: str | PathLike[str], progress: Progress | None = None, *, app_version: str = ""
) -> tuple[VerifyReport, Receipt | None]:
    """:func:`verify`, and the receipt of the verified head when the chain is intact."""
    with _reading(path) as store:
        report = store.verify(progress)
        book_id = store.info().book_id
    ok = report.ok and not report.cancelled
    return report, Receipt.of(report, book_id, app_version) if ok else None


def check_receipt(
    path: str | PathLike[str], receipt: Receipt, progress: Progress | None = None
) -> ReceiptCheck:
    """Walk the book's chain and tell whether it still has the receipt's head (see
    :func:`domain.application.receipts.check_receipt`)."""
    with _reading(path) as store:
        return receipts.check_receipt(store, receipt, progress)


def rebuild(path: str | PathLike[str], progress: Progress | None = None) -> bool:
    """Replay every event into fresh read models; False if cancelled (they stay as they were)."""
    with SqliteEventStore.open(Path(path)) as store:
        read_models = ReadModels(store)
        if read_models.cache_problem:  # in this connection's memory: nothing would be kept
            return True  # (a window's own read models were built from the events at open)
        return read_models.rebuild(progress)


def save_copy(
    source: str | PathLike[str],
    target: str | PathLike[str],
    progress: Progress | None = None,
    *,
    replace: bool = False,
) -> bool:
    """Write a consistent copy of the book at ``source`` to ``target`` (it may be in use).

    Refuses an existing ``target`` (FileExistsError) unless ``replace``, when the old file is
    swapped for the finished copy in one step (a cancelled or failed copy leaves it as it was).
    Returns True when the copy is complete: it opens as a book, with the same events and hash
    chain as the source had when the copy began.
    """
    source_path, target_path = Path(source), Path(target)
    if not (replace and os.path.lexists(target_path)):
        return _backup(source_path, target_path, progress)
    _check_replaceable(source_path, target_path)
    tmp = target_path.with_name(f".{target_path.name}.{uuid.uuid4().hex}.new")
    try:
        if not _backup(source_path, tmp, progress):
            return False
        os.replace(tmp, target_path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return True


def _backup(source: Path, target: Path, progress: Progress | None) -> bool:
    with SqliteEventStore.open(source, readonly=True) as store:
        return store.backup(target, progress)


def _check_replaceable(source: Path, target: Path) -> None:
    if source.exists() and os.path.samefile(source, target):
        raise StoreError(f"{target} is the book itself; choose another file for the copy")
    wal = Path(f"{target}-wal")
    # SQLite would replay a leftover write-ahead log into whatever file now has the name
    if wal.exists() and wal.stat().st_size > 0:
        raise StoreError(
            f"{target} is open in another program (or was not closed cleanly); "
            "close it or choose another name for the copy"
        )


def c_walk() -> tuple[bool, bool]:
    """Whether the C walk of the hash chain is there, and whether it loads (verify walks in
    Python without it: slower, with the same answers)."""
    return native_walk.LIBRARY.exists(), native_walk.available()
