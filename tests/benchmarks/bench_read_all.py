"""Reading the whole log through the store's public API, against a bare-sqlite3 ceiling.

    python tests/benchmarks/bench_read_all.py 20000

prints one JSON object: per size, ``read_all`` (events/s of opening the book, reading every
event with ``read_all`` and decoding each into its typed domain object with ``from_data``),
``read_all_store`` (the same without ``from_data``: the store's own share), ``sqlite_json``
(the reference ceiling: bare ``sqlite3`` fetching the same rows and ``json.loads`` of each
event's data and metadata) and ``verify`` (events/s of walking the hash chain).
Each figure is the best of a few runs in one fresh process (the machine is shared).
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import _common as c

RUNS = 5


def _best_rate(events: int, run: Callable[[], int]) -> dict[str, Any]:
    spent = []
    for _ in range(RUNS):
        started = time.perf_counter()
        count = run()
        spent.append(time.perf_counter() - started)
        assert count == events, f"read {count} of {events} events"
    best = min(spent)
    return {"events": events, "seconds": round(best, 4), "events_per_s": round(events / best)}


def _events_in(path: Path) -> int:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        return int(db.execute("SELECT count(*) FROM events").fetchone()[0])


def measure_read_all(size: int, *, typed: bool = True) -> dict[str, Any]:
    from domain.model.events import from_data
    from domain.store.sqlite import SqliteEventStore

    source, _ = c.cached_book(size)

    def run() -> int:
        count = 0
        with SqliteEventStore.open(source, readonly=True) as store:
            if typed:
                for e in store.read_all():
                    from_data(e.type, e.schema_version, e.data)
                    count += 1
            else:
                for _ in store.read_all():
                    count += 1
        return count

    return {**_best_rate(_events_in(source), run), "peak_rss_mb": c.peak_rss_mb()}


def measure_read_all_store(size: int) -> dict[str, Any]:
    return measure_read_all(size, typed=False)


def measure_sqlite_json(size: int) -> dict[str, Any]:
    """The ceiling: the same rows by bare sqlite3 in batches, data and metadata parsed."""
    source, _ = c.cached_book(size)
    select = (
        "SELECT position, stream_id, stream_version, type, schema_version, data, metadata, "
        "recorded_at, hash, also_in FROM events WHERE position > ? ORDER BY position LIMIT 2000"
    )

    def run() -> int:
        count = 0
        db = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            position = 0
            loads = json.loads
            while rows := db.execute(select, (position,)).fetchall():
                for row in rows:
                    loads(row[5])
                    loads(row[6])
                count += len(rows)
                position = rows[-1][0]
        finally:
            db.close()
        return count

    return {**_best_rate(_events_in(source), run), "peak_rss_mb": c.peak_rss_mb()}


def measure_verify(size: int) -> dict[str, Any]:
    from domain.store.sqlite import SqliteEventStore

    source, _ = c.cached_book(size)

    def run() -> int:
        with SqliteEventStore.open(source, readonly=True) as store:
            report = store.verify()
        assert report.ok
        return report.events

    return {**_best_rate(_events_in(source), run), "peak_rss_mb": c.peak_rss_mb()}


MEASURES = {
    "read_all": measure_read_all,
    "read_all_store": measure_read_all_store,
    "sqlite_json": measure_sqlite_json,
    "verify": measure_verify,
}

if __name__ == "__main__":
    c.main_for(__file__, MEASURES, plan=tuple(MEASURES))
