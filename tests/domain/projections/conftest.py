"""The ``book`` fixture: a real book file in tmp_path, read models fed by the service."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from projection_book import Book, make_book


@pytest.fixture
def book(tmp_path: Path) -> Iterator[Book]:
    opened = make_book(tmp_path / "test.tally")
    yield opened
    opened.store.close()
