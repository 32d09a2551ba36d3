"""Read-side benchmarks: full rebuild, as-of queries, loading one account.

    python tests/benchmarks/bench_read.py 10000 100000 1000000

prints one JSON object: per size, ``rebuild`` (ReadModels.rebuild events/s and peak RSS),
``as_of`` (median and p95 latency over 200 random positions of every balance, and of one
100-row register page of the busiest account, first and last page) and ``account`` (ms to load,
through BookService.account, the account whose stream is nearest 1,000 events, cold and warm).
"""

from __future__ import annotations

import random
import tempfile
import time
from pathlib import Path
from typing import Any

import _common as c

POSITIONS = 200
PAGE = 100


def measure_rebuild(size: int) -> dict[str, Any]:
    from app.composition import Book

    source, _ = c.cached_book(size)
    with tempfile.TemporaryDirectory() as tmp:
        book = Book.open(c.copy_book(source, Path(tmp)), create_if_missing=False)
        try:
            events = book.store.head()[0]
            started = time.perf_counter()
            book.read_models.rebuild(None)
            spent = time.perf_counter() - started
        finally:
            book.close()
    return {
        "events": events,
        "seconds": round(spent, 3),
        "events_per_s": round(events / spent),
        "peak_rss_mb": c.peak_rss_mb(),
    }


def measure_as_of(size: int) -> dict[str, Any]:
    from app.composition import Book

    source, _ = c.cached_book(size)
    book = Book.open(source, create_if_missing=False, readonly=True)
    try:
        head = book.store.head()[0]
        rng = random.Random(size)
        positions = [rng.randint(1, head) for _ in range(POSITIONS)]
        busiest = max(
            book.read_models.accounts(),
            key=lambda a: book.store.stream_version(f"account-{a.account_id}"),
        )
        balances = [c.timed(lambda p=p: book.read_models.accounts(p)) for p in positions]
        first_page = [
            c.timed(lambda p=p: book.read_models.register(busiest.account_id, p, 0, PAGE))
            for p in positions
        ]
        last_page = []
        for p in positions:
            started = time.perf_counter()
            count = book.read_models.register_count(busiest.account_id, p)
            book.read_models.register(busiest.account_id, p, max(0, count - PAGE), PAGE)
            last_page.append(time.perf_counter() - started)
        register_rows = book.read_models.register_count(busiest.account_id, head)
    finally:
        book.close()
    return {
        "positions": POSITIONS,
        "all_balances": c.latency_ms(balances),
        "register_first_page": c.latency_ms(first_page),
        "register_last_page_with_count": c.latency_ms(last_page),
        "register_account": busiest.name,
        "register_rows_at_head": register_rows,
        "peak_rss_mb": c.peak_rss_mb(),
    }


def measure_account(size: int) -> dict[str, Any]:
    from app.composition import Book

    source, _ = c.cached_book(size)
    book = Book.open(source, create_if_missing=False, readonly=True)
    try:
        versions = {
            a.account_id: book.store.stream_version(f"account-{a.account_id}")
            for a in book.read_models.accounts()
        }
    finally:
        book.close()
    account_id, events = min(versions.items(), key=lambda kv: abs(kv[1] - 1000))
    book = Book.open(source, create_if_missing=False, readonly=True)
    try:
        cold = c.timed(lambda: book.service.account(account_id))
        warm = c.timed(lambda: book.service.account(account_id))
    finally:
        book.close()
    return {
        "account_events": events,
        "cold_ms": round(cold * 1000, 2),
        "warm_ms": round(warm * 1000, 3),
        "peak_rss_mb": c.peak_rss_mb(),
    }


MEASURES = {"rebuild": measure_rebuild, "as_of": measure_as_of, "account": measure_account}

if __name__ == "__main__":
    c.main_for(__file__, MEASURES, plan=("rebuild", "as_of", "account"))
