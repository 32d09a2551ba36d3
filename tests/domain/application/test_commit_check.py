"""A commit that raised after the book had stored the events (its read-model cache failed
after the book's own commit) is acknowledged; one that stored nothing is refused."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from app.composition import Book
from domain.model.commands import Deposit, OpenAccount
from domain.model.errors import DiskError
from domain.model.events import AccountType
from domain.projections import fold

DAY = dt.date(2024, 3, 1)


@pytest.fixture
def book(tmp_path: Path) -> Iterator[Book]:
    with Book.open(tmp_path / "b.tallybook", create_if_missing=True) as opened:
        yield opened


def _accounts(book: Book) -> tuple[str, str]:
    cash = OpenAccount(
        name="Cash", account_type=AccountType.ASSET, currency="EUR", opening_date=DAY
    )
    pay = OpenAccount(name="Pay", account_type=AccountType.INCOME, currency="EUR", opening_date=DAY)
    book.service.execute_batch([cash, pay])
    return cash.account_id, pay.account_id


def _deposit(ids: tuple[str, str], amount: str = "5") -> Deposit:
    return Deposit(account_id=ids[0], income_account_id=ids[1], amount=Decimal(amount),
                   booking_date=DAY)  # fmt: skip


def _failing_commit(book: Book, monkeypatch: pytest.MonkeyPatch, *, stored: bool) -> None:
    """The next commit raises DiskError, having stored the transaction (``stored``: the
    cache failed after the book) or rolled it back (the book itself failed)."""
    backend: Any = book.store._backend
    real_commit, real_rollback = backend.commit, backend.rollback

    def commit() -> None:
        monkeypatch.setattr(backend, "commit", real_commit)
        real_commit() if stored else real_rollback()
        raise DiskError("the disk is full")

    monkeypatch.setattr(backend, "commit", commit)


@pytest.mark.parametrize("grouped", [False, True], ids=["one command", "a group"])
def test_events_the_book_stored_before_the_commit_failed_are_acknowledged(
    book: Book, monkeypatch: pytest.MonkeyPatch, grouped: bool
) -> None:
    ids = _accounts(book)
    head = book.store.head()[0]
    _failing_commit(book, monkeypatch, stored=True)
    if grouped:
        with book.service.group():
            first = book.service.execute(_deposit(ids, "5"))
            second = book.service.execute(_deposit(ids, "7"))
        stored = first + second
    else:
        stored = book.service.execute(_deposit(ids, "5"))
    assert [e.position for e in stored] == list(range(head + 1, book.store.head()[0] + 1))
    book.service.execute(_deposit(ids, "1"))  # the book goes on, and so do its read models
    assert book.read_models.accounts() == fold(book.store.read_all()).accounts()


@pytest.mark.parametrize("grouped", [False, True], ids=["one command", "a group"])
def test_a_commit_that_stored_nothing_is_refused(
    book: Book, monkeypatch: pytest.MonkeyPatch, grouped: bool
) -> None:
    ids = _accounts(book)
    head = book.store.head()
    _failing_commit(book, monkeypatch, stored=False)
    with pytest.raises(DiskError, match="disk is full"):
        if grouped:
            with book.service.group():
                book.service.execute(_deposit(ids))
        else:
            book.service.execute(_deposit(ids))
    assert book.store.head() == head
    book.service.execute(_deposit(ids, "1"))
    assert book.read_models.accounts() == fold(book.store.read_all()).accounts()
