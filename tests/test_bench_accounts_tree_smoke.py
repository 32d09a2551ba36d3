"""The accounts-tree benchmark still runs (on a tiny book) and prints its figures."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent / "benchmarks" / "bench_accounts_tree.py"


def test_bench_accounts_tree_prints_median_and_p95(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, str(BENCH), "6"],
        capture_output=True, text=True, env=env, check=False, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    assert (figures["accounts"], figures["events"]) == (6, 126)
    for name in ("set_as_of_ms", "tree_and_sync_ms"):
        assert 0 < figures[name]["median"] <= figures[name]["p95"]
