"""The append-only triggers, and verify() catching whoever gets past them."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest
from book_damage import forge_chained_insert, tamper
from sqlalchemy import text

from domain.model.errors import BrokenHistory
from domain.store.base import Metadata, NewEvent
from domain.store.sqlite import SqliteEventStore

EVENTS = 10

pytestmark = pytest.mark.usefixtures("either_walk")  # each walk names each damage alike


@pytest.fixture
def book(sqlite_book: Callable[..., SqliteEventStore]) -> Path:
    """A closed book of ten events: entries linked into an account, two per command."""
    store = sqlite_book()
    for i in range(EVENTS // 2):
        store.append(
            [
                NewEvent(f"entry-{i}", "EntryPosted", 1, {"i": i}, ("account-1",)),
                NewEvent(f"entry-{i}", "EntryVoided", 1, {"i": i}, ("account-1",)),
            ],
            {f"entry-{i}": 0, "account-1": 2 * i},
            Metadata(f"c{i}"),
        )
    assert store.verify().ok
    store.close()
    return store.path


def shift(db: sqlite3.Connection, from_position: int, by: int) -> None:
    # two steps so the primary key never collides mid-statement
    db.execute("UPDATE events SET position = -position WHERE position >= ?", (from_position,))
    db.execute("UPDATE events SET position = -position + ? WHERE position < 0", (by,))


def swap(db: sqlite3.Connection, a: int, b: int) -> None:
    db.execute("UPDATE events SET position = 0 WHERE position = ?", (a,))
    db.execute("UPDATE events SET position = ? WHERE position = ?", (a, b))
    db.execute("UPDATE events SET position = ? WHERE position = 0", (b,))


def verify(path: Path) -> tuple[str, int | None, int]:
    with SqliteEventStore.open(path, readonly=True) as store:
        report = store.verify()
    assert not report.ok and not report.cancelled
    assert report.first_bad_position is not None
    assert report.events == report.first_bad_position - 1  # everything before it checked out
    assert str(report.first_bad_position) in report.details["message"]
    return report.problem, report.first_bad_position, report.events


def hash_at(path: Path, position: int) -> bytes:
    with closing(sqlite3.connect(path)) as db:
        (digest,) = db.execute("SELECT hash FROM events WHERE position = ?", (position,)).fetchone()
    return bytes(digest)


# ---------------------------------------------------------------- triggers


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE events SET data = '{}' WHERE position = 1",
        "DELETE FROM events WHERE position = 10",
        "UPDATE stream_links SET position = 2 WHERE version = 1",
        "DELETE FROM stream_links",
        "UPDATE commands SET last_position = 1",
        "DELETE FROM commands",
    ],
)
def test_triggers_refuse_changing_history(book: Path, statement: str) -> None:
    before = book.read_bytes()
    with closing(sqlite3.connect(book)) as db, pytest.raises(sqlite3.DatabaseError) as caught:
        db.execute(statement)
    assert "are append-only" in str(caught.value)
    assert book.read_bytes() == before


def test_events_are_refused_through_the_store_connection_too(book: Path) -> None:
    with SqliteEventStore.open(book) as store:
        with pytest.raises(Exception, match="events are append-only"), store.transaction():
            store.connection.execute(text("DELETE FROM events"))
        assert store.head()[0] == EVENTS


def test_a_trigger_refuses_a_gap_in_positions(book: Path) -> None:
    with closing(sqlite3.connect(book)) as db, pytest.raises(sqlite3.DatabaseError, match="gap"):
        db.execute(
            "INSERT INTO events SELECT position + 2, stream_id, stream_version + 9, type, "
            "schema_version, data, metadata, recorded_at, hash, also_in FROM events "
            "WHERE position = 10"
        )


# ---------------------------------------------------------------- verify


def test_an_altered_event_is_named(book: Path) -> None:
    with tamper(book) as db:
        db.execute("""UPDATE events SET data = '{"i":99}' WHERE position = 4""")
    assert verify(book) == ("altered", 4, 3)


def test_an_altered_last_event_is_named(book: Path) -> None:
    with tamper(book) as db:
        db.execute("UPDATE events SET recorded_at = recorded_at + 1 WHERE position = 10")
    assert verify(book)[:2] == ("altered", 10)


def test_an_altered_hash_is_named(book: Path) -> None:
    with tamper(book) as db:
        db.execute("UPDATE events SET hash = zeroblob(32) WHERE position = 6")
    assert verify(book)[:2] == ("altered", 6)


def test_a_removed_event_is_named(book: Path) -> None:
    with tamper(book) as db:
        db.execute("DELETE FROM events WHERE position = 7")
    assert verify(book)[:2] == ("removed", 7)


def test_a_removed_event_is_named_even_when_later_ones_are_renumbered(book: Path) -> None:
    with tamper(book) as db:
        db.execute("DELETE FROM events WHERE position = 5")
        shift(db, 6, -1)
    assert verify(book)[:2] == ("removed", 5)


def test_an_inserted_event_is_named(book: Path) -> None:
    with tamper(book) as db:
        shift(db, 5, 1)
        db.execute(
            """INSERT INTO events SELECT 5, 'entry-x', 1, type, schema_version, '{"i":-1}', """
            "metadata, recorded_at, randomblob(32), NULL FROM events WHERE position = 4"
        )
    assert verify(book)[:2] == ("inserted", 5)


@pytest.mark.parametrize(("first", "second"), [(3, 4), (2, 8), (9, 10)])
def test_swapped_events_are_named(book: Path, first: int, second: int) -> None:
    with tamper(book) as db:
        swap(db, first, second)
    assert verify(book)[:2] == ("reordered", first)


def test_verify_returns_the_head_hash_to_write_down(book: Path) -> None:
    with SqliteEventStore.open(book, readonly=True) as store:
        report = store.verify()
    assert report.ok and report.events == EVENTS and report.head_position == EVENTS
    assert report.head_hash == hash_at(book, EVENTS).hex()


def test_removed_last_events_show_as_a_head_other_than_the_one_written_down(book: Path) -> None:
    # the chain before them is intact, so only the head an auditor noted earlier can tell
    with SqliteEventStore.open(book, readonly=True) as store:
        noted = store.verify()
    with tamper(book) as db:
        db.execute("DELETE FROM events WHERE position > ?", (EVENTS - 2,))
    with SqliteEventStore.open(book, readonly=True) as store:
        later = store.verify()
    assert later.head_position == EVENTS - 2 != noted.head_position
    assert later.head_hash == hash_at(book, EVENTS - 2).hex() != noted.head_hash


def test_an_inserted_event_chained_from_its_predecessor_is_named_where_it_is(book: Path) -> None:
    forge_chained_insert(book, 5)
    assert verify(book) == ("inserted", 5, 4)


def test_reading_past_a_removed_event_names_the_break_and_refuses_writes(book: Path) -> None:
    with tamper(book) as db:
        db.execute("DELETE FROM events WHERE position = 7")
    with SqliteEventStore.open(book) as store:
        with pytest.raises(BrokenHistory, match="broken at position 7: removed"):
            list(store.read_all())
        with pytest.raises(BrokenHistory, match="broken at position 7: removed"):
            store.append([NewEvent("entry-x", "EntryPosted", 1, {})], {"entry-x": 0}, Metadata("x"))


def test_a_stream_index_pointing_at_another_stream_is_a_break(book: Path) -> None:
    with tamper(book) as db:  # account-1's first link now points at an event not in it
        db.execute("UPDATE events SET also_in = NULL WHERE position = 1")
    with (
        SqliteEventStore.open(book, readonly=True) as store,
        pytest.raises(BrokenHistory, match="broken at position 1"),
    ):
        list(store.read_stream("account-1"))


def test_a_lost_link_is_a_break_in_the_stream(book: Path) -> None:
    with tamper(book) as db:  # the chain holds: links are not hashed
        db.execute("DELETE FROM stream_links WHERE stream_id = 'account-1' AND version = 3")
    with (
        SqliteEventStore.open(book, readonly=True) as store,
        pytest.raises(BrokenHistory, match=r"broken at position 4: removed .*version 2 to 4"),
    ):
        list(store.read_stream("account-1"))
