"""What the PostgreSQL backend adds to the contract: the database itself refuses changes to
the log, books share a database side by side, and bad addresses get one clear line."""

from __future__ import annotations

from typing import Any

import pytest

from domain.model.errors import BookError, NewerFormat, NotABook
from domain.store.base import Metadata, NewEvent

psycopg = pytest.importorskip("psycopg")

from domain.store.postgres.store import PostgresEventStore  # noqa: E402
from domain.store.postgres.url import parse  # noqa: E402


def _book(url: str, name: str = "") -> str:
    return f"{url}&book={name}" if name else url


def _append(store: PostgresEventStore, stream: str, command: str) -> None:
    version = store.stream_version(stream)
    store.append([NewEvent(stream, "Happened", 1, {"n": 1})], {stream: version}, Metadata(command))


def _sql(url: str, sql: str, schema: str = "tallybook") -> Any:
    with psycopg.connect(parse(url).conninfo, autocommit=True) as conn:
        conn.execute(f"SET search_path = {schema}")
        return conn.execute(sql).fetchall()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE events SET data = '{}'",
        "DELETE FROM events",
        "TRUNCATE events CASCADE",
        "UPDATE stream_links SET version = 9",
        "DELETE FROM commands",
        "TRUNCATE commands",
    ],
)
def test_the_database_refuses_to_change_the_log(pg_url: str, sql: str) -> None:
    with PostgresEventStore.create(pg_url) as store:
        store.append(
            [NewEvent("a", "Happened", 1, {"n": 1}, also_in=("b",))],
            {"a": 0, "b": 0},
            Metadata("c1"),
        )
        head = store.head()
    with pytest.raises(psycopg.Error, match="append-only"):
        _sql(pg_url, sql)
    with PostgresEventStore.open(pg_url) as store:
        assert store.head() == head and store.verify().ok


def test_the_database_refuses_a_gap_in_positions(pg_url: str) -> None:
    PostgresEventStore.create(pg_url).close()
    with pytest.raises(psycopg.Error, match="gap-free"):
        _sql(
            pg_url,
            "INSERT INTO events VALUES (2, 's', 1, 't', 1, '{}', '{}', 0, '\\x00', NULL)",
        )


def test_one_database_holds_several_books(pg_url: str) -> None:
    first = PostgresEventStore.create(_book(pg_url, "club"))
    second = PostgresEventStore.create(_book(pg_url, "household"))
    try:
        _append(first, "s", "c1")
        _append(first, "s", "c2")
        _append(second, "s", "c1")  # the same command id: another book
        assert first.head()[0] == 2 and second.head()[0] == 1
        assert first.info().book_id != second.info().book_id
        assert "book=household" in second.address
    finally:
        first.close()
        second.close()


def test_a_book_is_not_created_twice(pg_url: str) -> None:
    PostgresEventStore.create(pg_url).close()
    with pytest.raises(FileExistsError, match="already holds a book"):
        PostgresEventStore.create(pg_url)


def test_opening_where_there_is_no_book_says_so(pg_url: str) -> None:
    with pytest.raises(NotABook, match="holds no Tallybook book"):
        PostgresEventStore.open(_book(pg_url, "nothing_here"))


def test_a_newer_format_is_refused(pg_url: str) -> None:
    PostgresEventStore.create(pg_url).close()
    _sql(pg_url, "UPDATE book SET value = '99' WHERE key = 'format_version' RETURNING key")
    with pytest.raises(NewerFormat, match="newer Tallybook"):
        PostgresEventStore.open(pg_url)


def test_a_book_name_must_be_a_plain_identifier() -> None:
    with pytest.raises(BookError, match="lower-case letters"):
        parse("postgresql://u@h/db?book=Robert');DROP")


def test_the_address_shown_has_no_password() -> None:
    url = parse("postgresql://ann:secret@db.example:5433/books?book=club&sslmode=require")
    assert "secret" not in url.describe()
    assert url.describe() == "postgresql://ann@db.example:5433/books?sslmode=require&book=club"
