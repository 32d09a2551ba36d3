"""The hash chain's hot loop, and a child process that runs it over one range of a SQLite book.

This module imports nothing of the project's (only the standard library): a child process
loads it by its file path, without the packages' imports (SQLAlchemy alone costs more to
import than a range of 100,000 events costs to walk). :mod:`domain.store.sqlite.walk_aside`
starts the children; :mod:`domain.store.verification` runs the same loop in-process.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import time
from collections.abc import Iterable
from hashlib import sha256
from typing import Any

SELECT_RANGE = (
    "SELECT position, stream_id, stream_version, type, schema_version, data, metadata, "
    "recorded_at, hash, also_in FROM events WHERE position > ? AND position <= ? "
    "ORDER BY position LIMIT ?"
)
"""The store's rows in ``EVENT_COLUMNS`` order (domain.store.backend), as the backend reads
them."""
_SELECT_HASH = "SELECT hash FROM events WHERE position = ?"
_BATCH = 5000
_REPORT_EVERY_S = 0.05
_MMAP_BYTES = 1 << 34  # the whole book mapped: pages read without a copy each


def chain_rows(
    rows: Iterable[tuple[Any, ...]], previous: bytes, expected: int
) -> tuple[int, bytes, bool]:
    """Check that ``rows`` sit at ``expected``, ``expected + 1``… and that each stored hash
    is sha256(the hash before it + the row's canonical bytes), as
    :func:`domain.store.hashing.event_hash` makes it (inlined: a call per event cost a
    tenth of the walk). Returns the next position to check, the hash before it, and whether
    every row chained; when one did not, that position is where the row that failed sits.
    """
    join = "\x00".join
    for position, stream_id, version, type_, schema, data, meta, recorded, digest, also in rows:
        if position != expected:
            return expected, previous, False
        try:  # a tampered row may hold values of the wrong type: it does not chain
            canonical = join(
                (str(expected), stream_id, str(version), type_, str(schema), data, meta,
                 str(recorded), also or "")
            )  # fmt: skip
            if sha256(previous + canonical.encode()).digest() != digest:
                return expected, previous, False
        except (TypeError, AttributeError):
            return expected, previous, False
        previous = digest
        expected += 1
    return expected, previous, True


def scan_range(
    db: sqlite3.Connection,
    first: int,
    last: int,
    previous: bytes | None,
    report: Any = None,
) -> tuple[int, bool, str]:
    """Walk positions ``first`` to ``last`` of the book on ``db``, from ``previous`` (the hash
    before ``first``; None: the one stored at ``first - 1``). Returns the position where
    the walk stopped (``last + 1`` if all chained), whether all chained, and the reading
    error if one stopped it. ``report(done)`` hears of the progress every 50 ms or so."""
    expected = first
    if first > last:
        return first, True, ""
    if previous is None:
        row = db.execute(_SELECT_HASH, (first - 1,)).fetchone()
        if row is None or not isinstance(row[0], bytes):
            return first, False, ""
        previous = row[0]
    cursor = db.execute(SELECT_RANGE, (first - 1, last, last - first + 1))
    reported = time.monotonic()
    try:
        while rows := cursor.fetchmany(_BATCH):
            expected, previous, chained = chain_rows(rows, previous, expected)
            if not chained:
                return expected, False, ""
            now = time.monotonic()
            if report is not None and now - reported >= _REPORT_EVERY_S:
                reported = now
                report(expected - first)
    except sqlite3.Error as exc:  # the walk in-process names the damage, row by row
        return expected, False, str(exc)
    return expected, expected == last + 1, ""


def serve() -> None:
    """A child's life: one JSON request on stdin (``uri``, ``first``, ``last``, ``previous``
    hex or null), ``progress N`` lines while walking, then one JSON line with the result."""
    request = json.loads(sys.stdin.readline())
    out = sys.stdout

    def report(done: int) -> None:
        out.write(f"progress {done}\n")
        out.flush()

    db = sqlite3.connect(request["uri"], uri=True, isolation_level=None)
    db.execute("PRAGMA cache_size = -16384")
    db.execute(f"PRAGMA mmap_size = {_MMAP_BYTES}")
    previous = request["previous"]
    db.execute("BEGIN")  # one snapshot for the whole range
    stopped, chained, error = scan_range(
        db, request["first"], request["last"],
        None if previous is None else bytes.fromhex(previous), report,
    )  # fmt: skip
    out.write(json.dumps({"next": stopped, "ok": chained, "error": error}) + "\n")
    out.flush()


if __name__ == "__main__":
    serve()
