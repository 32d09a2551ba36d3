"""The entry row's payee memory: payees most recent first, each with its latest entry."""

from __future__ import annotations

from decimal import Decimal

from projection_book import DAY, Book

from domain.model.commands import Deposit, OpenAccount, Transfer, Withdraw
from domain.model.events import AccountType
from domain.projections.payees import PayeeRecall


def opened(book: Book, name: str, kind: AccountType) -> str:
    command = OpenAccount(name=name, account_type=kind, currency="EUR",
                          opening_balance=Decimal(0), opening_date=DAY)  # fmt: skip
    book.run(command)
    return command.account_id


def test_payees_come_most_recent_first_with_their_latest_entry(book: Book) -> None:
    checking = opened(book, "Checking", AccountType.ASSET)
    cash = opened(book, "Cash", AccountType.ASSET)
    food = opened(book, "Food", AccountType.EXPENSE)
    pay = opened(book, "Pay", AccountType.INCOME)
    recall = PayeeRecall(book.store, batch_size=2)
    book.run(Withdraw(account_id=checking, expense_account_id=food, amount=Decimal("9.99"),
                      booking_date=DAY, payee="Bakery", memo="bread"))  # fmt: skip
    book.run(Deposit(account_id=checking, income_account_id=pay, amount=Decimal("100"),
                     booking_date=DAY, payee="ACME"))  # fmt: skip
    book.run(Withdraw(account_id=cash, expense_account_id=food, amount=Decimal("3.50"),
                      booking_date=DAY, payee="  bakery ", memo="rolls"))  # fmt: skip
    done, seen = recall.catch_up(max_batches=1)
    assert not done  # two events a batch: the rest is read on the next call
    done, more = recall.catch_up()
    assert done and [*seen, *more] == ["Bakery", "ACME", "bakery"]
    assert recall.payees() == ["bakery", "ACME"]  # one payee, as last spelt
    assert recall.known("BAKERY") == "bakery" and recall.known("Baker") is None
    in_checking, in_cash = recall.last("Bakery", checking), recall.last("bakery", cash)
    assert in_checking is not None and in_cash is not None
    assert (in_checking.memo, in_checking.debits) == ("bread", {checking: -999, food: 999})
    assert (in_cash.memo, in_cash.debits) == ("rolls", {cash: -350, food: 350})
    savings = opened(book, "Savings", AccountType.ASSET)
    anywhere = recall.last("bakery", savings)  # never used there: its latest anywhere
    assert anywhere is in_cash
    book.run(Transfer(from_account_id=checking, to_account_id=savings, amount=Decimal("5"),
                      booking_date=DAY, payee="ACME"))  # fmt: skip
    assert recall.catch_up() == (True, ["ACME"])
    assert recall.payees() == ["ACME", "bakery"]


def test_entries_without_a_payee_are_not_remembered(book: Book) -> None:
    checking = opened(book, "Checking", AccountType.ASSET)
    food = opened(book, "Food", AccountType.EXPENSE)
    book.run(Withdraw(account_id=checking, expense_account_id=food, amount=Decimal("1"),
                      booking_date=DAY, payee="   "))  # fmt: skip
    recall = PayeeRecall(book.store)
    assert recall.catch_up() == (True, [])
    assert recall.payees() == []
