"""The balance limit (MAX_BALANCE minor units) on every command that moves money, through the
service: nothing is written when a result would not fit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from domain.application.service import BookService
from domain.model.commands import CorrectEntry, Deposit, OpenAccount, VoidEntry, Withdraw
from domain.model.errors import BalanceOutOfRange
from domain.model.events import AccountType
from domain.model.limits import MAX_BALANCE
from domain.store.memory import InMemoryEventStore

DAY = dt.date(2024, 1, 1)
BIG = Decimal(10) ** 13  # the largest amount: 10^17 minor units of CLF (4 decimals)


@pytest.fixture
def service() -> BookService:
    book = BookService(InMemoryEventStore())
    kinds = {"vault": AccountType.ASSET, "mint": AccountType.INCOME}
    for account_id, kind in {
        **kinds,
        "cost": AccountType.EXPENSE,
        "rent": AccountType.EXPENSE,
    }.items():
        book.execute(
            OpenAccount(
                name=account_id,
                account_type=kind,
                currency="CLF",
                opening_date=DAY,
                account_id=account_id,
            )
        )
    return book


def deposit(entry_id: str, amount: Decimal = BIG) -> Deposit:
    return Deposit(
        account_id="vault", income_account_id="mint", amount=amount, booking_date=DAY,
        entry_id=entry_id,
    )  # fmt: skip


def withdraw(expense: str) -> Withdraw:
    return Withdraw(account_id="vault", expense_account_id=expense, amount=BIG, booking_date=DAY)


def test_a_balance_reaches_the_limit_but_not_beyond(service: BookService) -> None:
    for n in range(10):
        service.execute(deposit(f"d{n}"))
    assert service.account("vault").balance == MAX_BALANCE
    head = service.store.head()
    with pytest.raises(BalanceOutOfRange, match=r"vault would hold 110000000000000\.0000 CLF"):
        service.execute(deposit("d10"))
    assert service.store.head() == head


def test_a_void_that_would_take_a_balance_beyond_the_limit_is_refused(
    service: BookService,
) -> None:
    service.execute(deposit("first"))
    for n in range(11):  # overdraft allowed: down to -10^18, spent on two expense accounts
        service.execute(withdraw("cost" if n % 2 else "rent"))
    assert service.account("vault").balance == -MAX_BALANCE
    with pytest.raises(BalanceOutOfRange, match=r"vault would hold -110000000000000\.0000 CLF"):
        service.execute(VoidEntry(entry_id="first", voided_on=DAY))


def test_a_correction_counts_its_void_and_its_replacement_together(service: BookService) -> None:
    half = BIG / 2
    service.execute(deposit("d0", half))
    for n in range(1, 10):
        service.execute(deposit(f"d{n}"))
    service.execute(deposit("d10", half))
    assert service.account("vault").balance == MAX_BALANCE
    # its void alone would lower the balance: what counts is where both leave it
    with pytest.raises(BalanceOutOfRange):
        service.execute(CorrectEntry(entry_id="d0", replacement=deposit("new", half + 1)))
    service.execute(CorrectEntry(entry_id="d0", replacement=deposit("new", half - 1)))
    assert service.account("vault").balance == MAX_BALANCE - 10**4
