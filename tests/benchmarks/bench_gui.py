"""Desktop app responsiveness: timeline moves, and GUI-thread stalls during long operations.

    QT_QPA_PLATFORM=offscreen python tests/benchmarks/bench_gui.py 100000 1000000

prints one JSON object: per size,

- ``slider``: the real main window (built by ``app.desktop.launcher.Launcher``) on a copy of the
  cached book, the account with the longest register selected; the timeline slider is set to
  200 random positions. ``models_ms``: from ``slider.setValue`` to the end of
  ``TimeTravel.move_to`` (the coalescing 0-ms timer fired and every model -- balances, the
  register, the history's dimming and current row -- has been told and has re-counted its rows);
  ``painted_ms``: until the posted events after that are processed too, i.e. the views have
  repainted and so fetched the register and history pages they show. Median, p95 and max.
- ``stalls``: a 10-ms QTimer heartbeat on the GUI thread records the gap between its ticks
  while the app opens the book (catch-up in a worker, then the window), opens it after a
  projection upgrade (the worker rebuilds every read model first), runs Verify Integrity and
  Rebuild Views. Per operation: seconds, max and p99 gap in ms, and the gaps over 100 ms.

Message boxes are replaced by a recorder (the verify result box would wait for a click).
"""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import _common as c

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

POSITIONS = 200
HEARTBEAT_MS = 10
STALL_MS = 100
SETTLE_S = 0.3  # heartbeat time after an operation's end signal (the views repaint then)


def _application() -> Any:
    from PySide6.QtCore import QLocale
    from PySide6.QtWidgets import QApplication, QMessageBox

    app = QApplication.instance() or QApplication([sys.argv[0]])
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))

    def silent(*_args: object, **_kw: object) -> Any:
        return QMessageBox.StandardButton.Ok

    def failed(_parent: object, title: str, text: str, *_args: object) -> Any:
        ERRORS.append(f"{title}: {text}")  # _wait raises it: a benchmark must not wait on
        return QMessageBox.StandardButton.Ok  # a window that will never open

    for kind in ("warning", "information", "question", "about"):
        setattr(QMessageBox, kind, staticmethod(silent))
    QMessageBox.critical = staticmethod(failed)  # type: ignore[method-assign]
    return app


ERRORS: list[str] = []
"""What the app reported as critical (it would have shown a message box)."""


def _launcher(folder: Path) -> Any:
    from PySide6.QtCore import QSettings

    from app.desktop.launcher import Launcher
    from app.desktop.settings import AppSettings

    ini = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
    return Launcher(AppSettings(ini))


def _wait(app: Any, done: Callable[[], bool], timeout_s: float = 3600.0) -> None:
    from PySide6.QtCore import QEventLoop

    deadline = time.monotonic() + timeout_s
    while not done():
        if ERRORS:
            raise RuntimeError(ERRORS[0])
        if time.monotonic() > deadline:
            raise TimeoutError("the app did not finish in time")
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)


def _settle(app: Any, seconds: float) -> None:
    end = time.monotonic() + seconds
    _wait(app, lambda: time.monotonic() >= end)


def _busiest_account(window: Any) -> Any:
    read_models = window._parts.accounts._source
    accounts = read_models.accounts()
    return max(accounts, key=lambda a: read_models.register_count(a.account_id))


def measure_slider(size: int) -> dict[str, Any]:
    return slider_figures(c.cached_book(size)[0])


def slider_figures(source: Path) -> dict[str, Any]:
    """Slider moves on a copy of the book at ``source``."""
    app = _application()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        book = c.copy_book(source, folder)
        launcher = _launcher(folder)
        started = time.perf_counter()
        window = launcher.show_book(book)
        _settle(app, 0.5)
        open_s = time.perf_counter() - started
        busiest = _busiest_account(window)
        window.accounts_view.select_account(busiest.account_id)
        _settle(app, 0.2)
        parts = window._parts
        travel, slider = parts.travel, window.timeline.slider
        register_rows = parts.register.rowCount()
        # connected last, so it runs after every other slot of the move
        moved: list[float] = []
        travel.cursor_changed.connect(lambda _cursor: moved.append(time.perf_counter()))
        paints = PaintCounter(window.register_panel.table, window.history_dock.table)
        rng = random.Random(POSITIONS)
        head = travel.head
        models, painted = [], []
        for _ in range(POSITIONS):
            target = rng.randint(1, head)
            while target == slider.value():
                target = rng.randint(1, head)
            moved.clear()
            t0 = time.perf_counter()
            slider.setValue(target)
            _wait(app, lambda: bool(moved))
            # the views repaint from posted update requests; drain them (twice: a repaint
            # may post a follow-up, e.g. a scroll)
            app.processEvents()
            app.processEvents()
            t2 = time.perf_counter()
            models.append(moved[0] - t0)
            painted.append(t2 - t0)
        assert travel.cursor == slider.value()
        window.close()
        _settle(app, 0.1)
    return {
        "events": head,
        "open_window_s": round(open_s, 3),
        "register_account": busiest.name,
        "register_rows_at_head": register_rows,
        "positions": POSITIONS,
        "models_ms": _stats(models),
        "painted_ms": _stats(painted),
        "repaints_per_move": {k: round(v / POSITIONS, 2) for k, v in paints.counts.items()},
        "peak_rss_mb": c.peak_rss_mb(),
    }


class PaintCounter:
    """Counts the paint events of table views' viewports (so a run shows they repainted)."""

    def __init__(self, *tables: Any) -> None:
        from PySide6.QtCore import QEvent, QObject

        counts = self.counts = {t.objectName(): 0 for t in tables}

        class Filter(QObject):
            def eventFilter(self, watched: Any, event: Any) -> bool:
                if event.type() == QEvent.Type.Paint:
                    name = watched.parent().objectName()
                    counts[name] += 1
                return False

        self._filter = Filter()
        for table in tables:
            table.viewport().installEventFilter(self._filter)


def _stats(samples: list[float]) -> dict[str, float]:
    return {**c.latency_ms(samples), "max_ms": round(max(samples) * 1000, 3)}


class Heartbeat:
    """A 10-ms timer on the GUI thread; the gaps between its ticks are the GUI's stalls."""

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.ticks: list[float] = []
        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(HEARTBEAT_MS)
        self._timer.timeout.connect(lambda: self.ticks.append(time.perf_counter()))

    def start(self) -> None:
        self.ticks = [time.perf_counter()]
        self._timer.start()

    def stop(self) -> dict[str, Any]:
        self._timer.stop()
        self.ticks.append(time.perf_counter())
        pairs = list(zip(self.ticks, self.ticks[1:], strict=False))
        worst = max(pairs, key=lambda p: p[1] - p[0])
        gaps = sorted(b - a for a, b in pairs)
        p99 = gaps[min(len(gaps) - 1, round(0.99 * (len(gaps) - 1)))]
        return {
            "seconds": round(self.ticks[-1] - self.ticks[0], 3),
            "max_gap_ms": round(gaps[-1] * 1000, 1),
            "p99_gap_ms": round(p99 * 1000, 1),
            "median_gap_ms": round(statistics.median(gaps) * 1000, 1),
            # where the longest gap began, in seconds after the start and before the end
            "max_gap_at_s": [
                round(worst[0] - self.ticks[0], 3),
                round(self.ticks[-1] - worst[0], 3),
            ],
            "gaps_over_100ms": [round(g * 1000) for g in gaps if g * 1000 > STALL_MS][::-1][:20],
        }


def measure_stalls(size: int) -> dict[str, Any]:
    return stall_figures(c.cached_book(size)[0])


def stall_figures(source: Path) -> dict[str, Any]:
    """Heartbeat gaps while opening, verifying and rebuilding a copy of ``source``."""
    app = _application()
    figures: dict[str, Any] = {}
    beat = Heartbeat()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        book = c.copy_book(source, folder).resolve()
        launcher = _launcher(folder)

        def open_window(name: str) -> Any:
            opened: list[Any] = []
            launcher.window_opened.connect(opened.append)
            beat.start()
            launcher.open_book(book)
            _wait(app, lambda: bool(opened))
            _settle(app, SETTLE_S)
            figures[name] = beat.stop()
            launcher.window_opened.disconnect(opened.append)
            return opened[0]

        window = open_window("open")
        window.close()
        _settle(app, 0.2)
        with sqlite3.connect(c.read_models_of(book)) as db:  # as after an upgrade of the code
            db.execute("UPDATE rm_checkpoint SET code_version = 'older'")
        db.close()
        window = open_window("open_after_upgrade")

        results: list[object] = []
        window.operations.verified.connect(results.append)
        beat.start()
        window.operations.verify()
        _wait(app, lambda: bool(results))
        _settle(app, SETTLE_S)
        figures["verify"] = beat.stop()
        figures["verify"]["ok"] = bool(getattr(results[0], "ok", True))

        results.clear()
        window.operations.rebuilt.connect(results.append)
        beat.start()
        window.operations.rebuild()
        _wait(app, lambda: bool(results))
        _settle(app, SETTLE_S)
        figures["rebuild"] = beat.stop()
        figures["rebuild"]["finished"] = bool(results[0])
        window.close()
        _settle(app, 0.1)
        shutil.rmtree(folder, ignore_errors=True)
    figures["peak_rss_mb"] = c.peak_rss_mb()
    return figures


MEASURES: dict[str, Callable[[int], dict[str, Any]]] = {
    "slider": measure_slider,
    "stalls": measure_stalls,
}

if __name__ == "__main__":
    c.main_for(__file__, MEASURES, plan=("slider", "stalls"))
