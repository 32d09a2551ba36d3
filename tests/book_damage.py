"""Damaging real book files as a failing disk or a forger would: garbage pages, raw SQL."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest


def leaf_pages(path: Path, btree: str) -> list[int]:
    """The leaf pages of a table or index in key order (SQLite's dbstat table says which
    they are; its path orders them by key, where page numbers need not: a page split puts
    later keys on any free page)."""
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        try:
            rows = db.execute(
                "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY path",
                (btree,),
            ).fetchall()
        except sqlite3.OperationalError:
            pytest.skip("this SQLite has no dbstat table to find pages with")
    return [page for (page,) in rows]


def page_size(path: Path) -> int:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        return int(db.execute("PRAGMA page_size").fetchone()[0])


def garble_page(path: Path, page: int, seed: int = 12) -> None:
    """Overwrite one page of the closed book's file with garbage."""
    size = page_size(path)
    garbage = random.Random(seed).randbytes(size)
    with open(path, "r+b") as f:
        f.seek((page - 1) * size)
        f.write(garbage)


def garble_middle_leaf(path: Path, btree: str = "events") -> None:
    """Garbage over the middle leaf page of a table or index."""
    pages = leaf_pages(path, btree)
    assert len(pages) >= 3, f"the book is too small: {btree} has {len(pages)} leaf pages"
    garble_page(path, pages[len(pages) // 2])


@contextmanager
def tamper(path: Path) -> Iterator[sqlite3.Connection]:
    """A raw connection with the append-only triggers dropped, as a forger would."""
    with closing(sqlite3.connect(path, isolation_level=None)) as db:
        for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'"):
            db.execute(f"DROP TRIGGER {name}")
        db.execute("BEGIN")
        yield db
        db.execute("COMMIT")


def forge_chained_insert(path: Path, position: int) -> None:
    """Insert a forged event at ``position`` (the later ones pushed back by one) whose hash
    chains correctly from its predecessor, as a forger who knows the hashing would."""
    from domain.store.hashing import event_hash

    with tamper(path) as db:
        db.execute("UPDATE events SET position = -position WHERE position >= ?", (position,))
        db.execute("UPDATE events SET position = -position + 1 WHERE position < 0")
        (previous,) = db.execute(
            "SELECT hash FROM events WHERE position = ?", (position - 1,)
        ).fetchone()
        columns = [c[1] for c in db.execute("PRAGMA table_info(events)")]
        row = dict(
            zip(
                columns,
                db.execute("SELECT * FROM events WHERE position = ?", (position + 1,)).fetchone(),
                strict=True,
            )
        )
        row.update(position=position, stream_id="entry-forged", stream_version=1, also_in=None)
        row["hash"] = event_hash(
            previous, position, row["stream_id"], 1, row["type"], row["schema_version"],
            row["data"], row["metadata"], row["recorded_at"], None,
        )  # fmt: skip
        marks = ", ".join("?" * len(row))
        db.execute(f"INSERT INTO events ({', '.join(row)}) VALUES ({marks})", list(row.values()))


def rechain_from(path: Path, position: int) -> None:
    """Alter the event at ``position`` and recompute every hash from there on: the chain
    verifies again; only a head written down earlier exposes it."""
    from domain.store.hashing import event_hash, genesis_hash

    with tamper(path) as db:
        db.execute(
            """UPDATE events SET data = json_set(data, '$.forged', 1) WHERE position = ?""",
            (position,),
        )
        if position > 1:
            (previous,) = db.execute(
                "SELECT hash FROM events WHERE position = ?", (position - 1,)
            ).fetchone()
        else:
            (book_id,) = db.execute("SELECT value FROM book WHERE key = 'book_id'").fetchone()
            previous = genesis_hash(book_id)
        rows = db.execute(
            "SELECT position, stream_id, stream_version, type, schema_version, data, metadata, "
            "recorded_at, also_in FROM events WHERE position >= ? ORDER BY position",
            (position,),
        ).fetchall()
        for row in rows:
            previous = event_hash(previous, *row)
            db.execute("UPDATE events SET hash = ? WHERE position = ?", (previous, row[0]))


def forge_appended(path: Path, stream_id: str, type_: str, data: str) -> int:
    """Append a forged event, correctly chained, to ``stream_id``; returns its position."""
    from domain.store.hashing import event_hash

    with tamper(path) as db:
        position, previous, metadata, recorded_at = db.execute(
            "SELECT position, hash, metadata, recorded_at FROM events "
            "ORDER BY position DESC LIMIT 1"
        ).fetchone()
        (version,) = db.execute(
            "SELECT coalesce(max(v), 0) + 1 FROM (SELECT stream_version AS v FROM events "
            "WHERE stream_id = ?1 UNION ALL SELECT version FROM stream_links "
            "WHERE stream_id = ?1)",
            (stream_id,),
        ).fetchone()
        position += 1
        digest = event_hash(
            previous, position, stream_id, version, type_, 1, data, metadata, recorded_at, None
        )
        db.execute(
            "INSERT INTO events (position, stream_id, stream_version, type, schema_version, "
            "data, metadata, recorded_at, hash, also_in) VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, NULL)",
            (position, stream_id, version, type_, data, metadata, recorded_at, digest),
        )
    return int(position)
