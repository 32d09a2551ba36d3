"""A report as the points of its chart: net worth over time (a line), spending by category
(bars) and cash flow by month (money in, out and net per month).

Qt-free: each point keeps the report's figure exactly (minor units) and what it stands for
(the account behind a category, the dates whose entries make a month or a date's figure), so
the chart can say and open it; only the drawing turns amounts into pixels.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from domain.projections.reports import Report

CHARTED = ("net-worth", "spending", "cash-flow")
NET_WORTH, SPENDING, MONEY_IN, MONEY_OUT, NET = (
    "Net worth", "Spending", "Money in", "Money out", "Net")  # fmt: skip
KNOWN_NOW = "Known now"  # net worth as known at the head, beside the report's (compare now)
SERIES = {"net-worth": (NET_WORTH, KNOWN_NOW), "spending": (SPENDING,),
          "cash-flow": (MONEY_IN, MONEY_OUT, NET)}  # fmt: skip
SHAPES = {"net-worth": "line", "spending": "bars", "cash-flow": "columns"}
# the account types whose entries are behind a point without an account of its own
BEHIND = {"net-worth": ("asset", "liability"), "cash-flow": ("asset",)}


@dataclass(frozen=True, slots=True)
class Point:
    """One figure of the chart: ``label`` is its place on the category axis (a month, a
    date, a category), ``series`` which of the place's values it is."""

    label: str
    series: str
    minor: int
    currency: str
    account_id: str | None = None  # the category's account (spending)
    first: dt.date | None = None  # the booking dates whose entries make the figure
    last: dt.date | None = None  # (first None: everything booked up to last)


@dataclass(frozen=True, slots=True)
class ChartData:
    """The points of one report in one currency, in the order they are drawn."""

    kind: str
    currency: str
    points: tuple[Point, ...]

    @property
    def shape(self) -> str:
        """``line``, ``bars`` (one horizontal bar a category) or ``columns`` (grouped)."""
        return SHAPES[self.kind]

    @property
    def series(self) -> tuple[str, ...]:
        """The series drawn, in :data:`SERIES` order."""
        shown = {p.series for p in self.points}
        return tuple(s for s in SERIES[self.kind] if s in shown) or SERIES[self.kind][:1]

    @property
    def labels(self) -> list[str]:
        """The category axis's places, each once, in order."""
        return list(dict.fromkeys(p.label for p in self.points))


def currencies(report: Report) -> list[str]:
    """The report's currencies, the one with the most figures first (then by code)."""
    counts = Counter(line.currency for s in report.sections for line in s.lines)
    return sorted(counts, key=lambda c: (-counts[c], c))


def _day(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _month(text: str, report: Report) -> tuple[dt.date | None, dt.date | None]:
    """The dates of the month section ``text`` (``2024-03``) within the report's period."""
    start = _day(text + "-01")
    if start is None:
        return None, None
    following = dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)
    first = max(start, report.first) if report.first is not None else start
    return first, min(following - dt.timedelta(days=1), report.last)


def chart_data(
    report: Report, currency: str | None = None, now: Mapping[tuple[str, str], int] | None = None
) -> ChartData | None:
    """The chart of ``report`` in ``currency`` (default: its first of :func:`currencies`);
    None for a report without a chart (balance sheet, income statement). ``now``: a net
    worth's totals as known now by (date, currency), drawn as a second line."""
    if report.kind not in CHARTED:
        return None
    if currency is None:
        found = currencies(report)
        currency = found[0] if found else "EUR"
    points: list[Point] = []
    if report.kind == "net-worth":
        for s in report.sections:  # one a date: the totals are the net worth then
            points.append(Point(s.name, NET_WORTH, s.totals.get(currency, 0), currency,
                                last=_day(s.name) or report.last))  # fmt: skip
        if now is not None:
            points += [Point(p.label, KNOWN_NOW, now.get((p.label, currency), 0), currency,
                             last=p.last) for p in list(points)]  # fmt: skip
    elif report.kind == "cash-flow":
        for s in report.sections:  # one a month: its in, out (negative) and their net
            first, last = _month(s.name, report)
            mine = {line.name: line.amount for line in s.lines  # the all-accounts lines
                    if line.currency == currency and line.account_id is None}  # fmt: skip
            for series, minor in ((MONEY_IN, mine.get("in", 0)), (MONEY_OUT, mine.get("out", 0)),
                                  (NET, s.totals.get(currency, 0))):  # fmt: skip
                points.append(Point(s.name, series, minor, currency, first=first, last=last))
    else:  # the top categories, as the table rolls them up, largest first
        for s in report.sections:
            for line in s.lines:
                if line.currency == currency and line.depth == 0:
                    points.append(Point(line.name, SPENDING, line.rolled, currency,
                                        line.account_id, report.first, report.last))  # fmt: skip
    return ChartData(report.kind, currency, tuple(points))
