"""Fixtures for the store tests: real book files in tmp_path."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import chain_walks
import pytest

from domain.store.sqlite import SqliteEventStore


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


@pytest.fixture(params=chain_walks.WALKS)
def either_walk(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Verify walks the chain in-process, (``aside``) in two child processes or (``native``)
    in two C threads, however small the book: a test using this runs each way and must get
    the same answer."""
    chain_walks.choose(request.param, monkeypatch)
    return str(request.param)
