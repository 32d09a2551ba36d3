"""Store benchmarks: batch import, one-command-per-transaction appends, open, bytes per event.

    python tests/benchmarks/bench_store.py 10000 100000 1000000

prints one JSON object: per size, the import figures (of building the cached book), then
``append`` (commands/s through BookService.execute, each its own durable transaction),
``append_without_fsync`` (the same with PRAGMA synchronous=NORMAL: the code's own cost),
``append_write_side`` (durable, through a service without the read models),
``open`` (ms to open the book and to read every balance, peak RSS of that process) and
``size`` (bytes per event of the book file and of its read-model cache, per table).
"""

from __future__ import annotations

import sqlite3
import tempfile
import time
from itertools import islice
from pathlib import Path
from typing import Any

import _common as c


def measure_import(size: int) -> dict[str, Any]:
    figures = c.import_book(c.book_path(size), size)
    return {**figures, "peak_rss_mb": c.peak_rss_mb()}


def measure_append(
    size: int, synchronous: str | None = None, *, projected: bool = True
) -> dict[str, Any]:
    """The next EXTRA commands of the workload, each through BookService.execute (its own
    transaction), on a copy of the cached book. ``synchronous`` overrides the store's
    PRAGMA (NORMAL: no fsync per commit) to show what the code costs without the disk;
    ``projected=False`` runs a service without the read models (the write side alone, as
    the event-store figures the targets cite are measured), which then lag the events."""
    from app.composition import Book
    from domain.application.service import BookService
    from domain.store.sqlite.connection import dbapi

    source, _ = c.cached_book(size)
    first = c.book_commands(size)
    commands = list(islice(c.workload(size), first, first + c.EXTRA))
    with tempfile.TemporaryDirectory() as tmp:
        book = Book.open(c.copy_book(source, Path(tmp)), create_if_missing=False)
        try:
            book.store.connection.commit()  # end the read transaction opening left
            raw = dbapi(book.store.connection)  # a pragma outside SQLAlchemy's autobegin
            if synchronous:
                raw.execute(f"PRAGMA synchronous = {synchronous}")
            mode = raw.execute("PRAGMA synchronous").fetchone()[0]
            journal = raw.execute("PRAGMA journal_mode").fetchone()[0]
            service = book.service if projected else BookService(book.store)
            samples = []
            started = time.perf_counter()
            for command in commands:
                t = time.perf_counter()
                service.execute(command)
                samples.append(time.perf_counter() - t)
            spent = time.perf_counter() - started
            assert book.store.head()[0] == size + len(commands)
        finally:
            book.close()
    return {
        "commands": len(commands),
        "commands_per_s": round(len(commands) / spent),
        **c.latency_ms(samples),
        "journal_mode": journal,
        "synchronous": {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}.get(mode),
        "peak_rss_mb": c.peak_rss_mb(),
    }


def measure_append_without_fsync(size: int) -> dict[str, Any]:
    return measure_append(size, synchronous="NORMAL")


def measure_append_write_side(size: int) -> dict[str, Any]:
    return measure_append(size, projected=False)


def measure_open(size: int) -> dict[str, Any]:
    from app.composition import Book

    source, _ = c.cached_book(size)
    with tempfile.TemporaryDirectory() as tmp:
        path = c.copy_book(source, Path(tmp))
        started = time.perf_counter()
        book = Book.open(path, create_if_missing=False)
        opened = time.perf_counter() - started
        try:
            accounts = book.read_models.accounts()
            with_balances = time.perf_counter() - started
        finally:
            book.close()
    return {
        "open_ms": round(opened * 1000, 1),
        "open_and_all_balances_ms": round(with_balances * 1000, 1),
        "accounts": len(accounts),
        "peak_rss_mb": c.peak_rss_mb(),
    }


def measure_size(size: int) -> dict[str, Any]:
    """The book file's bytes per event (the target), and its read-model cache's beside it."""
    source, _ = c.cached_book(size)
    cache = c.read_models_of(source)
    with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as db:
        events = db.execute("SELECT COUNT(*) FROM events").fetchone()[0]

    def on_disk(path: Path) -> int:
        return sum(
            Path(f"{path}{s}").stat().st_size for s in ("", "-wal") if Path(f"{path}{s}").exists()
        )

    def per_event(path: Path) -> dict[str, float]:
        return {name: round(b / events, 1) for name, b in c.table_bytes(path).items()}

    book_bytes, cache_bytes = on_disk(source), on_disk(cache)
    return {
        "file_bytes": book_bytes,
        "bytes_per_event": round(book_bytes / events, 1),
        "bytes_per_event_by_table": per_event(source),
        "read_models_file_bytes": cache_bytes,
        "read_models_bytes_per_event": round(cache_bytes / events, 1),
        "read_models_bytes_per_event_by_table": per_event(cache),
    }


MEASURES = {
    "import": measure_import,
    "append": measure_append,
    "append_without_fsync": measure_append_without_fsync,
    "append_write_side": measure_append_write_side,
    "open": measure_open,
    "size": measure_size,
}

if __name__ == "__main__":
    plan = ("append", "append_without_fsync", "append_write_side", "open", "size")
    c.main_for(__file__, MEASURES, plan=plan)
