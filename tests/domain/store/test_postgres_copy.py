"""A book moves losslessly between SQLite and PostgreSQL: ``copy_from`` copies the stored rows
exactly (positions, data, metadata, recorded times, hashes, links and commands)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from domain.model.errors import StoreError
from domain.store import copying
from domain.store.base import Metadata, NewEvent
from domain.store.sqlite import SqliteEventStore

pytest.importorskip("psycopg")

from domain.store.postgres import copy_in
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


@pytest.mark.parametrize("batch", [7, copying.BATCH])  # 7: commands split across batches
def test_sqlite_to_postgres_to_sqlite_is_byte_identical(
    tmp_path: Path, pg_url: str, batch: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(copying, "BATCH", batch)
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


def test_a_copy_failing_in_a_later_batch_leaves_the_book_empty_and_usable(
    tmp_path: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # batches are sent by a thread of their own: its failure must still undo the whole copy
    monkeypatch.setattr(copying, "BATCH", 10)
    sent: list[int] = []
    real = copy_in.copy_in

    def failing(raw: object, rows: list[tuple[object, ...]], *rest: object) -> None:
        sent.append(len(rows))
        if len(sent) == 3:
            raise StoreError("the server went away")
        real(raw, rows, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(copy_in, "copy_in", failing)
    with SqliteEventStore.create(tmp_path / "a.tallybook") as source:
        _fill(source, 40)
        with PostgresEventStore.create(pg_url, like=source.info()) as shared:
            with pytest.raises(StoreError, match="went away"):
                shared.copy_from(source)
            assert shared.head()[0] == 0 and sent[:2] == [10, 10]
            monkeypatch.setattr(copy_in, "copy_in", real)
            assert shared.copy_from(source) == 80 and shared.verify().ok


@pytest.mark.parametrize(
    "values",
    [
        "(1, 's', 1, 't', 1, '{}', '{}', 0, '\\x00', NULL), "
        "(3, 's', 2, 't', 1, '{}', '{}', 0, '\\x00', NULL)",  # a gap inside one statement
        "(2, 's', 1, 't', 1, '{}', '{}', 0, '\\x00', NULL), "
        "(3, 's', 2, 't', 1, '{}', '{}', 0, '\\x00', NULL)",  # contiguous, but not from 1
        "(0, 's', 1, 't', 1, '{}', '{}', 0, '\\x00', NULL)",
    ],
)
def test_the_database_checks_a_statement_of_many_rows_for_gaps(pg_url: str, values: str) -> None:
    import psycopg

    with PostgresEventStore.create(pg_url) as store:
        raw = store._pg.raw
        with pytest.raises(psycopg.Error, match="gap-free"):
            raw.execute(f"INSERT INTO events VALUES {values}")
        raw.execute(
            "INSERT INTO events VALUES (1, 's', 1, 't', 1, '{}', '{}', 0, '\\x00', NULL), "
            "(2, 's', 2, 't', 1, '{}', '{}', 0, '\\x00', NULL)"
        )  # rows 1 and 2 in one statement are no gap
        assert raw.execute("SELECT count(*) FROM events").fetchone() == (2,)
