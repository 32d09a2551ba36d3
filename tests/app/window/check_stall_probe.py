"""Run by ``test_history_check`` in a fresh interpreter: open the real main window on BOOK,
let the check on opening end, then time one more check with a 5 ms timer on the GUI thread.
Prints one JSON object. ``aside``: walk in child processes, as a big book does.

A fresh process, because the GUI thread's pauses are what is measured: after a thousand
tests, what they leave behind in one interpreter (threads, objects, file handles) stalled
it in some whole-suite runs while the same test alone never came near the limit.
"""

from __future__ import annotations

import itertools
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QApplication

from app.desktop.launcher import Launcher
from app.desktop.settings import AppSettings
from domain.store.sqlite import native_walk, walk_aside

CHECKS = 3


def _wait(signal: object, timeout_ms: int = 60_000) -> list[object]:
    loop, got = QEventLoop(), []
    signal.connect(lambda *args: (got.extend(args), loop.quit()))  # type: ignore[attr-defined]
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()
    return got


def main(book: str, walk: str) -> None:
    native_walk.ENABLED = walk == "native"
    walk_aside.MIN_EVENTS = 1 if walk == "aside" else 10**12
    walk_aside.NATIVE_MIN_EVENTS = 1 if walk == "native" else 10**12
    walk_aside.workers = lambda: 2
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        settings = AppSettings(QSettings(str(Path(folder) / "s.ini"), QSettings.Format.IniFormat))
        window = Launcher(settings).show_book(Path(book))
        if window.operations.checking:
            _wait(window.operations.check_ended)
        pause = QEventLoop()
        QTimer.singleShot(300, pause.quit)  # the window paints what the check found
        pause.exec()
        ticks = [time.monotonic()]
        timer = QTimer()
        timer.setInterval(5)
        timer.timeout.connect(lambda: ticks.append(time.monotonic()))
        progress: list[tuple[int, int]] = []
        window.operations.check_progress.connect(lambda d, t: progress.append((d, t)))
        timer.start()
        reports: list[object] = []
        for _ in range(CHECKS):  # back to back: one walk of a small book is over too soon
            loop = QEventLoop()

            def done(found: object, loop: QEventLoop = loop) -> None:
                reports.append(found)
                loop.quit()

            window.operations.history_checked.connect(done)
            window.operations.check_history()
            QTimer.singleShot(60_000, loop.quit)
            loop.exec()
            window.operations.history_checked.disconnect(done)  # the window's own stay
        ticks.append(time.monotonic())
        timer.stop()
        report: Any = reports[-1]
        print(json.dumps({
            "stall": max(b - a for a, b in itertools.pairwise(ticks)),
            "ticks": len(ticks),
            "ok": report.ok,
            "events": report.events,
            "progress_last": list(progress[-1]) if progress else None,
        }))  # fmt: skip
        window.close()
    app.processEvents()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
