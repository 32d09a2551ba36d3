"""ReadModels on real book files: as-of answers, voids, renames, paging, history."""

from __future__ import annotations

import datetime as dt
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from projection_book import DAY, Book, make_book

from domain.model.errors import DamagedBook, UnknownAccount
from domain.model.events import AccountType
from domain.projections import ReadModels
from domain.store.sqlite import SqliteEventStore

A, L, Q, N, X = (  # N: income
    AccountType.ASSET,
    AccountType.LIABILITY,
    AccountType.EQUITY,
    AccountType.INCOME,
    AccountType.EXPENSE,
)


def balances(book: Book, as_of: int | None = None) -> dict[str, int]:
    return {row.name: row.balance for row in book.read_models.accounts(as_of)}


def test_balances_as_of_each_position_include_the_opening_balance(book: Book) -> None:
    # 1: Checking, 2: Opening Balances, 3: the opening balance's entry
    checking = book.open("Checking", A, "100.00", overdraft=False)
    salary = book.open("Salary", N)  # 4
    food = book.open("Food", X)  # 5
    book.deposit(checking, salary, "1250.00")  # 6
    book.withdraw(checking, food, "12.50")  # 7
    assert balances(book, 0) == {}
    assert balances(book, 1) == {"Checking": 0}
    assert balances(book, 3) == {"Checking": 10000, "Opening Balances": 10000}
    assert balances(book, 5) == {
        "Checking": 10000,
        "Opening Balances": 10000,
        "Salary": 0,
        "Food": 0,
    }
    assert balances(book, 6) == {
        "Checking": 135000, "Opening Balances": 10000, "Salary": 125000, "Food": 0
    }  # fmt: skip
    assert balances(book) == {
        "Checking": 133750, "Opening Balances": 10000, "Salary": 125000, "Food": 1250
    }  # fmt: skip
    assert book.read_models.account_balance(checking, 6) == 135000
    assert book.read_models.account_balance(food) == 1250


def test_accounts_come_in_chart_order_with_their_details(book: Book) -> None:
    book.open("Rent", X)
    book.open("Salary", N)
    card = book.open("Card", L, "20.00")
    book.open("Savings", A)
    book.open("checking", A, currency="JPY", overdraft=False)
    book.open("Equity", Q)
    rows = book.read_models.accounts()
    assert [r.name for r in rows] == [
        "checking", "Savings", "Card", "Equity", "Opening Balances", "Salary", "Rent"
    ]  # fmt: skip
    card_row = next(r for r in rows if r.account_id == card)
    assert (card_row.account_type, card_row.currency, card_row.balance) == (L, "EUR", 2000)
    # opened at 3; its opening balance's entry (5) came after Opening Balances' opening (4)
    assert (card_row.opened_position, card_row.last_position, card_row.closed) == (3, 5, False)
    assert rows[0].currency == "JPY" and rows[0].overdraft_allowed is False
    assert rows == book.folded().accounts()


def test_an_account_is_unknown_before_it_was_opened(book: Book) -> None:
    book.open("Checking", A)
    late = book.open("Late", A)
    models = book.read_models
    assert models.register(late, as_of=1) == []
    assert models.register_count(late, as_of=1) == 0
    with pytest.raises(UnknownAccount):
        models.account_balance(late, as_of=1)
    with pytest.raises(UnknownAccount):
        models.account_balance("no-such-account")
    assert models.account_balance(late, as_of=2) == 0


def test_a_back_dated_entry_lands_in_date_order_and_balances_run_in_that_order(
    book: Book,
) -> None:
    opened = DAY - dt.timedelta(days=10)
    checking = book.open("Checking", A, "10.00", day=opened)  # its opening balance's entry: 3
    salary = book.open("Salary", N, day=opened)
    book.deposit(checking, salary, "5.00", DAY)  # 5
    book.deposit(checking, salary, "7.00", DAY + dt.timedelta(days=2))  # 6
    book.deposit(checking, salary, "1.00", DAY - dt.timedelta(days=5))  # 7: back-dated
    rows = book.read_models.register(checking)
    assert [(r.position, r.amount, r.running_balance) for r in rows] == [
        (3, 1000, 1000),
        (7, 100, 1100),
        (5, 500, 1600),
        (6, 700, 2300),
    ]
    # as of 6 the back-dated entry was not there yet
    before = book.read_models.register(checking, as_of=6)
    assert [(r.position, r.running_balance) for r in before] == [(3, 1000), (5, 1500), (6, 2200)]
    assert rows == book.folded().register(checking)


def test_a_void_strikes_the_entry_out_from_the_void_on_and_adds_a_reversing_row(
    book: Book,
) -> None:
    checking = book.open("Checking", A, "100.00", overdraft=False)  # 1-3
    food = book.open("Food", X)
    entry = book.withdraw(checking, food, "30.00", DAY, payee="Shop")  # 5
    book.void(entry, "typo", DAY + dt.timedelta(days=1))  # 6
    _opening, original, reversal = book.read_models.register(checking)
    assert (original.position, original.voided_by, original.struck_out) == (5, 6, True)
    assert (original.amount, original.running_balance, original.memo) == (-3000, 7000, "a memo")
    assert (reversal.position, reversal.is_void, reversal.voided_by) == (6, True, None)
    assert (reversal.amount, reversal.running_balance) == (3000, 10000)
    assert (reversal.entry_id, reversal.payee, reversal.memo) == (entry, "Shop", "typo")
    assert reversal.booking_date == DAY + dt.timedelta(days=1)
    [_opening, as_of_5] = book.read_models.register(checking, as_of=5)
    assert as_of_5.voided_by is None and not as_of_5.struck_out
    expense = book.read_models.register(food)
    assert [(r.amount, r.running_balance, r.is_void) for r in expense] == [
        (3000, 3000, False),
        (-3000, 0, True),
    ]
    assert balances(book) == {"Checking": 10000, "Opening Balances": 10000, "Food": 0}


def test_renames_show_as_of_but_the_history_keeps_the_names_of_its_time(book: Book) -> None:
    checking = book.open("Checking", A)
    food = book.open("Groceries", X)
    book.withdraw(checking, food, "1.00")  # 3
    book.rename(food, "Food")  # 4
    models = book.read_models
    assert models.register(checking)[0].other_accounts == "Food"
    assert models.register(checking, as_of=3)[0].other_accounts == "Groceries"
    assert [r.name for r in models.accounts(3)] == ["Checking", "Groceries"]
    assert [r.name for r in models.accounts()] == ["Checking", "Food"]
    history = models.history()
    assert history[2].summary == "Withdrawal 1.00 EUR from Checking to Groceries"
    assert history[2].account == "Checking, Groceries"
    assert (history[3].summary, history[3].account) == ("Renamed Groceries to Food", "Food")
    assert history == book.folded().history()


def test_a_closed_account_is_closed_only_as_of_its_closing(book: Book) -> None:
    book.open("Checking", A)
    old = book.open("Old", A)
    book.close(old, DAY)  # 3
    models = book.read_models
    assert [r.closed for r in models.accounts(2)] == [False, False]
    closed = next(r for r in models.accounts(3) if r.account_id == old)
    assert (closed.closed, closed.last_position) == (True, 3)
    assert models.history()[2].summary == "Closed Old"
    assert models.history()[2].booking_date == DAY


def test_a_split_names_up_to_two_other_accounts_and_counts_more(book: Book) -> None:
    checking = book.open("Checking", A, "500.00")
    food, rent, taxes = book.open("Food", X), book.open("Rent", X), book.open("Taxes", X)
    book.split({checking: "-60.00", food: "10.00", rent: "50.00"}, payee="Month")
    book.split({checking: "-6.00", food: "1.00", rent: "2.00", taxes: "3.00"})
    book.split({food: "-1.00", checking: "1.00"})
    rows = book.read_models.register(checking)
    assert [r.other_accounts for r in rows] == [
        "Opening Balances", "Food, Rent", "Split (3 accounts)", "Food"
    ]  # fmt: skip
    assert [r.amount for r in rows] == [50000, -6000, -600, 100]
    assert book.read_models.history()[6].summary == (
        "Split 60.00 EUR over Checking, Food, Rent — Month"
    )


def test_register_pages_join_up_into_the_whole_register(book: Book) -> None:
    checking = book.open("Checking", A, "1.00")
    salary = book.open("Salary", N)
    for n in range(23):
        book.deposit(checking, salary, f"{n + 1}.00", DAY + dt.timedelta(days=(n * 7) % 11))
    models = book.read_models
    whole = models.register(checking, limit=1000)
    assert len(whole) == models.register_count(checking) == 24  # and the opening balance
    pages = [models.register(checking, offset=o, limit=5) for o in range(0, 25, 5)]
    assert [row for page in pages for row in page] == whole
    assert models.register(checking, offset=30) == []
    assert models.register(checking, limit=0) == []
    assert whole[-1].running_balance == 100 + sum(range(1, 24)) * 100
    assert models.register_count(checking, as_of=10) == 7  # 3, then 5..10


def test_history_describes_each_recorded_event(book: Book) -> None:
    checking = book.open("Checking", A, "100.00", overdraft=False)
    salary = book.open("Salary", N)
    entry = book.deposit(checking, salary, "1250.00", payee="ACME Corp")
    book.void(entry, "wrong month")
    models = book.read_models
    rows = models.history()
    assert [r.position for r in rows] == [1, 2, 3, 4, 5, 6]
    assert [r.type for r in rows] == [
        "AccountOpened",
        "AccountOpened",
        "EntryPosted",
        "AccountOpened",
        "EntryPosted",
        "EntryVoided",
    ]
    assert [r.summary for r in rows[:3]] == [
        "Opened asset account Checking (EUR), no overdraft",
        "Opened equity account Opening Balances (EUR)",
        "Transfer 100.00 EUR from Opening Balances to Checking — Opening balance",
    ]
    assert rows[4].summary == "Deposit 1,250.00 EUR into Checking from Salary — ACME Corp"
    assert rows[5].summary == (
        "Void of deposit 1,250.00 EUR into Checking from Salary — ACME Corp (wrong month)"
    )
    assert all(r.author == "tester" for r in rows)
    assert rows[0].stream_id == f"account-{checking}"
    assert rows[4].stream_id == f"entry-{entry}"
    assert all(r.recorded_at.utcoffset() == dt.timedelta(0) for r in rows)
    assert models.history(offset=1, limit=2) == rows[1:3]
    assert models.history_row(5) == rows[4]
    assert models.history_row(7) is None
    assert models.history_row(0) is None
    assert models.event_count() == 6


def test_as_of_beyond_the_checkpoint_means_now(book: Book) -> None:
    checking = book.open("Checking", A, "3.00")
    assert book.read_models.accounts(99) == book.read_models.accounts()
    [opening] = book.read_models.register(checking, as_of=99)
    assert opening.payee == "Opening balance"
    assert book.read_models.accounts(-5) == []


def test_queries_outside_a_transaction_do_not_leave_a_read_transaction_open(
    book: Book,
) -> None:
    checking = book.open("Checking", A, "3.00")
    book.read_models.accounts()
    book.read_models.register(checking)
    book.read_models.history()
    assert not book.store.connection.in_transaction()


def test_a_damaged_page_is_a_damaged_book_and_leaves_the_read_models_answering(
    tmp_path: Path,
) -> None:
    book = make_book(tmp_path / "test.tally")
    checking = book.open("Checking", A, "3.00")
    salary = book.open("Salary", AccountType.INCOME)
    for day in range(300):  # enough events for several leaf pages of the events table
        book.deposit(checking, salary, "1.00", DAY + dt.timedelta(days=day), payee="Employer")
    book.store.close()
    with closing(sqlite3.connect(book.path)) as db:
        (page_size,) = db.execute("PRAGMA page_size").fetchone()
        leaves = [n for (n,) in db.execute(
            "SELECT pageno FROM dbstat WHERE name = 'events' AND pagetype = 'leaf' ORDER BY pageno"
        )]  # fmt: skip
    with book.path.open("r+b") as file:  # garbage over a leaf page in the middle
        file.seek((leaves[len(leaves) // 2] - 1) * page_size)
        file.write(bytes(range(256)) * (page_size // 256))
    store = SqliteEventStore.open(book.path, readonly=True)
    try:
        read_models = ReadModels(store)  # its cache is up to date: nothing to read
        with pytest.raises(DamagedBook, match="is damaged"):
            read_models.register(checking, limit=400)  # the register joins the events
        # and the connection still answers (it stayed in a failed transaction before)
        assert {a.name for a in read_models.accounts()} >= {"Checking", "Salary"}
        assert not store.connection.in_transaction()
    finally:
        store.close()
