"""The statement-parsing benchmark still runs (on a small file) and prints its figures."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent / "benchmarks" / "bench_parse.py"


def test_bench_parse_prints_rows_per_second_and_peak_rss() -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH), "500", "1"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["rows"] == 500
    for mode in ("detect", "profile", "ofx"):
        assert report[mode]["rows_per_s"] > 0 and report[mode]["peak_rss_mb"] > 0
