"""Writers notify a book's channel as they commit; a listener hears commits, not rollbacks,
and only of its own book."""

from __future__ import annotations

import pg_server as pg_server_module
import pytest

from domain.model.errors import ConcurrencyError, StoreError
from domain.store.base import Metadata, NewEvent

pytest.importorskip("psycopg")

from domain.store.postgres.notify import ChangeListener, channel
from domain.store.postgres.store import PostgresEventStore


def _append(store: PostgresEventStore, command: str, expected: int) -> None:
    store.append([NewEvent("s", "Happened", 1, {})], {"s": expected}, Metadata(command))


def test_a_commit_is_heard_by_its_books_listener_only(pg_url: str) -> None:
    with (
        PostgresEventStore.create(f"{pg_url}&book=club") as club,
        PostgresEventStore.create(f"{pg_url}&book=other") as other,
    ):
        listener = ChangeListener(f"{pg_url}&book=club")
        try:
            assert not listener.wait(0.05)
            _append(other, "o1", 0)
            assert not listener.wait(0.2)  # another book's commit
            _append(club, "c1", 0)
            _append(club, "c2", 1)
            assert listener.wait(1.0)
            late = 0  # pending notices are taken at once; one still on its way comes next
            while listener.wait(0.2):
                late += 1
            assert late <= 1
            with pytest.raises(ConcurrencyError):
                _append(club, "c3", 0)  # refused: nothing committed, nothing told
            assert not listener.wait(0.2)
        finally:
            listener.close()


def test_long_book_names_still_make_a_channel() -> None:
    assert len(channel("b" * 63)) == 63
    assert channel("club") == "tallybook_club"


def test_a_stopped_server_ends_the_wait_with_a_store_error(
    pg_server: pg_server_module.PgServer, pg_url: str
) -> None:
    PostgresEventStore.create(f"{pg_url}&book=club").close()
    listener = ChangeListener(f"{pg_url}&book=club")
    try:
        pg_server.restart()
        with pytest.raises(StoreError, match="cannot be reached"):
            for _ in range(20):
                listener.wait(0.1)
                listener.check()
    finally:
        listener.close()
    ChangeListener(f"{pg_url}&book=club").close()  # back: a new one connects
