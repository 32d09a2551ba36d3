"""Verify of one big book, old walk against new, from the CLI's code path and the app's worker.

    python tests/benchmarks/bench_verify.py BOOK [--before DIR] [--rounds R]

BOOK is an existing book (``tallybook-cli generate BOOK --commands 1000000`` makes a
1M-event one in half an hour here; the cached benchmark books are keyed by the domain
sources, so a change to verify would rebuild them). Each variant runs in a fresh process,
in turn (A B C … A B C …) so that drift of the machine's speed hits all alike:

* ``sha256``: hashlib over the book file's bytes (the yardstick the issue names), and the
  wall time of ``sha256sum`` when it is installed;
* ``cli``: ``maintenance.verify`` as ``tallybook-cli verify`` runs it (the walk, then or
  beside it ``PRAGMA integrity_check``);
* ``worker``: the same job through the app's :class:`BackgroundTask` (a QThread with a
  progress signal) under an offscreen QApplication whose GUI thread beats every 10 ms;
  ``max_gap_ms`` is its longest stall;
* ``worker_over_check``: Verify Integrity while the check on opening still runs, through
  the window's :class:`BookOperations` (the case of the app's figures);
* with ``--before DIR`` (a tree with ``domain/`` and ``app/``, say
  ``git archive e67dfce domain app | tar -x -C DIR``) each of those with the code in DIR too.

Prints one JSON object: per variant the median, min and max wall seconds, CPU seconds of the
process and its children, and the events checked.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
VARIANTS = ("cli", "worker", "worker_over_check")


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def measure_sha256(book: Path) -> dict[str, Any]:
    started, cpu = time.perf_counter(), _cpu()
    digest = hashlib.sha256()
    with open(book, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    figures: dict[str, Any] = {"wall_s": time.perf_counter() - started, "cpu_s": _cpu() - cpu}
    if shutil.which("sha256sum"):
        started = time.perf_counter()
        subprocess.run(["sha256sum", str(book)], check=True, capture_output=True)
        figures["sha256sum_wall_s"] = time.perf_counter() - started
    return figures


def measure_cli(book: Path) -> dict[str, Any]:
    from app import maintenance

    started, cpu = time.perf_counter(), _cpu()
    report = maintenance.verify(book)
    assert report.ok, report.details
    return {"wall_s": time.perf_counter() - started, "cpu_s": _cpu() - cpu, "events": report.events}


def _qt() -> Any:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QWidget

    app = QApplication.instance() or QApplication([])
    beats: list[float] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: beats.append(time.monotonic()))
    return app, QWidget(), beats, timer


def _wait(app: Any, done: list[Any]) -> None:
    """Run the event loop (idle in Qt, as the app's is) until ``done`` holds something."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    poll = QTimer()
    poll.setInterval(5)
    poll.timeout.connect(lambda: loop.quit() if done else None)
    poll.start()
    if not done:
        loop.exec()
    poll.stop()


def _worker_figures(beats: list[float], started: float, cpu: float, report: Any) -> dict[str, Any]:
    gaps = [b - a for a, b in itertools.pairwise(beats)]
    return {
        "wall_s": time.perf_counter() - started,
        "cpu_s": _cpu() - cpu,
        "events": report.events,
        "max_gap_ms": round(max(gaps, default=0.0) * 1000, 1),
    }


def measure_worker(book: Path) -> dict[str, Any]:
    from app.background import jobs
    from app.background.runner import BackgroundTask

    app, widget, beats, timer = _qt()
    results: list[Any] = []
    started, cpu = time.perf_counter(), _cpu()
    timer.start()
    task = BackgroundTask(jobs.verify_job(book), "Verify", "…", widget, dialog=False)
    task.finished.connect(results.append)
    task.start()
    _wait(app, results)
    timer.stop()
    assert results[0].ok
    return _worker_figures(beats, started, cpu, results[0])


def measure_worker_over_check(book: Path) -> dict[str, Any]:
    """The check on opening starts, then Verify Integrity (before: both walk at once)."""
    from app.background.book_operations import BookOperations

    app, widget, beats, timer = _qt()
    operations = BookOperations(book, widget)
    results: list[Any] = []
    operations.verified.connect(results.append)
    started, cpu = time.perf_counter(), _cpu()
    timer.start()
    operations.check_history()
    app.processEvents()
    operations.verify()
    _wait(app, results)
    checking: list[bool] = []
    operations.check_ended.connect(lambda: checking.append(True))
    if operations.checking:  # the old code lets the check run on: its time counts too
        _wait(app, checking)
    timer.stop()
    assert results[0].ok
    return _worker_figures(beats, started, cpu, results[0])


MEASURES = {
    "sha256": measure_sha256,
    "cli": measure_cli,
    "worker": measure_worker,
    "worker_over_check": measure_worker_over_check,
}


def run_one(name: str, book: Path, code: Path) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(code), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, __file__, "--measure", name.removesuffix("_before"), str(book)],
        capture_output=True, text=True, check=False, env=env, cwd=code,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"{name} failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {"runs": len(runs)}
    for key in runs[0]:
        values = [r[key] for r in runs]
        if key == "events":
            out[key] = values[0]
        else:
            out[key] = {
                "median": round(statistics.median(values), 3),
                "min": round(min(values), 3),
                "max": round(max(values), 3),
            }
    return out


def main() -> None:
    if sys.argv[1:2] == ["--measure"]:
        name, book = sys.argv[2], Path(sys.argv[3])
        print(json.dumps(MEASURES[name](book)))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("book", type=Path)
    parser.add_argument("--before", type=Path, help="a tree with the code to compare with")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", nargs="*", help="variants to run (default: all)")
    args = parser.parse_args()
    plan: list[tuple[str, Path]] = [("sha256", ROOT)]
    for variant in VARIANTS:
        if args.before is not None:
            plan.append((f"{variant}_before", args.before.resolve()))
        plan.append((variant, ROOT))
    if args.only:
        plan = [(name, code) for name, code in plan if name in args.only]
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name, _ in plan}
    for round_ in range(args.rounds):
        for name, code in plan:
            print(f"bench_verify: round {round_ + 1}: {name}", file=sys.stderr)
            runs[name].append(run_one(name, args.book, code))
    print(json.dumps({
        "book": str(args.book),
        "book_bytes": args.book.stat().st_size,
        "cores": os.cpu_count(),
        "load_average_1min_at_end": round(os.getloadavg()[0], 2),
        "variants": {name: summary(r) for name, r in runs.items()},
    }, indent=2))  # fmt: skip


if __name__ == "__main__":
    main()
