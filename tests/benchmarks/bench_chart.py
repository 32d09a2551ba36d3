"""The Reports window's charts: a 120-point net-worth chart drawn and updated.

    QT_QPA_PLATFORM=offscreen python tests/benchmarks/bench_chart.py [BOOK]

prints one JSON object. ``draw``: per widget size, a net-worth report of 120 month-end points
(two currencies, built in memory: the report's computation is measured by bench_reports.py)
turned into chart points and painted into an image, as a timeline move does (``update_ms``:
``chart_data`` + ``set_data`` + a full paint), ``hover_ms``: finding the point under the
mouse and its tooltip text, for each of the 120 points; ``cash_flow`` and ``spending``: the
same update for 120 months of in/out/net bars and 120 categories. With BOOK: ``book`` is the
net-worth report of the ten years up to the book's last booking date, computed as the
Reports window does (its worker's job), then drawn.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from app.models.chart_data import chart_data
from app.window.report_chart import ReportChart
from domain.projections.reports import Line, Report, Section

POINTS = 120
RUNS = int(os.environ.get("TALLYBOOK_BENCH_CHART_RUNS", "30"))  # fewer: the smoke test


def _months(count: int) -> list[dt.date]:
    days, (year, month) = [], (2016, 1)
    for _ in range(count):
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        days.append(dt.date(year, month, 1) - dt.timedelta(days=1))
    return days


def net_worth_report(count: int) -> Report:
    sections = []
    for i, day in enumerate(_months(count)):
        s = Section(day.isoformat())
        for currency in ("EUR", "USD"):
            s.add(Line(None, "assets", currency, 1_000_000 + i * 12_345 + (i % 7) * 99_999))
            s.add(Line(None, "liabilities", currency, -(50_000 + (i % 5) * 10_000)))
        sections.append(s)
    return Report("net-worth", 1, dt.date(2016, 1, 1), _months(count)[-1], sections)


def cash_flow_report(count: int) -> Report:
    sections = []
    for i, day in enumerate(_months(count)):
        s = Section(day.isoformat()[:7])
        s.add(Line(None, "in", "EUR", 300_000 + (i % 11) * 7_000))
        s.add(Line(None, "out", "EUR", -(250_000 + (i % 13) * 9_000)))
        sections.append(s)
    return Report("cash-flow", 1, dt.date(2016, 1, 1), _months(count)[-1], sections)


def spending_report(count: int) -> Report:
    s = Section("expenses")
    for i in range(count):
        s.add(Line(f"acct{i}", f"Category {i}", "EUR", 500_000 - i * 3_000))
    return Report("spending", 1, dt.date(2025, 1, 1), dt.date(2025, 12, 31), [s])


def _stats(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {"median_ms": round(statistics.median(ordered), 2),
            "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1], 2),
            "max_ms": round(ordered[-1], 2)}  # fmt: skip


def update_times(chart: ReportChart, report: Report) -> list[float]:
    image = QImage(chart.size(), QImage.Format.Format_ARGB32_Premultiplied)
    times = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        chart.set_data(chart_data(report))
        chart.render(image)  # the paint a timeline move causes
        times.append((time.perf_counter() - t0) * 1000)
    return times


def hover_times(chart: ReportChart) -> list[float]:
    times = []
    for r in chart.shapes():
        t0 = time.perf_counter()
        text = chart.tooltip_at(r.center())
        times.append((time.perf_counter() - t0) * 1000)
        assert text
    return times


def book_figures(path: Path, chart: ReportChart) -> dict[str, Any]:
    from app.background.report_jobs import ReportRequest, ReportSource
    from app.composition import Book

    with Book.open(path, readonly=True) as book:
        head = book.store.head()[0]
    source = ReportSource(path)
    probe = source.compute(ReportRequest("net-worth", dt.date(2000, 1, 1), dt.date.today(), head))
    last = probe.latest_day or dt.date.today()
    first = dt.date(last.year - 9, last.month % 12 + 1, 1) if last.month < 12 else dt.date(
        last.year - 9, 1, 1)  # fmt: skip
    request = ReportRequest("net-worth", first, last, head)
    computed, drawn = [], []
    for _ in range(5):
        t0 = time.perf_counter()
        result = source.compute(request)
        t1 = time.perf_counter()
        chart.set_data(chart_data(result.report))
        chart.render(QImage(chart.size(), QImage.Format.Format_ARGB32_Premultiplied))
        computed.append((t1 - t0) * 1000)
        drawn.append((time.perf_counter() - t1) * 1000)
    return {"events": head, "points": len(result.report.sections), "compute": _stats(computed),
            "draw": _stats(drawn)}  # fmt: skip


def main() -> None:
    app = QApplication.instance() or QApplication(sys.argv)
    chart = ReportChart()
    out: dict[str, Any] = {"points": POINTS, "runs": RUNS, "draw": {}}
    for w, h in ((1024, 560), (1900, 940)):  # the chart's room in the window at both sizes
        chart.resize(w, h)
        chart.set_data(chart_data(net_worth_report(POINTS)))
        out["draw"][f"{w}x{h}"] = {"update": _stats(update_times(chart, net_worth_report(POINTS))),
                                   "hover": _stats(hover_times(chart))}  # fmt: skip
    chart.resize(1024, 560)
    out["cash_flow"] = _stats(update_times(chart, cash_flow_report(POINTS)))
    out["spending"] = _stats(update_times(chart, spending_report(POINTS)))
    if len(sys.argv) > 1:
        out["book"] = book_figures(Path(sys.argv[1]), chart)
    print(json.dumps(out))
    del app


if __name__ == "__main__":
    main()
