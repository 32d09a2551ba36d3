"""The date-axis and Diff window benchmarks still run (on a tiny cached book) and print
every figure."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent / "benchmarks"


def run(tmp_path: Path, script: str) -> dict[str, object]:
    env = {**os.environ, "TALLYBOOK_BENCH_CACHE": str(tmp_path), "TALLYBOOK_BENCH_EXTRA": "50",
           "QT_QPA_PLATFORM": "offscreen"}  # fmt: skip
    env.pop("TALLYBOOK_BENCH_CODE_DIR", None)
    done = subprocess.run([sys.executable, str(BENCH / script), "300"], capture_output=True,
                          text=True, env=env, check=False, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr
    figures: dict[str, object] = json.loads(done.stdout)
    return figures


def test_bench_dated_prints_the_steps_the_worst_case_and_the_diff(tmp_path: Path) -> None:
    figures = run(tmp_path, "bench_dated.py")["sizes"]["300"]  # type: ignore[index]
    for name, key in (
        ("date_steps", "all_balances_on_date"),
        ("worst", "register_count_and_last_page_on_date"),
        ("diff", "diff_balances"),
        ("diff_window", "balances_with_open"),
    ):
        assert figures[name][key]["median_ms"] > 0, name
    assert figures["diff_window"]["lines_max"] >= figures["diff_window"]["lines_median"] > 0


def test_bench_diff_window_prints_the_latencies_and_the_gui_gaps(tmp_path: Path) -> None:
    figures = run(tmp_path, "bench_diff_window.py")["300"]  # type: ignore[index]
    assert figures["events"] == 300 and figures["diffs"] == 10
    assert figures["balances_ms"]["median_ms"] > 0 and figures["gui"]["max_gap_ms"] > 0
    assert len(figures["lines"]) == 10
