"""EventLog: one event by position, and the events after a position, read-only."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from app.composition import Book
from domain.application.event_log import EventLog
from domain.application.service import BookService
from domain.model.commands import Deposit, OpenAccount
from domain.model.events import AccountType
from domain.store.memory import InMemoryEventStore

DAY = dt.date(2024, 3, 1)


@dataclass
class InMemoryBook:
    """What ``fill`` and the reading tests use of a Book, on a store in memory."""

    service: BookService
    events: EventLog


@contextlib.contextmanager
def in_memory() -> Iterator[InMemoryBook]:
    with InMemoryEventStore() as store:
        yield InMemoryBook(BookService(store), EventLog(store))


def fill(book: Book | InMemoryBook) -> None:
    book.service.execute(OpenAccount(account_id="chk", name="Checking",
                                     account_type=AccountType.ASSET, currency="EUR",
                                     opening_date=DAY))  # fmt: skip
    book.service.execute(OpenAccount(account_id="pay", name="Salary",
                                     account_type=AccountType.INCOME, currency="EUR",
                                     opening_date=DAY))  # fmt: skip
    for n in range(1, 4):
        deposit = Deposit(account_id="chk", income_account_id="pay", amount=Decimal(n),
                          booking_date=DAY, payee=f"#{n}")  # fmt: skip
        book.service.execute(deposit)


def test_event_reads_one_position_or_none() -> None:
    with in_memory() as book:
        fill(book)
        assert book.events.head() == 5
        third = book.events.event(3)
        assert third is not None
        assert (third.position, third.type, third.data["payee"]) == (3, "EntryPosted", "#1")
        assert book.events.event(0) is None
        assert book.events.event(6) is None


def test_events_after_a_position_stop_at_the_limit_or_the_head() -> None:
    with in_memory() as book:
        fill(book)
        assert [e.position for e in book.events.events_after(0, 2)] == [1, 2]
        assert [e.position for e in book.events.events_after(3, 10)] == [4, 5]
        assert book.events.events_after(5, 10) == []
        assert book.events.events_after(2, 0) == []


def test_a_read_only_book_sees_events_another_writer_appends(tmp_path: Path) -> None:
    path = tmp_path / "b.tallybook"
    with Book.create(path) as writer:
        fill(writer)
        with Book.open(path, readonly=True) as reader:
            assert reader.events.head() == 5
            writer.service.execute(Deposit(account_id="chk", income_account_id="pay",
                                           amount=Decimal(9), booking_date=DAY))  # fmt: skip
            (new,) = reader.events.events_after(5, 10)
            assert new.position == 6 and reader.events.event(6) == new
