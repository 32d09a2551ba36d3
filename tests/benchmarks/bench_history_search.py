"""The history's filters on a big book: the index's build, and each filter's first page.

    QT_QPA_PLATFORM=offscreen python tests/benchmarks/bench_history_search.py BOOK [REPEATS]
    QT_QPA_PLATFORM=offscreen python tests/benchmarks/bench_history_search.py 100000

(BOOK: a book file, e.g. one made by ``tallybook-cli generate``; a number: the cached
benchmark book of that many events.) Prints one JSON object:

- ``index``: seconds and events/s for :meth:`HistorySearch.catch_up` (with ``BENCH_REINDEX=1``
  from empty: the first search after a read-model rebuild; the app does it as the book opens,
  in its worker; on a cache made before the search's trigrams, their fill from its texts), and
  ``cache_mb``, the read-model cache file's size after it.
- ``filters``: per filter, through the app's own :class:`HistorySearcher` (its worker thread,
  its own connection) and a :class:`HistoryModel` on the GUI thread: ``first_page_ms`` from
  ``search()`` to the first 40 rows read by the model, as a view shows them (median, max
  over REPEATS runs), ``count_ms`` until every match is known, and ``matches``.
- ``gui``: a 10-ms heartbeat on the GUI thread during all the searches: max and p99 gap, and
  the gaps over 100 ms.

Timing on a shared, loaded machine is noisy: compare runs made side by side.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import _common as c

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

HEARTBEAT_MS = 10
VISIBLE = 40


def _book(arg: str) -> Path:
    if arg.replace("_", "").isdigit():
        return c.cached_book(int(arg.replace("_", "")))[0]
    return Path(arg)


def _filters(book: Any, head: int) -> dict[str, Any]:
    """Filters a user might try, taken from the book's own data."""
    from domain.projections.history_filter import HistoryFilter
    from domain.projections.lineage import lineage_filter

    sample = list(book.store.read_all(head // 2, head // 2 + 2000))
    payees = sorted({str(e.data["payee"]) for e in sample if e.data.get("payee")})
    accounts = book.read_models.accounts()
    busiest = max(accounts, key=lambda a: book.read_models.register_count(a.account_id))
    quiet = min(accounts, key=lambda a: book.read_models.register_count(a.account_id) or head)
    middle = sample[len(sample) // 2]
    day = dt.date.fromisoformat(str(middle.data.get("booking_date", "2020-01-01")))
    command = str(middle.metadata.get("command_id", ""))
    return {
        "text_common": HistoryFilter(search=payees[0][:4].casefold()),
        "text_rare_command_id": HistoryFilter(search=command[:12].casefold()),
        "text_absent": HistoryFilter(search="no such words here"),
        "type_voids": HistoryFilter(types=frozenset(["EntryVoided"])),
        "type_renames": HistoryFilter(types=frozenset(["AccountRenamed"])),
        "account_busiest": HistoryFilter(account_ids=frozenset([busiest.account_id])),
        "account_quiet": HistoryFilter(account_ids=frozenset([quiet.account_id])),
        "booking_week": HistoryFilter(from_date=day, to_date=day + dt.timedelta(days=6)),
        "amount_range": HistoryFilter(amount_min=100_000, amount_max=100_500),
        "author": HistoryFilter(author=str(middle.metadata.get("author", ""))),
        "combined": HistoryFilter(search=payees[0][:3].casefold(),
                                  account_ids=frozenset([busiest.account_id]),
                                  from_date=day - dt.timedelta(days=90), to_date=day),
        "account_busiest_years": HistoryFilter(account_ids=frozenset([busiest.account_id]),
                                               from_date=day - dt.timedelta(days=3 * 365)),
        "sort_booking_desc": (HistoryFilter(), "day", True),
        "lineage_busiest_mid": lineage_filter([busiest.account_id], head // 2),
    }


def main() -> None:
    from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    args = sys.argv[1:]
    path = _book(args[0] if args else "100000")
    repeats = int(args[1]) if len(args) > 1 else 5
    # the read-model cache (and its index) in a folder of this run's own, kept between runs
    from domain.projections.location import ENV_DIR

    os.environ.setdefault(ENV_DIR, str(Path(tempfile.gettempdir()) / "bench-search-rm"))
    from app.background.history_search import HistorySearcher
    from app.composition import Book
    from app.models.history import HistoryModel
    from domain.projections.search_index import HistorySearch
    from domain.projections.tables import rm_search, rm_search_accounts, rm_search_state

    out: dict[str, Any] = {"machine": c.machine(), "book": str(path)}
    started = time.perf_counter()
    book = Book.open(path, readonly=True)
    out["open_s"] = round(time.perf_counter() - started, 2)
    head = book.store.head()[0]
    out["events"] = head
    search = HistorySearch(book.read_models.store)
    conn = book.read_models.store.connection
    if os.environ.get("BENCH_REINDEX"):  # measure the build from empty
        with book.read_models.store.transaction(allow_readonly=True):
            for table in (rm_search_accounts, rm_search, rm_search_state):
                conn.execute(table.delete())
    behind = search.behind()
    started = time.perf_counter()
    search.catch_up()
    spent = time.perf_counter() - started
    out["index"] = {"events": behind, "seconds": round(spent, 1),
                    "events_per_s": round(behind / spent) if behind and spent else None,
                    "cache_mb": round(book.read_models.path.stat().st_size / 1e6, 1)}
    filters = _filters(book, head)

    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert app is not None
    model = HistoryModel(book.read_models, rows_at=search.rows_at)
    searcher = HistorySearcher(path)
    gaps: list[float] = []
    beat = QElapsedTimer()
    beat.start()

    def tick() -> None:
        gaps.append(beat.restart())

    heart = QTimer()
    heart.setInterval(HEARTBEAT_MS)
    heart.timeout.connect(tick)
    state: dict[str, Any] = {}

    def on_first(positions: list[int], _events: int) -> None:
        model.show_positions(positions, by_position=state["order"] == "position"
                             and not state["descending"])  # fmt: skip
        for row in range(min(VISIBLE, model.rowCount())):
            model.row_at(row)
        state["first"] = state["timer"].elapsed()

    def on_matched(positions: list[int]) -> None:
        state["count"] = state["timer"].elapsed()
        state["matches"] = len(positions)
        state["loop"].quit()

    searcher.first_page.connect(on_first)
    searcher.matched.connect(on_matched)

    def run(keep: Any, order: str, descending: bool) -> tuple[float, float, int]:
        state.clear()
        state.update(order=order, descending=descending, timer=QElapsedTimer())
        state["timer"].start()
        loop = QEventLoop()
        state["loop"] = loop
        QTimer.singleShot(120_000, loop.quit)
        searcher.search(keep, order, descending)
        if "count" not in state:
            loop.exec()  # the app's own event loop: the heartbeat ticks while it waits
        return state.get("first", -1), state.get("count", -1), state.get("matches", -1)

    searcher.prepare()
    run(filters["type_voids"], "position", False)  # the worker opens its book: not timed
    heart.start()
    results: dict[str, Any] = {}
    for name, spec in filters.items():
        keep, order, descending = spec if isinstance(spec, tuple) else (spec, "position", False)
        firsts, counts, matches = [], [], 0
        seen = len(gaps)
        beat.restart()
        for _ in range(repeats):
            first, count, matches = run(keep, order, descending)
            firsts.append(first)
            counts.append(count)
        results[name] = {
            "matches": matches,
            "first_page_ms": {"median": statistics.median(firsts), "max": max(firsts)},
            "count_ms": {"median": statistics.median(counts), "max": max(counts)},
            "gui_max_gap_ms": max(gaps[seen:], default=None),
        }
        print(f"{name}: {results[name]}", file=sys.stderr)
    heart.stop()
    searcher.stop()
    out["filters"] = results
    firsts_all = [r["first_page_ms"]["median"] for r in results.values()]
    out["first_page_median_of_medians_ms"] = statistics.median(firsts_all)
    gaps.sort()
    out["gui"] = {
        "ticks": len(gaps),
        "max_gap_ms": gaps[-1] if gaps else None,
        "p99_gap_ms": gaps[int(len(gaps) * 0.99)] if gaps else None,
        "gaps_over_100_ms": sum(1 for g in gaps if g > 100),
    }
    book.close()
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
