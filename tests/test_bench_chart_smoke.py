"""The chart benchmark still runs and prints its figures for 120 points."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent / "benchmarks" / "bench_chart.py"


def test_bench_chart_prints_the_update_and_hover_times() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TALLYBOOK_BENCH_CHART_RUNS": "3"}
    done = subprocess.run([sys.executable, str(BENCH)], capture_output=True, text=True, env=env,
                          check=False, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout.splitlines()[-1])
    assert (figures["points"], figures["runs"]) == (120, 3)
    for size in ("1024x560", "1900x940"):
        update = figures["draw"][size]["update"]
        assert 0 < update["median_ms"] <= update["max_ms"]
        assert (
            figures["draw"][size]["hover"]["max_ms"] >= figures["draw"][size]["hover"]["median_ms"]
        )
    assert figures["cash_flow"]["median_ms"] > 0 and figures["spending"]["median_ms"] > 0
