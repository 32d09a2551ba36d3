"""The register's filter over a whole register, read in a worker (a register may hold
hundreds of thousands of rows: more than the GUI thread may walk)."""

from __future__ import annotations

from pathlib import Path

from app.background.runner import Job, Progress
from app.composition import Book
from app.models.register_filter import RegisterFilter, filter_rows
from app.reconciling import ReconcileReader
from domain.projections.rows import RegisterRow

_PAGE = 20_000


def register_filter_job(
    path: Path, account_id: str, as_of: int | None, keep: RegisterFilter
) -> Job:
    """The account's register rows (as of ``as_of``) that ``keep`` keeps, and how many rows
    the register has: ``(rows, total)``."""

    def run(progress: Progress) -> tuple[list[RegisterRow], int]:
        with Book.open(path, readonly=True) as book:
            reads = book.read_models
            total = reads.register_count(account_id, as_of)
            known = ReconcileReader(book).statuses(account_id)
            kept: list[RegisterRow] = []
            for offset in range(0, total, _PAGE):
                page = reads.register(account_id, as_of, offset, _PAGE)
                kept += filter_rows(page, known, keep)
                if progress(offset + len(page), total) is False:
                    break
        return kept, total

    return run
