"""The booking-date axis and the diff of two moments.

    python tests/benchmarks/bench_dated.py 100000 1000000

prints one JSON object: per size, ``date_steps`` (median and p95 latency of every balance
as of a booking date, as recorded up to a position, over month steps from random cursors,
and of the busiest account's register count and last page so cut) and ``diff`` (the
balances of every account at two random moments, dated or not: ``diff_balances``).
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


MEASURES = {"date_steps": measure_date_steps, "diff": measure_diff}

if __name__ == "__main__":
    c.main_for(__file__, MEASURES, plan=("date_steps", "diff"))
