"""The events behind a report's figure: ``lineage_total`` with booking-date bounds equals every
balance-sheet, income-statement and spending line (a parent's with the lines below it) and
section total, and the history filter's events, summed by a plain fold, equal it too, over
generated books at random (date, known-at) pairs."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

import pytest
from projection_book import Book, make_book

from app.sample_data import generate_commands
from domain.model.commands import MoveAccount
from domain.model.events import AccountType
from domain.projections import reports
from domain.projections.history import describe_events
from domain.projections.lineage import lineage_filter, lineage_total
from domain.projections.rows import HistoryRow
from domain.store.base import StoredEvent

SEEDS = (3, 7)
DEBIT_NATURAL = ("asset", "expense")


@pytest.fixture(scope="module")
def books(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[list[tuple[Book, list[StoredEvent], list[HistoryRow]]]]:
    made = []
    for seed in SEEDS:
        book = make_book(tmp_path_factory.mktemp("lineage") / f"b{seed}.tally")
        commands = list(generate_commands(12, 400, seed=seed))
        for start in range(0, len(commands), 100):
            book.service.execute_batch(commands[start : start + 100])
        _add_openings_and_a_subtree(book, random.Random(seed))
        events = book.events()
        with book.read_models.querying(len(events)) as (conn, _):
            rows = describe_events(conn, events, None)
        made.append((book, events, rows))
    yield made
    for book, _, _ in made:
        book.store.close()


def _add_openings_and_a_subtree(book: Book, rng: random.Random) -> None:
    """Accounts with opening balances (the generator opens none with one), opened on a date
    inside the book's, one under another, with entries after: openings, back-dated rows and
    a parent's roll-up all in the figures."""
    low, high = _day_range(book.events())
    folded = book.folded()
    income = next(a.account_id for a in folded.accounts() if a.account_type.value == "income")
    food = next(a.account_id for a in folded.accounts() if a.account_type.value == "expense")
    day = low + dt.timedelta(days=(high - low).days // 3)
    savings = book.open("Lineage savings", AccountType.ASSET, "1500.25", day=day)
    pot = book.open("Lineage pot", AccountType.ASSET, "250", day=day + dt.timedelta(days=5))
    book.run(MoveAccount(account_id=pot, new_parent_id=savings))
    loan = book.open("Lineage loan", AccountType.LIABILITY, "900", day=day)
    sub = book.open("Lineage snacks", AccountType.EXPENSE, day=low)
    book.run(MoveAccount(account_id=sub, new_parent_id=food))
    for _ in range(12):
        when = day + dt.timedelta(days=5 + rng.randrange(max(1, (high - day).days)))
        book.deposit(pot, income, f"{rng.randrange(1, 400)}.{rng.randrange(100):02d}", when)
        book.transfer(savings, loan, f"{rng.randrange(1, 90)}", when)
        book.withdraw(savings, sub, f"{rng.randrange(1, 30)}.5", when)


def folded_sum(
    events: list[StoredEvent], rows: list[HistoryRow], keep: object, ids: set[str]
) -> int:
    """A plain fold of the events ``keep`` keeps: openings and legs on ``ids``, naturally
    signed (the account's type from its opening)."""
    signs: dict[str, int] = {}
    total = 0
    for stored, row in zip(events, rows, strict=True):
        data = stored.data
        if stored.type == "AccountOpened":
            signs[data["account_id"]] = 1 if data["account_type"] in DEBIT_NATURAL else -1
        if not keep.matches(stored, row):  # type: ignore[attr-defined]
            continue
        if stored.type == "AccountOpened" and data["account_id"] in ids:
            total += data["opening_balance"]
        factor = {"EntryPosted": 1, "EntryVoided": -1}.get(stored.type, 0)
        for account_id, _currency, debit in data.get("postings") or () if factor else ():
            if account_id in ids:
                total += factor * signs[account_id] * debit
    return total


def figures(report: reports.Report) -> Iterator[tuple[str, set[str], int]]:
    """(what, accounts, figure) of each line (rolled up over the lines below it) and each
    section total that is one sum of accounts."""
    for section in report.sections:
        lines = section.lines
        for i, line in enumerate(lines):
            if line.account_id is None:
                continue
            ids = {line.account_id}
            for below in lines[i + 1 :]:
                if below.depth <= line.depth:
                    break
                assert below.account_id is not None
                ids.add(below.account_id)
            yield line.name, ids, line.rolled
        for currency, total in section.totals.items():
            mine = [ln for ln in lines if ln.currency == currency]
            if all(ln.account_id is not None for ln in mine):
                yield f"total {section.name}", {str(ln.account_id) for ln in mine}, total


def _day_range(events: list[StoredEvent]) -> tuple[dt.date, dt.date]:
    days = [dt.date.fromisoformat(str(e.data.get("booking_date") or e.data.get("voided_on")))
            for e in events if e.type in ("EntryPosted", "EntryVoided")]  # fmt: skip
    return min(days), max(days)


@pytest.mark.parametrize("kind", ("balance-sheet", "income-statement", "spending"))
def test_the_events_behind_each_figure_sum_to_it(
    books: list[tuple[Book, list[StoredEvent], list[HistoryRow]]], kind: str
) -> None:
    rng = random.Random(kind)
    checked = nonzero = 0
    for book, events, rows in books:
        low, high = _day_range(events)
        for _ in range(4):
            p = rng.choice([len(events), *(rng.randrange(1, len(events)) for _ in range(3))])
            last = low + dt.timedelta(days=rng.randrange(-10, (high - low).days + 10))
            first = None if kind == "balance-sheet" else last - dt.timedelta(rng.randrange(200))
            with book.read_models.querying(p) as (conn, known_at):
                report = reports.report(conn, kind, known_at, first, last)
                for what, ids, figure in figures(report):
                    total = lineage_total(conn, ids, known_at, from_day=first, to_day=last)
                    assert total == figure, (kind, p, first, last, what)
                    keep = lineage_filter(ids, known_at, from_day=first, to_day=last)
                    assert folded_sum(events, rows, keep, ids) == figure, (p, last, what)
                    checked += 1
                    nonzero += figure != 0
    assert checked > 30 and nonzero > 10, (checked, nonzero)


def test_an_opening_counts_in_a_balance_before_the_opening_date(
    books: list[tuple[Book, list[StoredEvent], list[HistoryRow]]],
) -> None:
    """A balance sheet counts an opening balance whatever the account's opening date; so do
    the filter (openings pass its booking-date bound) and the total."""
    book, events, rows = books[0]
    opened = next(e for e in events if e.data.get("name") == "Lineage loan")
    account_id = opened.data["account_id"]
    day = dt.date.fromisoformat(opened.data["opening_date"]) - dt.timedelta(days=1)
    keep = lineage_filter([account_id], len(events), to_day=day)
    kept = [e.position for e, r in zip(events, rows, strict=True) if keep.matches(e, r)]
    assert kept == [opened.position]
    with book.read_models.querying(len(events)) as (conn, known_at):
        total = lineage_total(conn, [account_id], known_at, to_day=day)
    assert total == opened.data["opening_balance"]
    assert lineage_total(conn, [account_id], known_at, from_day=day, to_day=day) == 0
