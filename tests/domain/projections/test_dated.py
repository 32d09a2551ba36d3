"""The booking-date axis and the diff of two moments against the reference fold, over random
books: accounts and registers as of (date D, up to event p), and diff lines that sum to each
account's difference."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace
from pathlib import Path

import pytest
from projection_book import Book, block_size, make_book, span_size

from domain.model.errors import DomainError
from domain.model.event_schema import from_data
from domain.model.events import AccountOpened, AccountType
from domain.projections.dated_reads import DatedReads
from domain.projections.diff import Moment, diff_balances, diff_lines
from domain.projections.rows import AccountRow, RegisterRow
from domain.store.base import StoredEvent

START = dt.date(2015, 1, 1)


def random_book(path: Path, seed: int) -> Book:
    """Accounts opened on several dates, entries recorded out of date order, some voided."""
    rng = random.Random(seed)
    book = make_book(path)
    day = lambda: START + dt.timedelta(days=rng.randrange(0, 900))  # noqa: E731
    assets = [book.open(f"Bank {i}", AccountType.ASSET, str(rng.randrange(0, 900)),
                        day=START + dt.timedelta(days=rng.randrange(0, 200)))
              for i in range(3)]  # fmt: skip
    income = book.open("Salary", AccountType.INCOME, day=START)
    expense = book.open("Food", AccountType.EXPENSE, day=START)
    entries: list[str] = []
    for _ in range(160):
        roll = rng.random()
        try:
            if roll < 0.35:
                entries.append(
                    book.deposit(rng.choice(assets), income, f"{rng.randrange(1, 500)}.25", day())
                )
            elif roll < 0.7:
                entries.append(
                    book.withdraw(rng.choice(assets), expense, f"{rng.randrange(1, 90)}", day())
                )
            elif roll < 0.88:
                a, b = rng.sample(assets, 2)
                entries.append(book.transfer(a, b, f"{rng.randrange(1, 50)}.10", day()))
            elif entries:
                book.void(entries.pop(rng.randrange(len(entries))), "oops", day())
        except DomainError:
            pass  # a date before an account's opening, say: refused, no trace
    return book


def opening_dates(events: list[StoredEvent], p: int) -> dict[str, tuple[dt.date, int]]:
    found = {}
    for stored in events[:p]:
        event = from_data(stored.type, stored.schema_version, stored.data)
        if isinstance(event, AccountOpened):
            found[event.account_id] = (event.opening_date, event.opening_balance)
    return found


def reference(
    book: Book, p: int, day: dt.date
) -> tuple[list[AccountRow], dict[str, list[RegisterRow]]]:
    """The fold of events 1..p, cut by hand at the end of ``day``: an entry whose void is
    dated after the day was not voided yet on it."""
    folded = book.folded(p)
    opened = opening_dates(book.events(), p)
    accounts, registers = [], {}
    for row in folded.accounts():
        opening_day, opening = opened[row.account_id]
        if opening_day > day:
            continue
        every = folded.register(row.account_id)
        void_days = {r.position: r.booking_date for r in every if r.is_void}
        rows = [
            replace(r, voided_by=None)
            if r.voided_by is not None and void_days[r.voided_by] > day
            else r
            for r in every
            if r.booking_date <= day
        ]
        balance = opening + sum(r.amount for r in rows)
        accounts.append(AccountRow(**{**_fields(row), "balance": balance}))
        registers[row.account_id] = rows
    return accounts, registers


def _fields(row: AccountRow) -> dict[str, object]:
    return {name: getattr(row, name) for name in AccountRow.__dataclass_fields__}


def comparable(rows: list[AccountRow]) -> list[tuple[str, str, int, bool]]:
    # last_position means "as recorded": it is not cut by date, so it is left out here
    return [(r.account_id, r.name, r.balance, r.closed) for r in rows]


@pytest.mark.parametrize(("seed", "spans"), [(1, 2), (2, 3), (3, 64)])
def test_the_date_axis_equals_the_fold_cut_by_date(tmp_path: Path, seed: int, spans: int) -> None:
    # many blocks and spans: the as-of seeks, the dated sums and the month sums of spans and
    # blocks (the balances) meet at their edges
    with block_size(8), span_size(spans):
        book = random_book(tmp_path / "b.tally", seed)
        try:
            reads = DatedReads(book.read_models)
            head = book.read_models.checkpoint()
            rng = random.Random(seed)
            booked = sorted({r.booking_date for a in book.folded().accounts()
                             for r in book.folded().register(a.account_id)})  # fmt: skip
            for i in range(30):
                p = rng.randrange(1, head + 1)
                # every other day one that has entries: rows on D itself must count
                day = (
                    rng.choice(booked)
                    if i % 2
                    else START + dt.timedelta(days=rng.randrange(-5, 920))
                )
                reads.day = day
                accounts, registers = reference(book, p, day)
                assert comparable(reads.accounts(p)) == comparable(accounts), (p, day)
                for account in accounts:
                    aid = account.account_id
                    assert reads.account_balance(aid, p) == account.balance
                    assert reads.register_count(aid, p) == len(registers[aid])
                    assert reads.register(aid, p, 0, 10_000) == registers[aid], (p, day, aid)
                    hidden = [i for i, r in enumerate(registers[aid]) if r.is_void or r.struck_out]
                    assert reads.register_hidden(aid, p) == hidden, (p, day, aid)
                    if len(registers[aid]) > 4:  # a page from the end: summed backwards
                        got = reads.register(aid, p, len(registers[aid]) - 3, 3)
                        assert got == registers[aid][-3:]
            reads.day = None
            assert reads.accounts(head) == book.read_models.accounts(head)
        finally:
            book.store.close()


def folded_balance(book: Book, moment: Moment) -> dict[str, int]:
    day = moment.day or dt.date.max
    accounts, _ = reference(book, moment.position, day)
    return {a.account_id: a.balance for a in accounts}


@pytest.mark.parametrize(("seed", "blocks", "spans"), [(4, 8, 2), (5, 128, 64)])
def test_diff_lines_sum_to_each_difference_of_two_folds(
    tmp_path: Path, seed: int, blocks: int, spans: int
) -> None:
    with block_size(blocks), span_size(spans):
        diff_lines_check(tmp_path, seed)


def diff_lines_check(tmp_path: Path, seed: int) -> None:
    book = random_book(tmp_path / "b.tally", seed)
    try:
        head = book.read_models.checkpoint()
        rng = random.Random(seed)
        for _ in range(20):
            first, second = (
                Moment(rng.randrange(0, head + 1),
                       rng.choice([None, START + dt.timedelta(days=rng.randrange(0, 900))]))
                for _ in range(2)
            )  # fmt: skip
            old, new = folded_balance(book, first), folded_balance(book, second)
            with book.read_models.querying() as (conn, _):
                diffs = diff_balances(conn, first, second)
                assert {d.account.account_id for d in diffs} == old.keys() | new.keys()
                for diff in diffs:
                    aid = diff.account.account_id
                    assert (diff.before, diff.after) == (old.get(aid, 0), new.get(aid, 0))
                    lines = diff_lines(conn, first, second, diff.account.opened_position)
                    assert sum(line.amount for line in lines) == diff.difference, (first, second)
                    assert len({(ln.position, ln.opening) for ln in lines}) == len(lines)
    finally:
        book.store.close()
