"""BookService.group: commands in one transaction, each in its own savepoint (group commit),
on a book in memory and on a book file alike."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from recording import Recorder

from domain.application.service import BookService
from domain.model.accounts import Account
from domain.model.commands import Deposit, OpenAccount, RenameAccount, Withdraw
from domain.model.errors import DuplicateAccountName, InsufficientFunds
from domain.model.events import AccountType, EntryPosted, Event
from domain.store.event_store import BackendEventStore
from domain.store.memory import InMemoryEventStore
from domain.store.sqlite import SqliteEventStore

DAY = dt.date(2024, 3, 1)


@pytest.fixture(params=["memory", "sqlite"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[BackendEventStore]:
    if request.param == "memory":
        with InMemoryEventStore() as in_memory:
            yield in_memory
    else:
        with SqliteEventStore.create(tmp_path / "b.tallybook") as on_file:
            yield on_file


def other_view(store: BackendEventStore, tmp_path: Path) -> BackendEventStore:
    """Another store object on the same book, as another process."""
    if isinstance(store, InMemoryEventStore):
        return store.reopen()
    return SqliteEventStore.open(tmp_path / "b.tallybook")


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def books(store: BackendEventStore, recorder: Recorder) -> BookService:
    service = BookService(store, projectors=[recorder])

    def opening(account_id: str, name: str, kind: AccountType, **more: Any) -> OpenAccount:
        return OpenAccount(account_id=account_id, name=name, account_type=kind, currency="EUR",
                           opening_date=DAY, **more)  # fmt: skip

    service.execute_batch(
        [
            opening(
                "chk",
                "Checking",
                AccountType.ASSET,
                opening_balance=Decimal("100"),
                overdraft_allowed=False,
            ),
            opening("sal", "Salary", AccountType.INCOME),
            opening("food", "Food", AccountType.EXPENSE),
        ]
    )
    recorder.batches.clear()
    return service


def spend(amount: str, **fields: Any) -> Withdraw:
    return Withdraw(account_id="chk", expense_account_id="food", amount=Decimal(amount),
                    booking_date=DAY, **fields)  # fmt: skip


def earn(amount: str, **fields: Any) -> Deposit:
    return Deposit(account_id="chk", income_account_id="sal", amount=Decimal(amount),
                   booking_date=DAY, **fields)  # fmt: skip


def test_a_group_commits_once_and_others_see_nothing_before(
    books: BookService, store: BackendEventStore, tmp_path: Path, recorder: Recorder
) -> None:
    head = store.head()[0]
    with books.group():
        first = books.execute(spend("10"))
        second = books.execute(earn("5"))
        with other_view(store, tmp_path) as other:
            assert other.head()[0] == head  # not committed yet
    assert [e.position for e in first + second] == [head + 1, head + 2]
    with other_view(store, tmp_path) as other:
        assert other.head()[0] == head + 2
    # the projectors get the group's events once, at its end
    assert [[e.position for e in batch] for batch in recorder.batches] == [[head + 1, head + 2]]
    assert books.account("chk").balance == 9500


def test_a_refused_command_in_a_group_appends_nothing_and_the_rest_stand(
    books: BookService, store: BackendEventStore
) -> None:
    head = store.head()[0]
    with books.group():
        books.execute(spend("60"))
        with pytest.raises(InsufficientFunds):
            books.execute(spend("60"))  # 40 left
        books.execute(spend("40"))
    assert store.head()[0] == head + 2
    assert books.account("chk").balance == 0
    assert store.verify().ok


def test_a_command_sent_again_in_its_group_answers_as_the_first_time(
    books: BookService, store: BackendEventStore
) -> None:
    head = store.head()[0]
    with books.group():
        first = books.execute(spend("10", command_id="c-1"))
        again = books.execute(spend("10", command_id="c-1"))
        renamed = books.execute(
            RenameAccount(account_id="chk", new_name="Current", command_id="r-1")
        )
        renamed_again = books.execute(
            RenameAccount(account_id="chk", new_name="Current", command_id="r-1")
        )
    assert [e.position for e in again] == [e.position for e in first] == [head + 1]
    assert [e.position for e in renamed_again] == [e.position for e in renamed] == [head + 2]
    assert store.head()[0] == head + 2
    assert books.account("chk").balance == 9000


def test_a_later_command_in_a_group_sees_the_names_the_earlier_ones_took(
    books: BookService,
) -> None:
    with books.group():
        books.execute(RenameAccount(account_id="chk", new_name="Current"))
        assert books.chart().id_for("current") == "chk"
        with pytest.raises(DuplicateAccountName):
            books.execute(RenameAccount(account_id="sal", new_name="Current"))
    assert books.chart().id_for("Current") == "chk"


def test_a_command_failing_after_its_aggregates_changed_leaves_them_as_stored(
    books: BookService, store: BackendEventStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the entry and Checking have applied the deposit when Salary's apply fails: the savepoint
    # undoes the rows, and the group must not keep that Checking in memory
    real_apply = Account.apply

    def apply(self: Account, event: Event) -> None:
        if self.id == "sal" and isinstance(event, EntryPosted) and event.memo == "x":
            raise RuntimeError("broke half-way through applying")
        real_apply(self, event)

    monkeypatch.setattr(Account, "apply", apply)
    head = store.head()[0]
    with books.group():
        books.execute(spend("50"))
        with pytest.raises(RuntimeError):
            books.execute(earn("70", memo="x"))
        with pytest.raises(InsufficientFunds):  # 50 left, not 120
            books.execute(spend("60"))
        books.execute(spend("50"))
    assert store.head()[0] == head + 2
    assert books.account("chk").balance == 0
    assert store.verify().ok


def test_a_group_whose_end_fails_stores_none_of_its_commands(
    books: BookService, store: BackendEventStore, recorder: Recorder
) -> None:
    head = store.head()[0]
    recorder.fail = True
    with pytest.raises(RuntimeError), books.group():
        books.execute(spend("30"))
        books.execute(spend("30"))
    recorder.fail = False
    assert store.head()[0] == head
    assert books.account("chk").balance == 10000  # the cache kept nothing of it
    books.execute(spend("100"))
    assert books.account("chk").balance == 0


def test_groups_do_not_nest(books: BookService) -> None:
    with books.group(), pytest.raises(RuntimeError, match="cannot be nested"), books.group():
        pass
