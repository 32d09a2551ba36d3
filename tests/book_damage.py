"""Damaging real book files as a failing disk or a forger would: garbage pages, raw SQL."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest


def leaf_pages(path: Path, btree: str) -> list[int]:
    """The leaf pages of a table or index (SQLite's dbstat table says which they are)."""
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        try:
            rows = db.execute(
                "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno",
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
