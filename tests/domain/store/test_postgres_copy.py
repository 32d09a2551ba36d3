"""A book moves losslessly between SQLite and PostgreSQL: ``copy_from`` copies the stored rows
exactly (positions, data, metadata, recorded times, hashes, links and commands)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from domain.model.errors import StoreError
from domain.store.base import Metadata, NewEvent
from domain.store.sqlite import SqliteEventStore

pytest.importorskip("psycopg")

from domain.store.postgres.store import PostgresEventStore


def _fill(store: SqliteEventStore, commands: int) -> None:
    for n in range(commands):
        stream = f"entry-{n}"
        store.append(
            [
                NewEvent(stream, "Posted", 1, {"n": n, "payee": "Café ☕"}, ("acct-a", "acct-b")),
                NewEvent(stream, "Noted", 2, {"i": [n, None, True]}),
            ],
            {stream: 0, "acct-a": n, "acct-b": n},
            Metadata(f"cmd-{n}", author="ann", app_version="0.1", fingerprint=b"12345678"),
        )


def _dump(path: Path) -> list[list[tuple[object, ...]]]:
    with sqlite3.connect(path) as conn:
        return [
            conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
            for table in ("events", "stream_links", "commands", "book")
        ]


def test_sqlite_to_postgres_to_sqlite_is_byte_identical(tmp_path: Path, pg_url: str) -> None:
    first, back = tmp_path / "first.tallybook", tmp_path / "back.tallybook"
    with SqliteEventStore.create(first) as source:
        _fill(source, 300)  # more than one copying batch
        info, head = source.info(), source.head()
        with PostgresEventStore.create(pg_url, like=info) as shared:
            assert shared.copy_from(source) == 600
            assert shared.head() == head
            report = shared.verify()
            assert report.ok and report.events == 600
            with SqliteEventStore.create(back, like=info) as copy:
                copy.copy_from(shared)
                assert copy.head() == head and copy.verify().ok
    assert _dump(back) == _dump(first)
    with SqliteEventStore.open(back) as copy:  # the copy goes on taking commands
        copy.append([NewEvent("acct-a", "Happened", 1, {})], {"acct-a": 300}, Metadata("next"))
        assert copy.stream_version("acct-a") == 301 and copy.verify().ok


def test_a_copy_continues_where_it_stopped_and_refuses_another_book(
    tmp_path: Path, pg_url: str
) -> None:
    with SqliteEventStore.create(tmp_path / "a.tallybook") as source:
        _fill(source, 3)
        with PostgresEventStore.create(pg_url, like=source.info()) as shared:
            shared.copy_from(source, upto=2)
            assert shared.head()[0] == 2
            _fill_more = NewEvent("x", "Happened", 1, {})
            source.append([_fill_more], {"x": 0}, Metadata("more"))
            assert shared.copy_from(source) == 7 and shared.verify().ok
        with SqliteEventStore.create(tmp_path / "other.tallybook") as other:
            with pytest.raises(StoreError, match="is not a copy of"):
                other.copy_from(source)
            assert other.head()[0] == 0
