"""Reports on both time axes equal the same figures computed from the reference fold of the
events up to the known-at position, over generated books (voids, back-dated entries, renames,
a closed account, a second currency) at random (booking date, known-at) pairs."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from projection_book import Book, block_size, make_book, span_size

from app.sample_data import generate_commands
from domain.projections import FoldedBooks, fold, reports, tables
from domain.store.base import StoredEvent

Key = tuple[str, str | None, str, str]
SEEDS = (1, 2, 5)


@pytest.fixture(scope="module")
def books(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[list[tuple[Book, list[StoredEvent]]]]:
    made = []
    for seed in SEEDS:
        book = make_book(tmp_path_factory.mktemp("reports") / f"b{seed}.tally")
        commands = list(generate_commands(16, 500, seed=seed))
        for start in range(0, len(commands), 100):
            book.service.execute_batch(commands[start : start + 100])
        made.append((book, book.events()))
    yield made
    for book, _ in made:
        book.store.close()


def _ref_accounts(
    folded: FoldedBooks,
) -> list[tuple[str, str, str, int, list[tuple[dt.date, int, int]]]]:
    """(id, type, currency, opening balance, [(booking date, position, amount)])."""
    out = []
    for a in folded.accounts():
        rows = [(r.booking_date, r.position, r.amount) for r in folded.register(a.account_id)]
        opening = a.balance - sum(amount for _, _, amount in rows)
        out.append((a.account_id, a.account_type.value, a.currency, opening, rows))
    return out


def _moved(rows: list[tuple[dt.date, int, int]], first: dt.date | None, last: dt.date) -> int:
    return sum(a for d, _, a in rows if d <= last and (first is None or d >= first))


def reference(
    kind: str,
    folded: FoldedBooks,
    first: dt.date | None,
    last: dt.date,
    *,
    step: str = "month",
    account_id: str | None = None,
) -> dict[Key, int]:
    """The report's figures straight from the fold's registers (``step``: net worth's,
    ``account_id``: cash flow's one account)."""
    accounts = _ref_accounts(folded)
    out: dict[Key, int] = {}
    if kind == "balance-sheet":
        names = {"asset": "assets", "liability": "liabilities", "equity": "equity"}
        for aid, typ, cur, opening, rows in accounts:
            if typ in names:
                out[(names[typ], aid, "", cur)] = opening + _moved(rows, None, last)
            else:
                key: Key = ("equity", None, reports.RESULT, cur)
                amount = opening + _moved(rows, None, last)
                out[key] = out.get(key, 0) + (amount if typ == "income" else -amount)
    elif kind in ("income-statement", "spending"):
        names = {"income": "income", "expense": "expenses"}
        for aid, typ, cur, _, rows in accounts:
            if typ == "expense" or (typ == "income" and kind == "income-statement"):
                out[(names[typ], aid, "", cur)] = _moved(rows, first, last)
    elif kind == "cash-flow":
        assert first is not None
        assets = [(cur, rows) for aid, typ, cur, _, rows in accounts
                  if typ == "asset" and account_id in (None, aid)]  # fmt: skip
        net: dict[tuple[str, str, int], int] = defaultdict(int)
        for cur, rows in assets:
            for d, pos, amount in rows:
                if first <= d <= last:
                    net[(f"{d.year:04d}-{d.month:02d}", cur, pos)] += amount
        for month in _month_names(first, last):
            for cur in {c for c, _ in assets}:
                flows = [v for (m, c, _), v in net.items() if m == month and c == cur]
                out[(month, None, "in", cur)] = sum(v for v in flows if v > 0)
                out[(month, None, "out", cur)] = sum(v for v in flows if v < 0)
    else:  # net-worth
        assert first is not None
        for day in _points(first, last, step):
            for cur in {c for _, t, c, _, _ in accounts if t in ("asset", "liability")}:
                out[(day.isoformat(), None, "assets", cur)] = 0
                out[(day.isoformat(), None, "liabilities", cur)] = 0
            for _, typ, cur, opening, rows in accounts:
                if typ in ("asset", "liability"):
                    name = "assets" if typ == "asset" else "liabilities"
                    key = (day.isoformat(), None, name, cur)
                    amount = opening + _moved(rows, None, day)
                    out[key] = out.get(key, 0) + (amount if typ == "asset" else -amount)
    return out


def _points(first: dt.date, last: dt.date, step: str) -> list[dt.date]:
    if step == "day":
        return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    points = []
    for month in _month_names(first, last):
        year, number = int(month[:4]), int(month[5:])
        end = dt.date(year + number // 12, number % 12 + 1, 1) - dt.timedelta(days=1)
        points.append(min(end, last))
    return points


def _month_names(first: dt.date, last: dt.date) -> list[str]:
    names = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        names.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return names


def _date_range(events: list[StoredEvent]) -> tuple[dt.date, dt.date]:
    days = [dt.date.fromisoformat(str(e.data.get("booking_date") or e.data.get("voided_on")))
            for e in events if e.type in ("EntryPosted", "EntryVoided")]  # fmt: skip
    return min(days), max(days)


def _pairs(
    events: list[StoredEvent], rng: random.Random, kind: str
) -> Iterator[tuple[int, dt.date | None, dt.date]]:
    low, high = _date_range(events)
    span = (high - low).days
    for _ in range(6):
        p = rng.choice([0, len(events), *(rng.randrange(len(events)) for _ in range(3))])
        last = low + dt.timedelta(days=rng.randrange(-10, span + 10))
        first = None if kind == "balance-sheet" else last - dt.timedelta(days=rng.randrange(0, 200))
        yield p, first, last


def _check_against_the_fold(
    book: Book, events: list[StoredEvent], kind: str, rng: random.Random
) -> None:
    for p, first, last in _pairs(events, rng, kind):
        with book.read_models.querying(p) as (conn, known_at):
            got = reports.report(conn, kind, known_at, first, last)
        expected = reference(kind, fold(events, p), first, last)
        assert got.figures() == expected, (kind, p, first, last)
        if kind == "spending":
            order = [(line.currency, -line.amount, line.name) for line in got.sections[0].lines]
            assert order == sorted(order)


@pytest.mark.parametrize("kind", reports.KINDS)
def test_every_report_equals_the_fold_at_random_dates_and_known_at_points(
    books: list[tuple[Book, list[StoredEvent]]], kind: str
) -> None:
    rng = random.Random(kind)
    for book, events in books:
        _check_against_the_fold(book, events, kind, rng)


@pytest.fixture(scope="module")
def small_blocks(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Book, list[StoredEvent]]]:
    """A book whose month sums have blocks of 4 positions and spans of 2 blocks, so that a
    known-at point lands among many spans, blocks and part blocks (BLOCK and SPAN as such
    put every event of a test book in the first span)."""
    with block_size(4), span_size(2):
        book = make_book(tmp_path_factory.mktemp("reports") / "small.tally")
        commands = list(generate_commands(12, 400, seed=3))
        for start in range(0, len(commands), 50):
            book.service.execute_batch(commands[start : start + 50])
        events = book.events()
    yield book, events
    book.store.close()


@pytest.mark.parametrize("kind", reports.KINDS)
def test_reports_from_the_month_sums_equal_the_fold_across_many_blocks(
    small_blocks: tuple[Book, list[StoredEvent]], kind: str
) -> None:
    book, events = small_blocks
    with block_size(4), span_size(2):
        _check_against_the_fold(book, events, kind, random.Random(f"small {kind}"))
        book.read_models.rebuild()  # the set-based rebuild's month sums answer the same
        _check_against_the_fold(book, events, kind, random.Random(f"rebuilt {kind}"))


def test_daily_net_worth_equals_the_fold(
    books: list[tuple[Book, list[StoredEvent]]],
    small_blocks: tuple[Book, list[StoredEvent]],
) -> None:
    rng = random.Random("daily")
    for book, events in [*books, small_blocks]:
        low, high = _date_range(events)
        with block_size(4 if book is small_blocks[0] else tables.BLOCK), \
                span_size(2 if book is small_blocks[0] else tables.SPAN):  # fmt: skip
            for _ in range(5):
                p = rng.choice([len(events), rng.randrange(len(events))])
                first = low + dt.timedelta(days=rng.randrange(-5, (high - low).days))
                last = first + dt.timedelta(days=rng.randrange(0, 90))
                with book.read_models.querying(p) as (conn, known_at):
                    got = reports.report(conn, "net-worth", known_at, first, last, step="day")
                assert len(got.sections) == (last - first).days + 1
                expected = reference("net-worth", fold(events, p), first, last, step="day")
                assert got.figures() == expected, (p, first, last)


def test_cash_flow_of_one_asset_account_equals_the_fold(
    books: list[tuple[Book, list[StoredEvent]]],
) -> None:
    rng = random.Random("one account")
    for book, events in books:
        head_assets = [a.account_id for a in fold(events).accounts()
                       if a.account_type.value == "asset"]  # fmt: skip
        for p, first, last in _pairs(events, rng, "cash-flow"):
            assert first is not None
            account_id = rng.choice(head_assets)
            folded = fold(events, p)
            if account_id not in {a.account_id for a in folded.accounts()}:
                with book.read_models.querying(p) as (conn, known_at), \
                        pytest.raises(ValueError, match="no asset account"):  # fmt: skip
                    reports.cash_flow(conn, known_at, first, last, account_id)
                continue
            with book.read_models.querying(p) as (conn, known_at):
                got = reports.report(conn, "cash-flow", known_at, first, last,
                                     account_id=account_id)  # fmt: skip
            expected = reference("cash-flow", folded, first, last, account_id=account_id)
            assert got.figures() == expected, (p, first, last, account_id)
            assert got.account_id == account_id


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_balance_sheet_totals_balance_per_currency(
    books: list[tuple[Book, list[StoredEvent]]], data: st.DataObject
) -> None:
    book, events = data.draw(st.sampled_from(books))
    p = data.draw(st.integers(min_value=0, max_value=len(events)))
    on = data.draw(st.dates(min_value=dt.date(2018, 1, 1), max_value=dt.date(2032, 12, 31)))
    with book.read_models.querying(p) as (conn, known_at):
        sheet = reports.balance_sheet(conn, known_at, on)
    assets, liabilities, equity = sheet.sections
    currencies = set(assets.totals) | set(liabilities.totals) | set(equity.totals)
    assert set(sheet.checks) == currencies
    for cur in currencies:
        assert sheet.checks[cur] == 0
        assert assets.totals.get(cur, 0) == liabilities.totals.get(cur, 0) + equity.totals.get(
            cur, 0
        )


@pytest.mark.parametrize("kind", ("balance-sheet", "income-statement"))
def test_compare_now_delta_is_the_sum_of_the_listed_events(
    books: list[tuple[Book, list[StoredEvent]]], kind: str
) -> None:
    rng = random.Random(7)
    listed_any = False
    for book, events in books:
        head = len(events)
        accounts = _ref_accounts(fold(events))
        for p, first, last in _pairs(events, rng, kind):
            with book.read_models.querying(p) as (conn, known_at):
                then = reports.report(conn, kind, known_at, first, last)
                now = reports.report(conn, kind, head, first, last)
                changes, total = reports.changes(conn, then, head)
            assert total == len(changes)
            listed = {pos for pos, _ in changes}
            listed_any = listed_any or bool(listed)
            assert all(p < pos <= head for pos in listed)
            effect: dict[Key, int] = defaultdict(int)
            for aid, typ, cur, _, rows in accounts:
                moved = sum(
                    a
                    for d, pos, a in rows
                    if pos in listed and d <= last and (first is None or d >= first)
                )
                if kind == "balance-sheet" and typ in ("income", "expense"):
                    effect[("equity", None, reports.RESULT, cur)] += (
                        moved if typ == "income" else -moved
                    )
                elif typ in ("income", "expense") or kind == "balance-sheet":
                    section = {"asset": "assets", "liability": "liabilities"}.get(typ, typ)
                    effect[({"expense": "expenses"}.get(section, section), aid, "", cur)] += moved
            before, after = then.figures(), now.figures()
            for key in set(before) | set(after):
                assert after.get(key, 0) - before.get(key, 0) == effect.get(key, 0), (key, p)
            assert {t for _, t in changes} <= {"EntryPosted", "EntryVoided"}
    assert listed_any  # the pairs drawn must include some that later events changed


def test_compare_now_of_one_accounts_cash_flow_lists_that_accounts_later_events(
    books: list[tuple[Book, list[StoredEvent]]],
) -> None:
    rng = random.Random("one account's changes")
    listed_any = False
    for book, events in books:
        head = len(events)
        folded = fold(events)
        assets = [a.account_id for a in folded.accounts() if a.account_type.value == "asset"]
        for p, first, last in _pairs(events, rng, "cash-flow"):
            assert first is not None
            account_id = rng.choice(assets)
            if account_id not in {a.account_id for a in fold(events, p).accounts()}:
                continue
            with book.read_models.querying(p) as (conn, known_at):
                then = reports.cash_flow(conn, known_at, first, last, account_id)
                changes, total = reports.changes(conn, then, head)
            expected = sorted({r.position for r in folded.register(account_id)
                               if r.position > p and first <= r.booking_date <= last})  # fmt: skip
            assert [pos for pos, _ in changes] == expected and total == len(expected)
            listed_any = listed_any or bool(expected)
    assert listed_any
