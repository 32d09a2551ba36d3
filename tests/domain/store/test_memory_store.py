"""What the in-memory backend adds to the contract: isolation, the write lock, verify."""

from __future__ import annotations

import pytest

from domain.model.errors import ConcurrencyError, StoreError
from domain.store.base import Metadata, NewEvent
from domain.store.memory import InMemoryEventStore


def ev(stream: str, *also: str) -> NewEvent:
    return NewEvent(stream, "Happened", 1, {"n": 1}, also_in=also)


def test_other_store_objects_see_only_committed_events() -> None:
    store = InMemoryEventStore()
    other = store.reopen()
    with store.transaction():
        store.append([ev("a", "b")], {"a": 0, "b": 0}, Metadata("c1"))
        assert store.head()[0] == 1 and store.stream_version("b") == 1
        assert other.head()[0] == 0
        assert other.stream_version("a") == other.stream_version("b") == 0
        assert list(other.read_all()) == [] and list(other.read_stream("b")) == []
    assert other.head() == store.head()
    assert [e.position for e in other.read_stream("b")] == [1]


def test_a_second_writer_waits_for_the_lock_then_gives_up() -> None:
    store = InMemoryEventStore()
    other = InMemoryEventStore(store.book, busy_timeout=0.01)
    with store.transaction(), pytest.raises(ConcurrencyError, match="busy with another writer"):
        other.append([ev("a")], {"a": 0}, Metadata("c1"))
    other.append([ev("a")], {"a": 0}, Metadata("c1"))
    assert store.head()[0] == 1


def test_a_rolled_back_transaction_leaves_the_book_as_it_was() -> None:
    store = InMemoryEventStore()
    store.append([ev("a")], {"a": 0}, Metadata("c1"))
    before = (list(store.book.events), dict(store.book.commands), store.book.streams["a"][:])
    with pytest.raises(RuntimeError), store.transaction():
        store.append([ev("a", "b")], {"a": 1, "b": 0}, Metadata("c2"))
        raise RuntimeError("undo")
    assert (store.book.events, store.book.commands, store.book.streams["a"]) == before
    assert "b" not in store.book.streams or store.book.streams["b"] == []


def test_verify_names_an_altered_event() -> None:
    store = InMemoryEventStore()
    for i in range(5):
        store.append([ev("a")], {"a": i}, Metadata(f"c{i}"))
    row = store.book.events[2]
    store.book.events[2] = (*row[:5], '{"n":2}', *row[6:])
    report = store.verify()
    assert not report.ok
    assert (report.first_bad_position, report.problem) == (3, "altered")


def test_a_read_only_store_refuses_appends() -> None:
    store = InMemoryEventStore().reopen(readonly=True)
    with pytest.raises(StoreError, match="was opened read-only"):
        store.append([ev("a")], {"a": 0}, Metadata("c1"))
