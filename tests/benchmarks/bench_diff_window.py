"""The Diff window in the real main window, on a copy of the cached book.

    QT_QPA_PLATFORM=offscreen python tests/benchmarks/bench_diff_window.py 1000000

prints one JSON object: per size, ``diffs`` random pairs of points (the first dated, the
second now) opened as the timeline's Compare… does, ``balances_ms`` from the request until
the balances are shown, ``lines_ms`` until the first account's lines are (both computed in
workers), ``lines`` how many those were, and ``gui``: a 10-ms heartbeat's gaps on the GUI
thread over all of it (target: none over 100 ms); all after the history check that opening
the book starts (``history_check_s``).
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
DIFFS = 10


def measure(size: int) -> dict[str, Any]:
    from domain.projections.diff import Moment

    app = _application()
    source = c.cached_book(size)[0]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        window = _launcher(folder).show_book(c.copy_book(source, folder))
        # after the history check that opening starts (a full walk in a worker, whose
        # Python shares the GIL with the GUI thread: measured apart in bench_gui)
        checked: list[float] = []
        opened = time.perf_counter()
        window.operations.check_ended.connect(lambda *_: checked.append(time.perf_counter()))
        _wait(app, lambda: bool(checked), 600)
        _settle(app, 0.5)
        travel = window._parts.travel
        first_day = window.timeline.dates.day_of(1) or dt.date(2015, 1, 1)
        span = max(((window.timeline.dates.day_of(travel.head) or first_day) - first_day).days, 1)
        rng = random.Random(size)
        balances, lines, counts = [], [], []
        beat = Heartbeat()
        beat.start()
        for _ in range(DIFFS):
            first = Moment(rng.randint(1, travel.head),
                           first_day + dt.timedelta(days=rng.randrange(span)))  # fmt: skip
            shown: dict[str, float] = {}
            t0 = time.perf_counter()
            diff = window.diffs.open(first, Moment(travel.head))
            diff.computed.connect(lambda s=shown: s.setdefault("balances", time.perf_counter()))
            diff.lines_shown.connect(lambda s=shown: s.setdefault("lines", time.perf_counter()))
            _wait(app, lambda d=diff, f=first: d.idle and d.result is not None  # type: ignore[misc]
                  and d.result.first == f and d.lines_result is not None
                  and d.lines_result.first == f, 300)  # fmt: skip
            balances.append(shown["balances"] - t0)
            lines.append(shown["lines"] - t0)
            counts.append(diff.lines.rowCount())
            for signal in (diff.computed, diff.lines_shown):
                signal.disconnect()
        gui = beat.stop()
        window.close()
        _settle(app, 0.2)
    return {"events": travel.head, "history_check_s": round(checked[0] - opened, 1),
            "diffs": DIFFS, "balances_ms": _stats(balances),
            "lines_ms": _stats(lines), "lines": sorted(counts), "gui": gui}  # fmt: skip


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [100_000]
    print(json.dumps({"machine": c.machine(), **{str(n): measure(n) for n in sizes}}, indent=1))


if __name__ == "__main__":
    main()
