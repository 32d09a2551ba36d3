"""The benchmark scripts still run against the current APIs (on a tiny book)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent / "benchmarks"


def test_run_all_prints_every_figure_for_a_tiny_book(tmp_path: Path) -> None:
    env = {**os.environ, "TALLYBOOK_BENCH_CACHE": str(tmp_path), "TALLYBOOK_BENCH_EXTRA": "50"}
    env.pop("TALLYBOOK_BENCH_CODE_DIR", None)
    done = subprocess.run(
        [sys.executable, str(BENCH / "run_all.py"), "300"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["machine"]["cores"] == os.cpu_count()
    figures = report["sizes"]["300"]
    assert figures["import"]["events"] == 300
    assert figures["append"]["commands"] == 50
    assert figures["append"]["synchronous"] == "FULL"
    assert figures["append_without_fsync"]["synchronous"] == "NORMAL"
    assert figures["append_write_side"]["commands"] == 50
    assert figures["size"]["read_models_bytes_per_event"] > 0
    assert figures["size"]["bytes_per_event"] > 0
    assert figures["rebuild"]["events"] == 300
    for reading in ("read_all", "read_all_store", "sqlite_json", "verify"):
        assert figures[reading]["events"] == 300 and figures[reading]["events_per_s"] > 0
    assert figures["as_of"]["all_balances"]["median_ms"] > 0
    assert figures["account"]["account_events"] > 0
    assert figures["open"]["accounts"] == 40 + 2  # and Opening Balances in EUR and in USD


def test_bench_apply_prints_lines_per_second_for_each_variant() -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH / "bench_apply.py"), "200", "--repeats", "1"],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["lines"] == 200
    for variant in ("group", "no-group"):
        assert report[variant]["median_lines_per_s"] > 0


def test_bench_import_runs_on_a_small_statement(tmp_path: Path) -> None:
    env = {**os.environ, "TALLYBOOK_READ_MODELS_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, str(BENCH / "bench_import.py"), "60", "2"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    assert figures["import_rows"] == 60 and figures["rows_per_second"] > 0
    assert len(figures["decide_20_rows_ms_fresh_service"]) == 2


def test_bench_undo_times_undo_and_redo_of_every_kind_on_a_tiny_book(tmp_path: Path) -> None:
    env = {**os.environ, "TALLYBOOK_BENCH_CACHE": str(tmp_path), "TALLYBOOK_BENCH_EXTRA": "50"}
    env.pop("TALLYBOOK_BENCH_CODE_DIR", None)
    done = subprocess.run(
        [sys.executable, str(BENCH / "bench_undo.py"), "300", "--repeats", "1"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)["sizes"]["300"]["undo"]
    assert figures["events"] > 300
    kinds = {k for k, v in figures.items() if isinstance(v, dict)}
    assert {"deposit", "void", "correction", "open_account", "reconcile"} <= kinds
    for kind in kinds:
        assert figures[kind]["undo"]["median_ms"] > 0 and figures[kind]["redo"]["median_ms"] > 0


def test_bench_verify_times_each_way_of_verifying_a_tiny_book(tmp_path: Path) -> None:
    from app.composition import Book
    from app.sample_data import generate_commands

    book_path = tmp_path / "tiny.tallybook"
    with Book.open(book_path, create_if_missing=True) as book:
        book.service.execute_batch(list(generate_commands(8, 40, seed=1)))
    env = {**os.environ, "TALLYBOOK_READ_MODELS_DIR": str(tmp_path / "read-models")}
    done = subprocess.run(
        [sys.executable, str(BENCH / "bench_verify.py"), str(book_path), "--rounds", "1",
         "--only", "sha256", "cli", "worker_over_check"],
        capture_output=True, text=True, env=env, check=False, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    variants = json.loads(done.stdout)["variants"]
    assert set(variants) == {"sha256", "cli", "worker_over_check"}
    assert variants["cli"]["events"] == variants["worker_over_check"]["events"] > 40
    assert variants["sha256"]["runs"] == 1 and "cpu_s" in variants["sha256"]
