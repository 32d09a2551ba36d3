"""The server restarting under an open book: the command in flight fails with one clear error
and nothing half-written; sending it again with the same command id reconnects and gives
the first answer if it had committed."""

from __future__ import annotations

import pg_server as pg_server_module
import pytest

from domain.model.errors import StoreError
from domain.store.base import Metadata, NewEvent

pytest.importorskip("psycopg")

from domain.store.postgres.store import PostgresEventStore


def _event(n: int) -> NewEvent:
    return NewEvent("s", "Happened", 1, {"n": n})


def test_a_restarted_server_fails_one_command_then_the_book_goes_on(
    pg_server: pg_server_module.PgServer, pg_url: str
) -> None:
    with PostgresEventStore.create(pg_url) as store:
        first = store.append([_event(1)], {"s": 0}, Metadata("c1"))
        pg_server.restart()
        with pytest.raises(StoreError, match=r"cannot be reached.*same command id is safe"):
            store.append([_event(2)], {"s": 1}, Metadata("c2"))
        again = store.append([_event(2)], {"s": 1}, Metadata("c2"))  # reconnects
        assert [e.position for e in again] == [2]
        assert store.append([_event(1)], {"s": 0}, Metadata("c1")) == first  # the first answer
        assert store.head()[0] == 2 and store.verify().ok
