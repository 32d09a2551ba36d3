"""The reports benchmark still runs (on a tiny cached book) and prints every kind's figures."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from domain.projections.reports import KINDS

BENCH = Path(__file__).resolve().parent / "benchmarks" / "bench_reports.py"


def test_bench_reports_prints_median_and_p95_per_kind(tmp_path: Path) -> None:
    env = {**os.environ, "TALLYBOOK_BENCH_CACHE": str(tmp_path), "TALLYBOOK_BENCH_EXTRA": "50"}
    env.pop("TALLYBOOK_BENCH_CODE_DIR", None)
    done = subprocess.run(
        [sys.executable, str(BENCH), "300"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)["sizes"]["300"]["reports"]
    assert figures["events"] == 300
    extra = ("income_statement_compare_now", "net-worth-daily", "cash-flow-one-account")
    for kind in (*KINDS, *extra):
        assert (
            figures[kind]["median_ms"] > 0 and figures[kind]["p95_ms"] >= figures[kind]["median_ms"]
        )
