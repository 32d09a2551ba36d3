"""The store contract, run against the PostgreSQL backend on the test server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from store_contract import EventStoreContract, MakeStore

from domain.store.base import EventStore

pytest.importorskip("psycopg")

from domain.store.postgres.store import PostgresEventStore


class TestPostgresEventStore(EventStoreContract):
    @pytest.fixture
    def make_store(self, pg_url: str) -> Iterator[MakeStore]:
        opened: list[PostgresEventStore] = []
        PostgresEventStore.create(pg_url).close()

        def make() -> EventStore:
            store = PostgresEventStore.open(pg_url)
            opened.append(store)
            return store

        yield make
        for store in opened:
            store.close()
