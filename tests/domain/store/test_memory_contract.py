"""The store contract, run against the in-memory backend."""

from __future__ import annotations

import pytest
from store_contract import EventStoreContract, MakeStore

from domain.store.memory import InMemoryEventStore, MemoryBook


class TestInMemoryEventStore(EventStoreContract):
    @pytest.fixture
    def make_store(self) -> MakeStore:
        book = MemoryBook()
        return lambda: InMemoryEventStore(book)
