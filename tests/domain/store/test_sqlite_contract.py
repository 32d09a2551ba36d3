"""The store contract, run against the SQLite backend."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from store_contract import EventStoreContract, MakeStore

from domain.store.sqlite import SqliteEventStore


class TestSqliteEventStore(EventStoreContract):
    @pytest.fixture
    def make_store(self, sqlite_book: Callable[..., SqliteEventStore]) -> MakeStore:
        return sqlite_book
