"""A finding counts its events in words: "1 event was removed", "2 events were removed"."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from book_damage import tamper

from domain.store.base import Metadata, NewEvent
from domain.store.sqlite import SqliteEventStore


@pytest.fixture
def book(sqlite_book: Callable[..., SqliteEventStore]) -> Path:
    store = sqlite_book()
    for i in range(5):
        store.append(
            [NewEvent(f"entry-{i}", "EntryPosted", 1, {"i": i}, ("account-1",))],
            {f"entry-{i}": 0, "account-1": i},
            Metadata(f"c{i}"),
        )
    store.close()
    return store.path


def renumber_from(db: sqlite3.Connection, position: int, by: int) -> None:
    db.execute("UPDATE events SET position = -position WHERE position >= ?", (position,))
    db.execute("UPDATE events SET position = -position + ? WHERE position < 0", (by,))


def message(path: Path) -> str:
    with SqliteEventStore.open(path, readonly=True) as store:
        report = store.verify()
    assert report.problem == "removed"
    return str(report.details["message"])


@pytest.mark.parametrize("removed, words", [(1, "1 event was removed"), (2, "2 events were")])
def test_removed_events_are_counted_in_words(book: Path, removed: int, words: str) -> None:
    with tamper(book) as db:
        db.execute("DELETE FROM events WHERE position BETWEEN 2 AND ?", (1 + removed,))
        renumber_from(db, 2 + removed, -removed)
    text = message(book)
    assert words in text and "(s)" not in text
