"""A damaged book: verify runs SQLite's own check too, and writes are refused."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from book_damage import garble_middle_leaf

from domain.model.errors import BrokenHistory
from domain.store.base import Metadata, NewEvent
from domain.store.sqlite import SqliteEventStore

COMMANDS = 300  # ~600 events: a few dozen leaf pages, so one in the middle holds no head

pytestmark = pytest.mark.usefixtures("either_walk")  # each walk names each damage alike


@pytest.fixture
def book(sqlite_book: Callable[..., SqliteEventStore]) -> Path:
    store = sqlite_book()
    with store.transaction():
        for i in range(COMMANDS):
            stream = f"entry-{i:032d}"  # long keys: the stream index spans several pages
            store.append(
                [NewEvent(stream, "EntryPosted", 1, {"i": i, "memo": "x" * 40}, ("a-1",))],
                {stream: 0, "a-1": i},
                Metadata(f"c{i}"),
            )
    store.close()
    return store.path


def append_one(store: SqliteEventStore) -> None:
    store.append([NewEvent("entry-new", "EntryPosted", 1, {})], {"entry-new": 0}, Metadata("n"))


def test_verify_says_which_page_check_it_ran(book: Path) -> None:
    with SqliteEventStore.open(book, readonly=True) as store:
        report = store.verify()
    assert report.ok and report.page_check == "PRAGMA integrity_check"
    assert report.page_problems == ()
    assert report.head_text() == f"{COMMANDS}:{report.head_hash}"
    assert report.broken() is None


def test_a_garbage_events_page_is_found_at_open_and_refuses_writes(book: Path) -> None:
    garble_middle_leaf(book)
    before = book.read_bytes()
    with SqliteEventStore.open(book) as store:
        broken = store.known_break
        assert broken is not None and broken.position is not None
        assert 1 < broken.position < COMMANDS
        with pytest.raises(BrokenHistory, match=f"broken at position {broken.position}: damaged"):
            append_one(store)
        with pytest.raises(BrokenHistory):
            store.transaction().__enter__()
    assert book.read_bytes() == before
    with SqliteEventStore.open(book, readonly=True) as store:
        report = store.verify()
    assert (report.ok, report.problem, report.first_bad_position) == (
        False, "damaged", broken.position,
    )  # fmt: skip
    assert report.page_check == "PRAGMA integrity_check" and report.page_problems


def test_a_garbage_index_page_fails_verify_and_refuses_writes(book: Path) -> None:
    garble_middle_leaf(book, "sqlite_autoindex_events_1")
    before = book.read_bytes()
    with SqliteEventStore.open(book, readonly=True) as store:
        report = store.verify()
    assert not report.ok and report.problem == "damaged pages"
    assert report.first_bad_position is None and report.events == COMMANDS
    assert "integrity_check" in report.details["message"]
    assert "\n" not in report.details["message"]
    with SqliteEventStore.open(book) as store:
        assert store.known_break is not None
        with pytest.raises(BrokenHistory, match="broken: damaged pages"):
            append_one(store)
    assert book.read_bytes() == before


def test_a_break_verify_finds_makes_the_same_store_refuse_writes(book: Path) -> None:
    garble_middle_leaf(book)
    with SqliteEventStore.open(book, check_pages=False) as store:
        assert store.known_break is None
        report = store.verify()
        assert not report.ok
        with pytest.raises(BrokenHistory, match=f"position {report.first_bad_position}"):
            append_one(store)


def test_a_break_found_elsewhere_can_be_told_to_a_store(book: Path) -> None:
    with SqliteEventStore.open(book) as store:
        store.refuse_writes(BrokenHistory(7, "altered (found by a worker)"))
        with pytest.raises(BrokenHistory, match="broken at position 7: altered"):
            append_one(store)
        assert store.head()[0] == COMMANDS


def test_verify_can_be_cancelled_during_the_page_check(book: Path) -> None:
    calls: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> bool:
        calls.append((done, total))
        return done < total  # go on while walking the chain, stop once it is walked

    with SqliteEventStore.open(book, readonly=True) as store:
        report = store.verify(progress, batch_size=100)
        assert report.cancelled and not report.ok and report.page_check == ""
        assert calls[-1] == (COMMANDS, COMMANDS)
        assert store.verify().ok  # the connection is usable afterwards
