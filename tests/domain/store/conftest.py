"""Fixtures for the store tests: real book files in tmp_path."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from domain.store.sqlite import SqliteEventStore, walk_aside


@pytest.fixture
def book_path(tmp_path: Path) -> Path:
    return tmp_path / "books" / "test.tallybook"


@pytest.fixture
def open_books() -> Iterator[list[SqliteEventStore]]:
    """Stores opened by a test, closed after it (even when it fails)."""
    stores: list[SqliteEventStore] = []
    yield stores
    for store in stores:
        store.close()


@pytest.fixture
def sqlite_book(
    book_path: Path, open_books: list[SqliteEventStore]
) -> Callable[..., SqliteEventStore]:
    """Open (creating on first call) the test's book; each call is another store object."""
    book_path.parent.mkdir(parents=True, exist_ok=True)

    def make(readonly: bool = False, busy_timeout: float = 30.0) -> SqliteEventStore:
        if book_path.exists():
            store = SqliteEventStore.open(book_path, readonly, busy_timeout=busy_timeout)
        else:
            store = SqliteEventStore.create(book_path, busy_timeout=busy_timeout)
        open_books.append(store)
        return store

    return make


@pytest.fixture(params=["in-process", "aside"])
def either_walk(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Verify walks the chain in-process, or (``aside``) in two child processes however small
    the book: a test using this runs both ways and must get the same answer."""
    if request.param == "aside":
        monkeypatch.setattr(walk_aside, "MIN_EVENTS", 1)
        monkeypatch.setattr(walk_aside, "workers", lambda: 2)
    return str(request.param)
