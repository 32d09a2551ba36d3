"""The models over a book with a damaged page: the unreadable rows show blank, the book is
marked broken, and the models stay sound."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from book_damage import garble_page, leaf_pages

from app.book_health import BookHealth
from app.composition import Book
from app.models.guarded import GuardedReads
from app.models.history import HistoryModel
from app.models.register import RegisterModel
from domain.model.errors import DiskError


def garble_the_inner_leaf_pages(path: Path) -> None:
    """Garbage over every leaf page of the events table but the first and the last two (the
    book still opens: it reads its head, and a seek past the event before it may start on the
    page before the last, when the last holds the head alone)."""
    leaves = leaf_pages(path, "events")
    assert len(leaves) >= 4
    for page in leaves[1:-2]:
        garble_page(path, page, seed=page)


def test_a_damaged_page_marks_the_book_broken_and_the_models_stay_sound(
    generated_book: Path, qtmodeltester: Any
) -> None:
    with Book.open(generated_book) as book:  # caught up: the views have every event
        accounts = book.read_models.accounts()
    garble_the_inner_leaf_pages(generated_book)
    with Book.open(generated_book, readonly=True) as book:
        health = BookHealth()
        reads = GuardedReads(book.read_models, health)
        register = RegisterModel(reads)
        register.set_account(next(a for a in accounts if a.name == "Checking"))
        assert register.rowCount() > 20  # counted from the views, which are intact
        # its pages join the events: some are unreadable
        assert None in [register.row_at(row) for row in range(register.rowCount())]
        breakage = health.breakage
        assert breakage is not None and breakage.problem == "damaged"
        assert "is damaged" in breakage.detail
        qtmodeltester.check(register)
        history = HistoryModel(reads)
        qtmodeltester.check(history)


class FailingReads:
    """Reads over a disk that fails: not damage, so not a break."""

    def accounts(self, as_of: int | None = None) -> list[Any]:
        raise DiskError("the disk reported an input/output error")

    def register(self, *_args: object, **_kw: object) -> list[Any]:
        return []

    def register_count(self, *_args: object, **_kw: object) -> int:
        return 0

    def history(self, *_args: object, **_kw: object) -> list[Any]:
        return []

    def event_count(self) -> int:
        return 0


def test_other_store_errors_are_not_taken_for_a_break() -> None:
    health = BookHealth()
    with pytest.raises(DiskError):
        GuardedReads(FailingReads(), health).accounts()
    assert health.breakage is None
