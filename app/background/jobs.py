"""The jobs :mod:`app.background.runner` runs in a worker thread: open, verify, rebuild, copy
a book and make a sample one.

Each job works on the book's path, never the GUI's book: SQLite connections must not cross
threads, so the operations in :mod:`app.maintenance` (and :class:`Book`) open their own.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from pathlib import Path

from app import formatting, maintenance
from app.background.runner import Job, Progress
from app.book_health import Breakage, breakage_from_error
from app.composition import Book, open_store
from app.sample_data import generate_commands
from domain.application.receipts import Receipt, ReceiptCheck
from domain.model.commands import Command
from domain.projections.dated_reads import DatedReads
from domain.projections.payees import PayeeRecall
from domain.store.base import StoredEvent, VerifyReport

SAMPLE_ACCOUNTS = 19  # the generator's whole core chart, with a USD wallet
SAMPLE_COMMANDS = 600  # a year of a household's activity: 50 a month, salary and rent included
SAMPLE_DAYS = 365
SAMPLE_SEED = 2024
_SAMPLE_BATCH = 100


def catch_up_job(path: Path, *, read_only: bool = False) -> Job:
    """Bring the book's read models up to date (creating the book if it is missing, unless
    it is to be opened read-only, or the store names it broken)."""

    def run(progress: Progress) -> int:
        try:
            applied = maintenance.catch_up(
                path, progress, create_if_missing=not read_only, readonly=read_only
            )
        except Exception as exc:
            if read_only or breakage_from_error(exc) is None:
                raise
            # the store will not write a broken book: its window shows it read-only, from
            # views caught up here rather than in the GUI thread
            applied = maintenance.catch_up(path, progress, readonly=True)
        # the window is built next, in the GUI thread: Babel's locale data (~30 ms to load)
        # is shared by threads, so loading it here keeps that out of the GUI's stall
        formatting.warm_up()
        return applied

    return run


def payees_job(path: Path) -> Job:
    """Read the book's payees on the worker's own connection: a :class:`PayeeRecall` (None
    if cancelled), to be rebound to the GUI's store for what comes after."""

    def run(progress: Progress) -> PayeeRecall | None:
        store = open_store(path, readonly=True)
        try:
            recall, total, done = PayeeRecall(store), store.head()[0], False
            while not done:
                done, _seen = recall.catch_up(max_batches=1)
                if not progress(recall.position, total):
                    return None
            return recall
        finally:
            store.close()

    return run


def command_job(path: Path | str, command: Command, author: str | None = None) -> Job:
    """Run one big command (an import, or the undo of one) on the book's own connection in
    the worker's thread; its stored events. It cannot stop half-way, so it is not cancelled.
    ``author``: the name the window's commands record (None: the login, as theirs then is)."""

    def run(progress: Progress) -> list[StoredEvent]:
        progress(0, 1)
        with Book.open(path, author=author) as book:
            stored = book.service.execute(command)
        progress(1, 1)
        return stored

    return run


def hidden_rows_job(
    path: Path, account_id: str, as_of: int | None, day: dt.date | None = None
) -> Job:
    """The places of the account's voided entries and their voids in its register (cut at
    the end of booking date ``day``, if given), read on the worker's own connection (a long
    register's walk takes longer than the GUI may)."""

    def run(_progress: Progress) -> list[int]:
        with Book.open(path, readonly=True) as book:
            dated = DatedReads(book.read_models)
            dated.day = day
            return dated.register_hidden(account_id, as_of)

    return run


def verify_job(path: Path | str) -> Job:
    """Walk the book's hash chain (a file, or a ``postgresql://`` book on its server); the
    result is a :class:`VerifyReport`."""

    def run(progress: Progress) -> VerifyReport:
        return maintenance.verify(path, progress)

    return run


def receipt_check_job(path: Path | str, receipt: Receipt) -> Job:
    """Walk the book's whole chain and compare the receipt's head: a ``ReceiptCheck``."""

    def run(progress: Progress) -> ReceiptCheck:
        return maintenance.check_receipt(path, receipt, progress)

    return run


def check_history_job(path: Path) -> Job:
    """Verify the book as it is opened: a :class:`VerifyReport`, or the :class:`Breakage` the
    store names when it refuses to read the book at all (any other failure is raised)."""

    def run(progress: Progress) -> VerifyReport | Breakage:
        try:
            return maintenance.verify(path, progress)
        except Exception as exc:
            breakage = breakage_from_error(exc)
            if breakage is None:
                raise
            return breakage

    return run


def rebuild_job(path: Path) -> Job:
    """Replay every event into fresh read models; True if it finished (not cancelled)."""

    def run(progress: Progress) -> bool:
        return maintenance.rebuild(path, progress)

    return run


def copy_job(source: Path, target: Path) -> Job:
    """Copy the book (consistent even while it is written); the copy's path, None if cancelled.

    An existing ``target`` is replaced: the save dialog has asked the user already.
    """

    def run(progress: Progress) -> Path | None:
        finished = maintenance.save_copy(source, target, progress, replace=True)
        return target if finished else None

    return run


def new_book_job(path: Path, commands: Sequence[Command], author: str | None = None) -> Job:
    """Create a new book at ``path`` with ``commands`` recorded in it in one transaction (a
    template's accounts): the book's path; nothing is left behind if they are refused."""

    def run(_progress: Progress) -> Path:
        book = Book.create(path, author=author)  # FileExistsError: what is there is kept
        try:
            if commands:
                book.service.execute_batch(list(commands))
        except BaseException:
            book.close()
            path.unlink(missing_ok=True)
            raise
        book.close()
        return path

    return run


def sample_book_job(
    path: Path,
    commands: int = SAMPLE_COMMANDS,
    currency: str = "EUR",
    *,
    today: dt.date | None = None,
    author: str | None = None,
) -> Job:
    """Create a new book at ``path`` filled with the last year (up to ``today``, by default
    the day it runs) of a household's generated books."""

    def run(progress: Progress) -> Path | None:
        book = Book.create(path, author=author)
        finished = False
        try:
            end = today or dt.date.today()
            stream = generate_commands(
                SAMPLE_ACCOUNTS, commands, SAMPLE_SEED, currency, end=end, days=SAMPLE_DAYS
            )
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
