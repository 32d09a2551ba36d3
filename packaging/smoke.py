"""Smoke-check a built bundle: run ``tallybook --self-test`` and time its start-up.

    python packaging/smoke.py                     # dist/Tallybook/tallybook, offscreen
    python packaging/smoke.py --runs 7            # start-up: median of 7 cold-ish starts
    python packaging/smoke.py EXE --platform xcb  # a real X display (e.g. under xvfb-run)

Exit 0 when every run's self-test passed. Start-up time is measured from outside: from
starting the process to the self-test's ``SELFTEST window-shown`` line, printed once the main
window is on screen and painted.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build import executable  # a sibling script, not a package

WINDOW_SHOWN = "SELFTEST window-shown"  # app.desktop.selftest.WINDOW_SHOWN


def run_once(exe: Path, platform: str, timeout: float) -> dict[str, Any]:
    """One ``--self-test`` run: its JSON summary plus ``startup_s`` timed from outside."""
    with tempfile.TemporaryDirectory(prefix="tallybook-smoke-") as tmp:
        out_file = Path(tmp) / "selftest.json"
        env = {**os.environ, "QT_QPA_PLATFORM": platform, "TALLYBOOK_SELFTEST_OUT": str(out_file)}
        lines: list[tuple[float, str]] = []
        started = time.perf_counter()
        proc = subprocess.Popen(
            [str(exe), "--self-test"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        errors: list[str] = []

        def read_stdout() -> None:
            assert proc.stdout is not None
            for line in proc.stdout:
                lines.append((time.perf_counter() - started, line.rstrip("\n")))

        def read_stderr() -> None:
            assert proc.stderr is not None
            errors.append(proc.stderr.read())

        readers = [threading.Thread(target=f, daemon=True) for f in (read_stdout, read_stderr)]
        for reader in readers:
            reader.start()
        timed_out = False
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
            proc.kill()
            proc.wait()
        for reader in readers:
            reader.join(timeout=5)
        err = "".join(errors)
        if timed_out:
            return {"ok": False, "error": f"killed after {timeout:.0f} s", "stderr": err[-4000:]}
        # The file also works for a windowed Windows build, whose stdout goes nowhere.
        texts = [text for _t, text in lines] or (
            out_file.read_text("utf-8").splitlines() if out_file.exists() else []
        )
        summary = _last_json(texts) or {"ok": False, "error": "the self-test printed no result"}
        shown = [t for t, text in lines if text == WINDOW_SHOWN]
        if shown:
            summary["startup_s"] = round(shown[0], 3)
        summary["exit_code"] = proc.returncode
        if proc.returncode != 0:
            summary["ok"] = False
            summary["stderr"] = err[-4000:]
        return summary


def _last_json(texts: list[str]) -> dict[str, Any] | None:
    for text in reversed(texts):
        if text.startswith("{"):
            try:
                value = json.loads(text)
            except ValueError:
                continue
            if isinstance(value, dict):
                return value
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run a built bundle's --self-test.")
    parser.add_argument("exe", nargs="?", type=Path, default=executable(),
                        help="the bundle's executable (%(default)s)")  # fmt: skip
    parser.add_argument("--runs", type=int, default=1, help="how many starts to time")
    parser.add_argument("--platform", default="offscreen", help="QT_QPA_PLATFORM (%(default)s)")
    parser.add_argument("--timeout", type=float, default=120, help="seconds per run")
    args = parser.parse_args(argv)

    if not args.exe.is_file():
        print(f"smoke: no bundle at {args.exe}; run packaging/build.py first", file=sys.stderr)
        return 2
    results = [run_once(args.exe, args.platform, args.timeout) for _ in range(max(1, args.runs))]
    failed = [r for r in results if not r.get("ok")]
    for result in failed:
        print(f"smoke: FAILED: {result.get('error')}", file=sys.stderr)
        for key in ("traceback", "stderr"):
            if result.get(key):
                print(result[key], file=sys.stderr)
    if failed:
        return 1
    first = results[0]
    startups = [r["startup_s"] for r in results if "startup_s" in r]
    print(
        f"smoke: ok — {args.exe} ({first['platform']}, Qt {first['qt']}, "
        f"frozen={first['frozen']}): {first['events']} events posted, timeline and "
        f"integrity checked"
    )
    if startups:
        print(
            f"smoke: start-up to a shown main window: median {statistics.median(startups):.2f} s "
            f"over {len(startups)} run(s) (min {min(startups):.2f}, max {max(startups):.2f})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
