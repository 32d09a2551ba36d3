"""Work that runs in a worker thread; each job opens its own store on the book's path.

(SQLite connections must not cross threads, so the GUI's book is never used here.)
"""

from __future__ import annotations

import itertools
import sqlite3
from pathlib import Path

from app.workers import Job, Progress
from domain.book import Book
from domain.generate import generate_commands
from domain.projections import ReadModels
from domain.store.base import VerifyReport
from domain.store.sqlite import SqliteEventStore

SAMPLE_ACCOUNTS = 17  # the generator's whole core chart, with a USD wallet
SAMPLE_COMMANDS = 1800  # about five a day: a year of a household's activity
SAMPLE_SEED = 2024
_SAMPLE_BATCH = 100


def catch_up_job(path: Path) -> Job:
    """Bring the book's read models up to date (creating the book if it is missing)."""

    def run(progress: Progress) -> int:
        store = SqliteEventStore.open(path) if path.exists() else SqliteEventStore.create(path)
        try:
            return ReadModels(store).catch_up(progress)
        finally:
            store.close()

    return run


def verify_job(path: Path) -> Job:
    """Walk the book's hash chain; the result is a :class:`VerifyReport`."""

    def run(progress: Progress) -> VerifyReport:
        store = SqliteEventStore.open(path, readonly=True)
        try:
            return store.verify(progress)
        finally:
            store.close()

    return run


def rebuild_job(path: Path) -> Job:
    """Replay every event into fresh read models; True if it finished (not cancelled)."""

    def run(progress: Progress) -> bool:
        store = SqliteEventStore.open(path)
        try:
            return ReadModels(store).rebuild(progress)
        finally:
            store.close()

    return run


def copy_job(source: Path, target: Path) -> Job:
    """Copy the book with SQLite's online backup (consistent even while it is written)."""

    def run(progress: Progress) -> Path:
        if target.exists():
            target.unlink()
        src = sqlite3.connect(f"file:{source.resolve()}?mode=ro", uri=True)
        dst = sqlite3.connect(target)
        try:
            src.backup(
                dst, pages=256, progress=lambda _status, left, total: progress(total - left, total)
            )
        finally:
            dst.close()
            src.close()
        SqliteEventStore.open(target, readonly=True).close()  # the copy opens as a book
        return target

    return run


def sample_book_job(path: Path, commands: int = SAMPLE_COMMANDS, currency: str = "EUR") -> Job:
    """Create a new book at ``path`` filled with a year of a household's generated books."""

    def run(progress: Progress) -> Path | None:
        book = Book.create(path)
        finished = False
        try:
            stream = generate_commands(SAMPLE_ACCOUNTS, commands, SAMPLE_SEED, currency)
            total = SAMPLE_ACCOUNTS + commands
            done = 0
            while chunk := list(itertools.islice(stream, _SAMPLE_BATCH)):
                book.service.execute_batch(chunk)
                done += len(chunk)
                if progress(done, total) is False:
                    break
            else:
                finished = True
        finally:
            book.close()
            if not finished:  # cancelled or failed: leave no half-made sample behind
                path.unlink(missing_ok=True)
        return path if finished else None

    return run
