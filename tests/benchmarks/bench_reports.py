"""Report benchmarks: every report kind at random (booking date or period, known-at) pairs.

    python tests/benchmarks/bench_reports.py 100000 1000000

prints one JSON object: per size and report kind the median and p95 latency over ``PAIRS``
random pairs, on a book opened read-only with its read models caught up: balance-sheet on a
random date, income-statement and spending for a random year, cash-flow for a random year,
net-worth over 120 months ending on a random date; ``income_statement_compare_now`` is the
report as known then and now plus the list of events behind the difference (what
``tallybook-cli report --compare-now`` computes). Target on 1,000,000 events: median <= 100 ms,
p95 <= 250 ms (net worth with 120 points <= 200 ms). Where the code measured has them (issue
14): ``net-worth-daily`` (a point a day for 90 days to a random date) and
``cash-flow-one-account`` (a random year's cash flow of one random asset account).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import inspect
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import _common as c

PAIRS = 40


def measure_book(path: Path, pairs: int = PAIRS) -> dict[str, Any]:
    """The figures for the book at ``path`` (read-only; its read models must be there)."""
    from app.composition import Book
    from domain.projections import report_queries, reports

    book = Book.open(path, create_if_missing=False, readonly=True)
    try:
        head = book.store.head()[0]
        with book.read_models.querying() as (conn, _):
            low, high = _booking_range(conn)
        rng = random.Random(head)
        out: dict[str, Any] = {
            "events": head,
            "pairs": pairs,
            "booking_dates": [str(low), str(high)],
        }

        def draw() -> tuple[int, dt.date]:
            return rng.randint(1, head), low + dt.timedelta(days=rng.randint(0, (high - low).days))

        def year(last: dt.date) -> dt.date:
            return dt.date(last.year, 1, 1)

        def months_back(last: dt.date) -> dt.date:
            return dt.date(last.year - 10, last.month, 1) + dt.timedelta(days=31)

        periods = {
            "balance-sheet": lambda last: None,
            "income-statement": year,
            "spending": year,
            "cash-flow": year,
            "net-worth": months_back,
        }

        def run(kind: str, p: int, first: dt.date | None, last: dt.date) -> None:
            with book.read_models.querying(p) as (conn, known_at):
                reports.report(conn, kind, known_at, first, last)

        for kind, first_of in periods.items():
            samples = []
            for _ in range(pairs):
                p, last = draw()
                first = first_of(last)
                samples.append(c.timed(functools.partial(run, kind, p, first, last)))
            out[kind] = c.latency_ms(samples)
        with book.read_models.querying() as (conn, _):
            assets = [a[0] for a in report_queries.accounts(conn, head) if a[2] == "asset"]
        options = {
            "net-worth-daily": ("net-worth", lambda last: last - dt.timedelta(days=89),
                                lambda: {"step": "day"}),
            "cash-flow-one-account": ("cash-flow", year,
                                      lambda: {"account_id": rng.choice(assets)}),
        }  # fmt: skip
        if "step" in inspect.signature(reports.report).parameters:
            for name, (kind, first_of, extra) in options.items():
                samples = []
                for _ in range(pairs):
                    p, last = draw()
                    asked = extra()

                    def run_with(p: int = p, last: dt.date = last, asked: Any = asked,
                                 kind: str = kind, first_of: Any = first_of) -> None:  # fmt: skip
                        # ValueError: the account was not opened yet at p
                        with book.read_models.querying(p) as (conn, known_at), \
                                contextlib.suppress(ValueError):  # fmt: skip
                            reports.report(conn, kind, known_at, first_of(last), last, **asked)

                    samples.append(c.timed(run_with))
                out[name] = c.latency_ms(samples)
        samples = []
        for _ in range(pairs):
            p, last = draw()

            def compare(p: int = p, last: dt.date = last) -> None:
                with book.read_models.querying(p) as (conn, known_at):
                    then = reports.income_statement(conn, known_at, year(last), last)
                    reports.income_statement(conn, head, year(last), last)
                    reports.changes(conn, then, head)

            samples.append(c.timed(compare))
        out["income_statement_compare_now"] = c.latency_ms(samples)
    finally:
        book.close()
    out["peak_rss_mb"] = c.peak_rss_mb()
    return out


def _booking_range(conn: Any) -> tuple[dt.date, dt.date]:
    from sqlalchemy import func, select

    from domain.projections.tables import day_from_number, rm_register

    low, high = conn.execute(
        select(func.min(rm_register.c.booking_date), func.max(rm_register.c.booking_date))
    ).one()
    return day_from_number(int(low)), day_from_number(int(high))


def measure_reports(size: int) -> dict[str, Any]:
    from app.composition import Book

    source, _ = c.cached_book(size)
    Book.open(source, create_if_missing=False).close()  # read models caught up, not timed
    return measure_book(source)


MEASURES: dict[str, Callable[[int], dict[str, Any]]] = {"reports": measure_reports}

if __name__ == "__main__":
    c.main_for(__file__, MEASURES, plan=("reports",))
