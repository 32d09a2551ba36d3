"""The server restarting under an open book: the command in flight fails with one clear error
and nothing half-written; sending it again with the same command id reconnects and gives
the first answer if it had committed."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pg_server as pg_server_module
import pytest

from domain.model.errors import StoreError
from domain.store.base import Metadata, NewEvent

pytest.importorskip("psycopg")

from domain.store.postgres import store as postgres_store
from domain.store.postgres.store import PostgresEventStore
from domain.store.postgres.url import parse


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


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A TCP port whose listener takes connections and never says a word (a server hung,
    or a firewall that swallows the traffic)."""
    with socket.create_server(("127.0.0.1", 0)) as listener:
        yield listener.getsockname()[1]


def test_a_server_that_never_answers_fails_the_opening_within_the_timeout(
    silent_server: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(postgres_store, "CONNECT_TIMEOUT_S", 1)
    start = time.monotonic()
    with pytest.raises(StoreError, match="cannot be reached"):
        PostgresEventStore.open(f"postgresql://someone@127.0.0.1:{silent_server}/books")
    assert time.monotonic() - start < 10  # libpq alone would wait for ever


def test_the_address_may_set_its_own_timeouts() -> None:
    url = parse("postgresql://me@db.example/books?connect_timeout=3&keepalives_idle=60&book=club")
    assert url.parameters() == {"connect_timeout", "keepalives_idle"}
    assert url.schema == "club"
