"""Reports for the desktop app, computed off the GUI thread on a connection of their own.

:class:`ReportSource` answers a :class:`ReportRequest` with a :class:`ReportResult`: the report
as known at a position, what it is compared with (another period, or the same report as known
now with the later events that changed it) and the hashes that prove what it was computed
from. The Reports window calls it in a worker (:mod:`app.background.runner`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from app.background.runner import Job, Progress
from app.composition import Book
from domain.projections import report_queries, reports
from domain.projections.journal import read_books, write_hledger
from domain.projections.report_table import TableRow, table_rows
from domain.projections.reports import Report
from domain.projections.tables import day_from_number

COMPARISONS = ("none", "previous", "last-year")


@dataclass(frozen=True, slots=True)
class ReportRequest:
    """``kind`` for ``first``..``last`` (``first`` None: a balance sheet on ``last``) as known
    at ``known_at``; ``compare`` one of :data:`COMPARISONS` (income statements); ``now``
    adds the same report as known at the head."""

    kind: str
    first: dt.date | None
    last: dt.date
    known_at: int
    compare: str = "none"
    now: bool = False
    period: str = "Custom"  # Month, Quarter or Year: "previous" is the calendar one before
    step: str = "month"  # net worth's points: month ends or days
    account_id: str | None = None  # cash flow of one asset account; None: all of them
    # known at the last event recorded at or before this time (aware), not at known_at
    recorded_by: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class ReportResult:
    request: ReportRequest
    report: Report
    rows: list[TableRow]
    other_label: str  # the comparison column's heading ("" for none)
    known_at: int  # as clamped to the read models
    known_at_hash: str  # hex of the event at known_at ("" at 0)
    head: int
    head_hash: str
    changes: list[tuple[int, str]] = field(default_factory=list)  # (position, event type)
    changes_total: int = 0
    latest_day: dt.date | None = None  # the last booking date in the book (None: no rows)
    asset_accounts: list[tuple[str, str]] = field(default_factory=list)  # (id, name) at head


def period_of(kind: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """The month, quarter or year (``kind``) that ``day`` is in."""
    if kind == "Year":
        return dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)
    months = 3 if kind == "Quarter" else 1
    start = dt.date(day.year, (day.month - 1) // months * months + 1, 1)
    following = start.month + months
    end = dt.date(start.year + (following - 1) // 12, (following - 1) % 12 + 1, 1)
    return start, end - dt.timedelta(days=1)


def previous_span(period: str, first: dt.date, last: dt.date) -> tuple[dt.date, dt.date]:
    """The month, quarter or year before the one first..last is; for a custom period, the
    period of the same length just before it."""
    if period in ("Month", "Quarter", "Year"):
        return period_of(period, first - dt.timedelta(days=1))
    return reports.previous_period(first, last)


def same_period_last_year(first: dt.date, last: dt.date) -> tuple[dt.date, dt.date]:
    """first..last a year earlier (29 February becomes the 28th)."""

    def back(day: dt.date) -> dt.date:
        return day.replace(year=day.year - 1, day=min(day.day, 28 if day.month == 2 else 31))

    return back(first), back(last)


class ReportSource:
    """Computes reports of the book at ``path``: each call opens the book read-only in the
    calling thread (SQLite connections never cross threads) and closes it again."""

    def __init__(self, path: Path) -> None:
        self._path = path

    def compute(self, request: ReportRequest) -> ReportResult:
        with Book.open(self._path, readonly=True) as book:
            head, head_digest = book.store.head()
            known_at = request.known_at
            if request.recorded_by is not None:  # an index seek, here in the worker
                known_at = book.store.position_at(request.recorded_by)
            step, account_id = request.step, request.account_id
            with book.read_models.querying(min(known_at, head)) as (conn, p):
                now_accounts = report_queries.accounts(conn, head)
                assets = [(a[0], a[1]) for a in now_accounts if a[2] == "asset"]
                if request.kind == "cash-flow" and account_id is not None and not any(
                    a[0] == account_id for a in report_queries.accounts(conn, p)
                ):
                    name = dict(assets).get(account_id, account_id)
                    raise ValueError(f"{name} was not opened yet as known at event #{p}")
                report = reports.report(conn, request.kind, p, request.first, request.last,
                                        step=step, account_id=account_id)  # fmt: skip
                other: Report | None = None
                label, total = "", 0
                changes: list[tuple[int, str]] = []
                if request.now:
                    other = reports.report(conn, request.kind, head, request.first,
                                           request.last, step=step, account_id=account_id)
                    label = "Known now"
                    changes, total = reports.changes(conn, report, head)
                elif request.compare != "none" and request.first is not None:
                    if request.compare == "previous":
                        span = previous_span(request.period, request.first, request.last)
                        label = "Previous period"
                    else:
                        span = same_period_last_year(request.first, request.last)
                        label = "Same period last year"
                    other = reports.report(conn, request.kind, p, *span, step=step,
                                           account_id=account_id)  # fmt: skip
                spans = report_queries.date_spans(conn, [a[5] for a in now_accounts])
                latest = max((high for _, high in spans.values()), default=None)
            known_hash = ""
            if p > 0:
                known_hash = next(iter(book.store.read_all(p - 1, p, batch_size=1))).hash.hex()
        rows = table_rows(report, other, other_is_now=request.now)
        return ReportResult(request, report, rows, label, p, known_hash, head, head_digest.hex(),
                            changes, total, None if latest is None else day_from_number(latest),
                            assets)  # fmt: skip


def journal_job(path: Path, as_of: int, target: Path) -> Job:
    """Write the hledger journal of the entries up to ``as_of`` to ``target`` (through a
    temporary file beside it, so a failure leaves no half journal); returns ``target``."""

    def run(progress: Progress) -> Path:
        with Book.open(path, readonly=True) as book:
            head = book.store.head()[0]
            upto = min(as_of, head)
            books = read_books(book.store.read_all(0, upto))
        progress(1, 2)
        partial = target.with_name(target.name + ".part")
        with partial.open("w", encoding="utf-8", newline="\n") as out:
            write_hledger(books, out, title=f"{path.name}, as of event #{upto} of {head}")
        partial.replace(target)
        progress(2, 2)
        return target

    return run
