"""The history-search benchmark still runs against the current APIs (on a small book)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from app.cli.main import main

BENCH = Path(__file__).resolve().parent / "benchmarks" / "bench_history_search.py"


def test_bench_history_search_prints_every_filter(tmp_path: Path) -> None:
    book = tmp_path / "b.tallybook"
    assert main(["generate", str(book), "--accounts", "10", "--commands", "300"]) == 0
    env = {**os.environ, "TALLYBOOK_READ_MODELS_DIR": str(tmp_path / "rm"),
           "QT_QPA_PLATFORM": "offscreen", "BENCH_REINDEX": "1"}  # fmt: skip
    done = subprocess.run([sys.executable, str(BENCH), str(book), "1"], capture_output=True,
                          text=True, env=env, check=False, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["events"] > 300 and report["index"]["events"] == report["events"]
    assert report["filters"]["type_voids"]["matches"] > 0
    assert all(f["first_page_ms"]["median"] >= 0 for f in report["filters"].values())
