"""The Reports window: scrubbing the timeline with a report open, and a 20-page PDF.

    QT_QPA_PLATFORM=offscreen python tests/benchmarks/bench_report_window.py 100000

prints one JSON object: per size,

- ``scrub``: the real main window on a copy of the cached book, the Reports window open on an
  income statement for the year of the book's last booking date (as known at the cursor, and
  again with "compare with now"); the timeline slider is set to 40 random positions, each
  waiting for the recomputed report. ``result_ms``: from ``slider.setValue`` until the new
  figures are shown (worker included); ``gui``: a 10-ms heartbeat's gaps on the GUI thread over
  the whole scrub (target: none over 100 ms).
- ``no_report_open``: the same scrub before the Reports window is opened (``result_ms``: until
  the main window's models are updated, the accounts tree's worker included; polled, so
  within about 10 ms; then 50 ms for the repaint before the next move), the baseline for the
  heartbeat.
Scrubbing starts once the history check, the payees' read and the search index's catch-up
that opening a book runs have finished (the index is built in the cached book's read-model
cache the first time, so later runs find it there).

- ``pdf``: a net-worth report over 20 years (240 month-end points, about 20 A4 pages) exported
  to PDF: seconds and pages (target: 20 pages in 2 s).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import _common as c
from bench_gui import Heartbeat, _application, _launcher, _settle, _stats, _wait

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
MOVES = 40


def scrub(window: Any, app: Any, reports: Any) -> dict[str, Any]:
    travel, slider = window._parts.travel, window.timeline.slider
    rng = random.Random(MOVES)
    shown: list[float] = []
    if reports is not None:
        reports.computed.connect(lambda: shown.append(time.perf_counter()))
    else:  # the baseline: the main window's views alone
        travel.cursor_changed.connect(lambda _c: shown.append(time.perf_counter()))
    accounts = window._parts.accounts
    beat, latencies = Heartbeat(), []
    beat.start()
    for _ in range(MOVES):
        target = rng.randint(1, travel.head)
        if target == travel.cursor:
            continue
        shown.clear()
        t0 = time.perf_counter()
        slider.setValue(target)
        if reports is None:
            # the accounts tree reads its figures in a worker (``stale`` until they come;
            # main's code before that read them in the move itself and has no ``stale``)
            _wait(app, lambda: bool(shown) and not getattr(accounts, "stale", False), 120)
            shown.append(time.perf_counter())
            # then the repaint, as with a report open: else a version whose figures come at
            # once moves on before painting, and its paints never show in the gaps
            _settle(app, 0.05)
        else:
            _wait(app, lambda t=target: bool(shown) and reports.idle and  # type: ignore[misc]
                  reports.result.known_at == t, 120)  # fmt: skip
        latencies.append(shown[-1] - t0)
    return {"result_ms": _stats(latencies), "gui": beat.stop()}


def pdf_figures(reports: Any, folder: Path) -> dict[str, Any]:
    from PySide6.QtGui import QGuiApplication, QPageSize, QPdfWriter

    from app.background.report_jobs import ReportRequest
    from app.window import report_document

    request = ReportRequest("net-worth", dt.date(2000, 1, 1), dt.date(2019, 12, 31),
                            reports.result.head)
    result = reports._compute(request)
    target = folder / "net-worth.pdf"
    t0 = time.perf_counter()
    report_document.export_pdf(result, "Benchmark", target)
    seconds = time.perf_counter() - t0
    # the pages as print_ lays them out: the page's printable area at the screen's dpi
    writer = QPdfWriter(str(folder / "pages.pdf"))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    dpi = QGuiApplication.primaryScreen().logicalDotsPerInch()
    document = report_document.report_document(result, "Benchmark")
    document.setPageSize(writer.pageLayout().paintRectPixels(round(dpi)).size().toSizeF())
    return {"rows": len(result.rows), "pages": document.pageCount(),
            "seconds": round(seconds, 3), "bytes": target.stat().st_size}  # fmt: skip


def index_once(book: Path) -> None:
    """Catch the search index of the cached book's read-model cache up (once: the copies
    each run opens start from that cache), as the app's first opening of the book would."""
    from app.composition import Book
    from domain.projections.search_index import HistorySearch

    with Book.open(book, readonly=True) as opened:
        search = HistorySearch(opened.read_models.store)
        if search.behind():
            search.catch_up()


def measure(size: int) -> dict[str, Any]:
    from app.desktop.book_session import BookSession

    app = _application()
    source = c.cached_book(size)[0]
    index_once(source)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        book = c.copy_book(source, folder)
        window = _launcher(folder).show_book(book)
        # connected before the event loop runs: the worker's answers are queued till then
        indexed: list[bool] = []
        window._parts.searcher.indexing.connect(
            lambda done, total: indexed.append(done >= total > 0)
        )
        session = window.findChild(BookSession)
        # the history check on opening (a worker walking the hash chain) repaints its
        # progress bar, and with it the whole window, several times a second for tens of
        # seconds on a big book; the payees' and the search index's workers (a new cache's
        # index takes minutes on 1M events) read every event meanwhile, and their Python
        # holds the GIL the GUI thread needs: scrub after all three, so every scrub sees the
        # same window
        _wait(app, lambda: not window.operations.checking, 900)
        _wait(app, lambda: any(indexed) and session.payees_task._thread.isFinished(), 1800)
        _settle(app, 0.5)
        figures: dict[str, Any] = {"events": window._parts.travel.head}
        figures["no_report_open"] = scrub(window, app, None)
        reports = window.reports.open("income-statement")
        _wait(app, lambda: reports.idle and reports.result is not None, 300)
        _settle(app, 0.3)
        figures["as_known"] = scrub(window, app, reports)
        reports.compare_now.setChecked(True)
        _wait(app, lambda: reports.idle and reports.result.request.now, 300)
        figures["compare_now"] = scrub(window, app, reports)
        figures["pdf"] = pdf_figures(reports, folder)
        window.close()
        _settle(app, 0.2)
    return figures


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [100_000]
    print(json.dumps({"machine": c.machine(), **{str(n): measure(n) for n in sizes}}, indent=1))


if __name__ == "__main__":
    main()
