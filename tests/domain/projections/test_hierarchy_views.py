"""The hierarchy on the read side: parents as of any position, the history's words, and
reports that roll children up into their parents."""

from __future__ import annotations

import datetime as dt

import pytest
from projection_book import DAY, Book

from domain.model.commands import CloseAccount, MoveAccount, OpenAccount
from domain.model.errors import AccountClosedError, ParentCycle
from domain.model.events import AccountType
from domain.projections import reports

X, A, N = AccountType.EXPENSE, AccountType.ASSET, AccountType.INCOME


def open_under(book: Book, name: str, parent: str = "", kind: AccountType = X,
               currency: str = "EUR") -> str:  # fmt: skip
    command = OpenAccount(name=name, account_type=kind, currency=currency, opening_date=DAY,
                          parent_id=parent)  # fmt: skip
    book.run(command)
    return command.account_id


def parents(book: Book, as_of: int | None = None) -> dict[str, str]:
    names = {a.account_id: a.name for a in book.read_models.accounts()}
    return {a.name: names.get(a.parent_id, "") for a in book.read_models.accounts(as_of)}


def test_the_read_models_keep_each_accounts_parent_as_of_every_position(book: Book) -> None:
    car = open_under(book, "Car")  # 1
    fuel = open_under(book, "Fuel", car)  # 2
    food = open_under(book, "Food")  # 3
    book.run(MoveAccount(account_id=fuel, new_parent_id=food))  # 4
    book.run(MoveAccount(account_id=car, new_parent_id=food))  # 5
    book.run(CloseAccount(account_id=fuel, closed_on=DAY))  # 6
    assert parents(book, 3) == {"Car": "", "Fuel": "Car", "Food": ""}
    assert parents(book, 4) == {"Car": "", "Fuel": "Food", "Food": ""}
    assert parents(book) == {"Car": "Food", "Fuel": "Food", "Food": ""}
    for p in range(7):
        assert book.read_models.accounts(p) == book.folded(p).accounts()
    with pytest.raises(ParentCycle):
        book.run(MoveAccount(account_id=food, new_parent_id=car))
    with pytest.raises(AccountClosedError):
        book.run(MoveAccount(account_id=car, new_parent_id=fuel))
    assert book.read_models.rebuild()
    assert parents(book) == {"Car": "Food", "Fuel": "Food", "Food": ""}
    assert book.read_models.accounts() == book.folded().accounts()


def test_the_history_says_where_an_account_was_opened_and_moved(book: Book) -> None:
    car = open_under(book, "Car")
    fuel = open_under(book, "Fuel", car)
    book.run(MoveAccount(account_id=fuel))
    summaries = [row.summary for row in book.read_models.history()]
    assert summaries == [
        "Opened expense account Car (EUR)",
        "Opened expense account Fuel (EUR) under Car",
        "Moved Fuel to the top (it was under Car)",
    ]
    assert summaries == [row.summary for row in book.folded().history()]


def test_reports_roll_children_up_into_their_parents(book: Book) -> None:
    checking = book.open("Checking", A, "500.00")
    car = open_under(book, "Car")
    fuel = open_under(book, "Fuel", car)
    diesel = open_under(book, "Diesel", fuel)
    food = open_under(book, "Food")
    book.withdraw(checking, car, "10.00")
    book.withdraw(checking, fuel, "20.00")
    book.withdraw(checking, diesel, "40.00")
    book.withdraw(checking, food, "50.00")
    p = book.store.head()[0]
    first, last = dt.date(2024, 1, 1), dt.date(2024, 12, 31)
    (expenses,) = reports.spending(book.store.connection, p, first, last).sections
    shown = [(line.name, line.depth, line.amount, line.rolled) for line in expenses.lines]
    # largest first by what rolls up: Car (70.00 with Fuel and Diesel) before Food (50.00)
    assert shown == [
        ("Car", 0, 1000, 7000), ("Fuel", 1, 2000, 6000), ("Diesel", 2, 4000, 4000),
        ("Food", 0, 5000, 5000),
    ]  # fmt: skip
    assert expenses.totals == {"EUR": 12000}  # own amounts: nothing counted twice
    income_statement = reports.income_statement(book.store.connection, p, first, last)
    car_line = next(line for line in income_statement.sections[1].lines if line.name == "Car")
    assert car_line.total == 7000 and car_line.depth == 0
    book.run(MoveAccount(account_id=food, new_parent_id=diesel))
    (expenses,) = reports.spending(book.store.connection, p + 1, first, last).sections
    assert [(line.name, line.depth, line.rolled) for line in expenses.lines] == [
        ("Car", 0, 12000), ("Fuel", 1, 11000), ("Diesel", 2, 9000), ("Food", 3, 5000)
    ]  # fmt: skip
    # known at p, the report is what it was
    (before,) = reports.spending(book.store.connection, p, first, last).sections
    assert before.lines[0].rolled == 7000


def test_a_child_in_another_currency_rolls_up_only_within_its_currency(book: Book) -> None:
    travel = open_under(book, "Travel")
    open_under(book, "Abroad", travel, currency="USD")
    p = book.store.head()[0]
    sheet = reports.income_statement(book.store.connection, p, DAY, DAY)
    lines = {(line.name, line.currency): line for line in sheet.sections[1].lines}
    assert lines[("Abroad", "USD")].depth == 0 and lines[("Abroad", "USD")].parent_id == travel
    assert lines[("Travel", "EUR")].total is None
