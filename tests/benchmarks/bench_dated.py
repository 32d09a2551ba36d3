"""The booking-date axis and the diff of two moments.

    python tests/benchmarks/bench_dated.py 100000 1000000

prints one JSON object: per size, ``date_steps`` (median and p95 latency of every balance
as of a booking date, as recorded up to a position, over month steps from random cursors,
and of the busiest account's register count and last page so cut), ``diff`` (the
balances of every account at two random moments, dated or not: ``diff_balances``),
``worst`` (the cursor mid-book and the date mid-way: month steps, and the diff with now)
and ``diff_window`` (what the Diff window's workers do, opening the book each time: the
balances, the busiest account's lines, and one line's event described).
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from typing import Any

import _common as c

STEPS = 60
PAGE = 100


def _moments(book: Any, size: int) -> tuple[int, list[tuple[int, dt.date]]]:
    head = book.store.head()[0]
    rng = random.Random(size)
    first = book.read_models.history_row(1)
    last = book.read_models.history_row(head)
    start = first.booking_date or first.recorded_at.date()
    end = last.booking_date or last.recorded_at.date()
    span = max((end - start).days, 1)
    return head, [(rng.randint(1, head), start + dt.timedelta(days=rng.randrange(span)))
                  for _ in range(STEPS)]  # fmt: skip


def measure_date_steps(size: int) -> dict[str, Any]:
    from app.composition import Book
    from app.window.date_axis import DateUnit, shift
    from domain.projections.dated_reads import DatedReads

    source, _ = c.cached_book(size)
    book = Book.open(source, create_if_missing=False, readonly=True)
    try:
        head, moments = _moments(book, size)
        reads = DatedReads(book.read_models)
        busiest = max(book.read_models.accounts(),
                      key=lambda a: book.read_models.register_count(a.account_id))  # fmt: skip
        balances, pages = [], []
        for p, day in moments:
            for steps in (0, 1, -1):  # a date set, then a month on and back
                reads.day = shift(day, DateUnit.MONTH, steps)
                balances.append(c.timed(lambda p=p: reads.accounts(p)))

                def page(p: int = p) -> None:
                    count = reads.register_count(busiest.account_id, p)
                    reads.register(busiest.account_id, p, max(0, count - PAGE), PAGE)

                pages.append(c.timed(page))
    finally:
        book.close()
    return {
        "steps": len(balances),
        "all_balances_on_date": c.latency_ms(balances),
        "register_count_and_last_page_on_date": c.latency_ms(pages),
        "register_account": busiest.name,
        "head": head,
        "peak_rss_mb": c.peak_rss_mb(),
    }


def measure_diff(size: int) -> dict[str, Any]:
    from app.composition import Book
    from domain.projections.diff import Moment, diff_balances

    source, _ = c.cached_book(size)
    book = Book.open(source, create_if_missing=False, readonly=True)
    try:
        _, moments = _moments(book, size)
        rng = random.Random(size + 1)
        times = []
        for (p, day), (q, other) in itertools.pairwise(moments):
            first = Moment(min(p, q), day if rng.random() < 0.5 else None)
            second = Moment(max(p, q), other if rng.random() < 0.5 else None)
            with book.read_models.querying() as (conn, _):
                times.append(c.timed(lambda: diff_balances(conn, first, second)))  # noqa: B023
    finally:
        book.close()
    return {"pairs": len(times), "diff_balances": c.latency_ms(times),
            "peak_rss_mb": c.peak_rss_mb()}  # fmt: skip


def measure_worst(size: int) -> dict[str, Any]:
    """The worst case of the date axis: the cursor mid-book and the date mid-way through
    the books' dates (every account's dated sum reads about half its rows), month steps
    from there; and the diff of that point with now."""
    from app.composition import Book
    from app.window.date_axis import DateUnit, shift
    from domain.projections.dated_reads import DatedReads
    from domain.projections.diff import Moment, diff_balances

    source, _ = c.cached_book(size)
    book = Book.open(source, create_if_missing=False, readonly=True)
    try:
        head, moments = _moments(book, size)
        days = sorted(day for _, day in moments)
        middle = days[len(days) // 2]
        reads = DatedReads(book.read_models)
        busiest = max(book.read_models.accounts(),
                      key=lambda a: book.read_models.register_count(a.account_id))  # fmt: skip
        steps, pages, diffs = [], [], []
        for step in range(-STEPS // 4, STEPS // 4):
            reads.day = shift(middle, DateUnit.MONTH, step)
            steps.append(c.timed(lambda: reads.accounts(head // 2)))

            def page() -> None:
                count = reads.register_count(busiest.account_id, head // 2)
                reads.register(busiest.account_id, head // 2, max(0, count - PAGE), PAGE)

            pages.append(c.timed(page))
        for step in range(-5, 5):
            first = Moment(head // 2, shift(middle, DateUnit.MONTH, step))
            with book.read_models.querying() as (conn, _):
                diffs.append(c.timed(lambda: diff_balances(conn, first, Moment(head))))  # noqa: B023
    finally:
        book.close()
    return {"cursor": head // 2, "day": middle.isoformat(), "steps": len(steps),
            "all_balances_on_date": c.latency_ms(steps),
            "register_count_and_last_page_on_date": c.latency_ms(pages),
            "diff_with_now": c.latency_ms(diffs),
            "peak_rss_mb": c.peak_rss_mb()}  # fmt: skip


def measure_diff_window(size: int) -> dict[str, Any]:
    """What the Diff window's workers do, each opening the book as they do: the balances of
    two random points, the lines of the busiest account between them, and describing one
    line's event (the lines table asks for the rows on screen only)."""
    from app.background.diff_jobs import DiffSource
    from app.composition import Book
    from domain.projections.diff import Moment

    source, _ = c.cached_book(size)
    with Book.open(source, create_if_missing=False, readonly=True) as book:
        _, moments = _moments(book, size)
        rows = book.read_models
        busiest = max(rows.accounts(), key=lambda a: rows.register_count(a.account_id)).account_id
    diffs = DiffSource(source)
    balances, lines, counts = [], [], []
    for (p, day), (q, _) in itertools.pairwise(moments[:21]):
        first, second = Moment(min(p, q), day), Moment(max(p, q), None)
        result = diffs.balances(first, second)
        balances.append(c.timed(lambda: diffs.balances(first, second)))  # noqa: B023
        account = next(a for a in result.accounts if a.account_id == busiest)
        found: list[int] = []
        lines.append(c.timed(lambda: found.append(len(diffs.lines(first, second, account).lines))))  # noqa: B023
        counts.extend(found)
    with Book.open(source, create_if_missing=False, readonly=True) as book:
        positions = [p for p, _ in moments]
        describe = [c.timed(lambda p=p: book.read_models.history_row(p, locale="en_US"))
                    for p in positions]  # fmt: skip
    return {"pairs": len(balances), "balances_with_open": c.latency_ms(balances),
            "busiest_account_lines": c.latency_ms(lines),
            "lines_median": sorted(counts)[len(counts) // 2], "lines_max": max(counts),
            "describe_one_event": c.latency_ms(describe),
            "peak_rss_mb": c.peak_rss_mb()}  # fmt: skip


MEASURES = {"date_steps": measure_date_steps, "diff": measure_diff, "worst": measure_worst,
            "diff_window": measure_diff_window}  # fmt: skip

if __name__ == "__main__":
    c.main_for(__file__, MEASURES, plan=("date_steps", "diff", "worst", "diff_window"))
