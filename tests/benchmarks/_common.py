"""Shared by the benchmark scripts: cached generated books, subprocess runs, statistics.

A benchmark book of N events is the first N commands of the generated workload (seed 7,
40 accounts); each command appends exactly one event. Books are built once by batch import and
cached under ``$TALLYBOOK_BENCH_CACHE`` (default: the temp folder), keyed by size and a hash of
the ``domain`` sources, so a code change rebuilds them. Measurements that need a clean peak-RSS
figure run in a fresh subprocess: ``python <script> --measure NAME SIZE`` prints one JSON object.
The outermost script copies ``domain/`` and ``app/`` first and every subprocess imports that
copy, so a run measures one version of the code even while the tree is being edited.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import platform
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from itertools import islice
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
# The subprocesses of one run import the copy of domain/ and app/ taken when the run began (see
# pin_code), so that edits made in the tree meanwhile cannot mix two versions of the code.
sys.path.insert(0, os.environ.get("TALLYBOOK_BENCH_CODE_DIR") or str(ROOT))

from app.sample_chart import generated_chart, opening_events  # noqa: E402
from app.sample_data import generate_commands  # noqa: E402
from domain.model.commands import Command  # noqa: E402
from domain.projections.location import ENV_DIR as READ_MODELS_ENV  # noqa: E402

SEED = 7
ACCOUNTS = 40
# commands kept after the book's last one, for the append benchmark (part of the cache key:
# the generator spreads its dates over all the commands it is asked for)
DEFAULT_EXTRA = 2000
EXTRA = int(os.environ.get("TALLYBOOK_BENCH_EXTRA", DEFAULT_EXTRA))
IMPORT_BATCH = 5000
DEFAULT_SIZES = (10_000, 100_000)


def book_commands(size: int) -> int:
    """How many of the generated commands make a book of ``size`` events (the openings of
    accounts with an opening balance append more than one)."""
    return size - (opening_events(generated_chart(ACCOUNTS, SEED)) - ACCOUNTS)


def workload(size: int) -> Iterator[Command]:
    """The generated commands: the ``book_commands(size)`` of the book of ``size`` events,
    then ``EXTRA`` more."""
    return generate_commands(ACCOUNTS, book_commands(size) - ACCOUNTS + EXTRA, SEED)


def cache_dir() -> Path:
    base = os.environ.get("TALLYBOOK_BENCH_CACHE") or Path(tempfile.gettempdir())
    path = Path(base) / "tallybook-bench" / code_hash()
    path.mkdir(parents=True, exist_ok=True)
    # the books' read-model caches sit with the books (and go when they go), not in the
    # user's cache folder; subprocesses inherit this
    os.environ.setdefault(READ_MODELS_ENV, str(path / "read-models"))
    return path


def read_models_of(book: Path) -> Path:
    """Where the read-model cache of the book at ``book`` is (or would be)."""
    from domain.projections.location import read_models_path
    from domain.store.sqlite import SqliteEventStore

    with SqliteEventStore.open(book, readonly=True) as store:
        return read_models_path(book, store.info().book_id)


# the sources that shape a book: the domain, the generated workload and how a book is opened
# (the CLI and the GUI do not)
_BOOK_SOURCES = ("domain", "app/sample_data.py", "app/sample_chart.py", "app/composition.py")


def code_hash() -> str:
    """A hash of the sources that shape a book."""
    code = Path(os.environ.get("TALLYBOOK_BENCH_CODE_DIR") or ROOT)
    digest = hashlib.sha256()
    sources: list[Path] = []
    for name in _BOOK_SOURCES:
        path = code / name
        sources += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    for source in sources:
        digest.update(source.relative_to(code).as_posix().encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()[:12]


def pin_code() -> None:
    """Copy domain/ and app/ for this run's subprocesses (once, by the outermost script)."""
    if os.environ.get("TALLYBOOK_BENCH_CODE_DIR"):
        return
    copy = Path(tempfile.mkdtemp(prefix="tallybook-bench-code-"))
    skip = shutil.ignore_patterns("__pycache__")
    for package in ("domain", "app"):
        shutil.copytree(ROOT / package, copy / package, ignore=skip)
    os.environ["TALLYBOOK_BENCH_CODE_DIR"] = str(copy)
    atexit.register(shutil.rmtree, copy, ignore_errors=True)


def book_path(size: int) -> Path:
    """Where the cached book of ``size`` events lives."""
    tail = "" if EXTRA == DEFAULT_EXTRA else f"-x{EXTRA}"
    return cache_dir() / f"book-{size}{tail}.tallybook"


def cached_book(size: int) -> tuple[Path, dict[str, Any]]:
    """The cached book of ``size`` events and its import figures, building it if needed."""
    path = book_path(size)
    meta_path = path.with_suffix(".json")
    if path.exists() and meta_path.exists():
        meta: dict[str, Any] = json.loads(meta_path.read_text())
        return path, {**meta, "cached": True}
    for stale in (path, meta_path):
        stale.unlink(missing_ok=True)
    meta = run_measurement(Path(__file__).with_name("bench_store.py"), "import", size)
    meta_path.write_text(json.dumps(meta))
    return path, {**meta, "cached": False}


def import_book(path: Path, size: int) -> dict[str, Any]:
    """Build a book of ``size`` events by batch import; time only the execute_batch calls."""
    from app.composition import Book

    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    book = Book.open(path, create_if_missing=True)
    spent = 0.0
    commands = islice(workload(size), book_commands(size))
    started = time.perf_counter()
    try:
        while chunk := list(islice(commands, IMPORT_BATCH)):
            t = time.perf_counter()
            book.service.execute_batch(chunk)
            spent += time.perf_counter() - t
        events = book.store.head()[0]
    finally:
        book.close()
    wall = time.perf_counter() - started
    assert events == size, f"expected {size} events, the book has {events}"
    return {
        "events": events,
        "batch": IMPORT_BATCH,
        "import_seconds": round(spent, 3),
        "import_events_per_s": round(events / spent),
        "wall_seconds_with_generation": round(wall, 3),
    }


def copy_book(source: Path, target_dir: Path) -> Path:
    """Copy a closed book and its read-model cache (and any -wal files) so a benchmark may
    write to it: the copy opens as the original would, with its read models up to date."""
    target = target_dir / source.name
    for suffix in ("", "-wal"):
        if Path(f"{source}{suffix}").exists():
            _copy_synced(Path(f"{source}{suffix}"), Path(f"{target}{suffix}"))
    cache, target_cache = read_models_of(source), read_models_of(target)
    for suffix in ("", "-wal"):
        if Path(f"{cache}{suffix}").exists():
            _copy_synced(Path(f"{cache}{suffix}"), Path(f"{target_cache}{suffix}"))
    atexit.register(remove_sqlite_files, target_cache)
    return target


def _copy_synced(source: Path, target: Path) -> None:
    # flushed now, so the first durable commit measured on the copy does not pay for writing
    # back the whole copied file (the book a user appends to was written long ago)
    shutil.copyfile(source, target)
    with open(target, "rb+") as copied:
        os.fsync(copied.fileno())


def remove_sqlite_files(path: Path) -> None:
    """Delete a SQLite file with its -wal and -shm companions."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def run_measurement(script: Path, name: str, size: int, *extra: str) -> dict[str, Any]:
    """Run ``script --measure name size`` in a fresh interpreter; return its JSON figures."""
    done = subprocess.run(
        [sys.executable, str(script), "--measure", name, str(size), *extra],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{script.name} {name} {size} failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def peak_rss_mb() -> float:
    """This process's peak resident set size in MiB (Linux reports KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    scale = 1 if sys.platform == "darwin" else 1024
    return round(peak * scale / 2**20, 1)


def latency_ms(samples: Sequence[float]) -> dict[str, float]:
    """Median and 95th percentile of durations in seconds, as milliseconds."""
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "median_ms": round(statistics.median(ordered) * 1000, 3),
        "p95_ms": round(p95 * 1000, 3),
    }


def timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def table_bytes(path: Path) -> dict[str, int]:
    """Bytes per table and index (SQLite's dbstat), where the build has it."""
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            rows = db.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name").fetchall()
    except sqlite3.Error:
        return {}
    return {name: int(size) for name, size in sorted(rows, key=lambda r: -r[1])}


def disk_figures(folder: Path) -> dict[str, float]:
    """What one durable commit costs on this disk: raw fsync latency, and the rate of
    one-row SQLite WAL transactions with synchronous=FULL (the ceiling for durable appends).

    The commits are counted once the WAL has been through a checkpoint and restarted, as in
    a book that has been open for a while: until then every commit grows the -wal file, and
    its fsync must then journal the new size too (about half the rate)."""
    probe = folder / "fsync-probe"
    fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    try:
        started = time.perf_counter()
        for _ in range(200):
            os.write(fd, b"x" * 128)
            os.fsync(fd)
        fsync_ms = (time.perf_counter() - started) / 200 * 1000
    finally:
        os.close(fd)
        probe.unlink()
    db_path = folder / "commit-probe.db"
    db = sqlite3.connect(db_path, isolation_level=None)
    try:
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = FULL")
        db.execute("CREATE TABLE t (x INTEGER)")

        def commit_rows(count: int) -> float:
            started = time.perf_counter()
            for i in range(count):
                db.execute("BEGIN IMMEDIATE")
                db.execute("INSERT INTO t VALUES (?)", (i,))
                db.execute("COMMIT")
            return count / (time.perf_counter() - started)

        commit_rows(1_200)  # past the 1,000-page checkpoint: the WAL restarts at its start
        commits = commit_rows(1_000)
    finally:
        db.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    return {"fsync_ms": round(fsync_ms, 3), "sqlite_durable_commits_per_s": round(commits)}


def machine() -> dict[str, Any]:
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {
        "cpu": model or platform.processor(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "platform": platform.platform(),
        "load_average_1min": round(os.getloadavg()[0], 2),
        **disk_figures(cache_dir()),
    }


def main_for(
    script: str, measures: dict[str, Callable[[int], dict[str, Any]]], plan: Sequence[str]
) -> None:
    """CLI shared by the scripts: ``SIZE...`` runs ``plan`` per size in subprocesses,
    ``--measure NAME SIZE`` runs one measurement here and prints its JSON."""
    args = sys.argv[1:]
    if args[:1] == ["--measure"]:
        name, size = args[1], int(args[2])
        print(json.dumps(measures[name](size)))
        return
    pin_code()
    sizes = [int(a.replace("_", "")) for a in args] or list(DEFAULT_SIZES)
    out: dict[str, Any] = {"machine": machine(), "sizes": {}}
    for size in sizes:
        _, meta = cached_book(size)
        figures: dict[str, Any] = {"import": meta}
        for name in plan:
            print(f"{Path(script).name}: {name} at {size} events", file=sys.stderr)
            figures[name] = run_measurement(Path(script), name, size)
        out["sizes"][str(size)] = figures
    print(json.dumps(out, indent=2))
