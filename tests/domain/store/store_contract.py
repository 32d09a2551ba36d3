"""The event store contract, as tests any backend must pass.

A backend's test module subclasses :class:`EventStoreContract` and provides a ``make_store``
fixture returning a factory: each call gives another store object on the same, initially
empty book (so two calls behave like two processes).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from domain.model.errors import CommandIdReused, ConcurrencyError
from domain.store.base import EventStore, Metadata, NewEvent, Snapshot, StoredEvent

MakeStore = Callable[[], EventStore]


def ev(stream: str, type_: str = "Happened", *also: str, **data: Any) -> NewEvent:
    return NewEvent(stream, type_, 1, data or {"n": 1}, also_in=also)


def meta(command_id: str, **more: str) -> Metadata:
    return Metadata(command_id, **more)


def positions(events: list[StoredEvent]) -> list[int]:
    return [e.position for e in events]


class EventStoreContract:
    """Behaviour every EventStore backend shares."""

    @pytest.fixture
    def store(self, make_store: MakeStore) -> EventStore:
        return make_store()

    # ---------------------------------------------------------------- empty book

    def test_an_empty_book_has_nothing(self, store: EventStore) -> None:
        position, digest = store.head()
        assert position == 0
        assert len(digest) == 32
        assert store.stream_version("account-1") == 0
        assert list(store.read_all()) == []
        assert list(store.read_stream("account-1")) == []
        assert store.position_at(dt.datetime.now(dt.UTC)) == 0
        report = store.verify()
        assert report.ok and report.events == 0 and report.head_hash == digest.hex()

    def test_info_names_the_book(self, store: EventStore) -> None:
        info = store.info()
        assert info.format_version == 1
        assert info.book_id
        assert info.created_at.tzinfo is not None
        assert info.created_at <= dt.datetime.now(dt.UTC)

    # ---------------------------------------------------------------- append / read

    def test_append_returns_what_is_stored(self, store: EventStore) -> None:
        before = dt.datetime.now(dt.UTC)
        data = {"name": "Café ☕", "amount": 10**15, "flag": False, "none": None, "l": [[1, "a"]]}
        [stored] = store.append(
            [NewEvent("account-1", "AccountOpened", 2, data)],
            {"account-1": 0},
            meta("cmd-1", author="ann", app_version="0.1"),
        )
        assert (stored.position, stored.stream_id, stored.stream_version) == (1, "account-1", 1)
        assert (stored.type, stored.schema_version) == ("AccountOpened", 2)
        assert stored.data == data
        assert dict(stored.metadata) == {
            "command_id": "cmd-1",
            "correlation_id": "cmd-1",
            "author": "ann",
            "app_version": "0.1",
        }
        assert before <= stored.recorded_at <= dt.datetime.now(dt.UTC)
        assert stored.recorded_at.utcoffset() == dt.timedelta(0)
        assert len(stored.hash) == 32
        assert store.head() == (1, stored.hash)
        assert list(store.read_all()) == [stored]
        assert list(store.read_stream("account-1")) == [stored]
        assert store.stream_version("account-1") == 1

    def test_one_append_spans_streams_with_consecutive_positions(self, store: EventStore) -> None:
        stored = store.append([ev("a"), ev("b"), ev("a")], {"a": 0, "b": 0}, meta("c1"))
        assert positions(stored) == [1, 2, 3]
        assert [(e.stream_id, e.stream_version) for e in stored] == [("a", 1), ("b", 1), ("a", 2)]
        assert store.stream_version("a") == 2 and store.stream_version("b") == 1
        assert len({e.recorded_at for e in stored}) == 1  # one command, one time
        more = store.append([ev("b")], {"b": 1}, meta("c2"))
        assert positions(more) == [4]
        assert [e.stream_version for e in store.read_stream("b")] == [1, 2]

    def test_every_event_hash_is_different_and_chained(self, store: EventStore) -> None:
        stored = store.append([ev("a", n=1), ev("a", n=1)], {"a": 0}, meta("c1"))
        assert stored[0].hash != stored[1].hash
        assert store.verify().head_hash == stored[1].hash.hex()

    def test_a_wrong_expected_version_writes_nothing(self, store: EventStore) -> None:
        store.append([ev("a")], {"a": 0}, meta("c1"))
        head = store.head()
        with pytest.raises(ConcurrencyError, match="a is at version 1, expected 0"):
            store.append([ev("a"), ev("b")], {"a": 0, "b": 0}, meta("c2"))
        with pytest.raises(ConcurrencyError):
            store.append([ev("b")], {"b": 0, "a": 5}, meta("c3"))  # checked though not written
        assert store.head() == head
        assert store.stream_version("b") == 0
        # the refused command ids were not recorded: they can still be appended
        assert positions(store.append([ev("b")], {"b": 0}, meta("c2"))) == [2]

    def test_expected_versions_must_name_every_stream_touched(self, store: EventStore) -> None:
        with pytest.raises(ValueError, match="chart"):
            store.append([ev("a", "T", "chart")], {"a": 0}, meta("c1"))
        assert store.head()[0] == 0

    def test_a_repeated_command_returns_the_original_events(self, store: EventStore) -> None:
        first = store.append([ev("a", n=1), ev("b", "T", "c")], {"a": 0, "b": 0, "c": 0}, meta("x"))
        store.append([ev("a")], {"a": 1}, meta("y"))
        head = store.head()
        # retried with stale versions and even other events: same answer, nothing written
        again = store.append([ev("z")], {"z": 0, "a": 0}, meta("x"))
        assert again == first
        assert store.head() == head
        assert store.stream_version("z") == 0

    def test_a_commands_positions_are_found_by_its_id(self, store: EventStore) -> None:
        store.append([ev("a")], {"a": 0}, meta("c1"))
        store.append([ev("b"), ev("c"), ev("a")], {"a": 1, "b": 0, "c": 0}, meta("c2"))
        assert store.command_positions("c2") == (2, 4)
        assert store.command_positions("c1") == (1, 1)
        assert store.command_positions("nope") is None

    def test_a_used_command_id_with_another_fingerprint_is_refused(self, store: EventStore) -> None:
        first = store.append([ev("a")], {"a": 0}, Metadata("x", fingerprint=b"first..."))
        head = store.head()
        with pytest.raises(CommandIdReused, match="'x' was already used, for another command"):
            store.append([ev("b")], {"b": 0}, Metadata("x", fingerprint=b"second.."))
        assert store.head() == head
        assert store.stream_version("b") == 0
        # the same fingerprint, or none given, is a retry
        assert store.append([ev("b")], {"b": 0}, Metadata("x", fingerprint=b"first...")) == first
        assert store.append([], {}, Metadata("x")) == first
        # a command stored without one (an older Tallybook) takes any retry
        unmarked = store.append([ev("c")], {"c": 0}, Metadata("y"))
        assert store.append([], {}, Metadata("y", fingerprint=b"any.....")) == unmarked

    # ---------------------------------------------------------------- links

    def test_linked_events_count_in_every_stream(self, store: EventStore) -> None:
        opened = store.append(
            [ev("account-1", "AccountOpened", "chart")], {"account-1": 0, "chart": 0}, meta("c1")
        )
        posted = store.append(
            [ev("entry-1", "EntryPosted", "account-1", "account-2")],
            {"entry-1": 0, "account-1": 1, "account-2": 0},
            meta("c2"),
        )
        renamed = store.append([ev("account-1", "AccountRenamed", "chart")],
                               {"account-1": 2, "chart": 1}, meta("c3"))  # fmt: skip
        assert store.stream_version("account-1") == 3
        assert store.stream_version("account-2") == 1
        assert store.stream_version("chart") == 2
        account = list(store.read_stream("account-1"))
        assert account == [*opened, *posted, *renamed]
        # events keep their own identity when read through a link
        assert (account[1].stream_id, account[1].stream_version) == ("entry-1", 1)
        assert account[1].also_in == ("account-1", "account-2")
        assert list(store.read_stream("chart")) == [*opened, *renamed]
        assert list(store.read_stream("account-1", after_version=1)) == [*posted, *renamed]
        assert list(store.read_stream("account-1", after_version=3)) == []

    def test_a_stale_linked_stream_refuses_the_append(self, store: EventStore) -> None:
        store.append([ev("entry-1", "T", "account-1")], {"entry-1": 0, "account-1": 0}, meta("c1"))
        with pytest.raises(ConcurrencyError, match="account-1"):
            store.append(
                [ev("entry-2", "T", "account-1")], {"entry-2": 0, "account-1": 0}, meta("c2")
            )
        assert store.stream_version("entry-2") == 0

    def test_duplicate_links_are_linked_once(self, store: EventStore) -> None:
        [stored] = store.append(
            [ev("entry-1", "T", "acc", "acc", "entry-1")], {"entry-1": 0, "acc": 0}, meta("c1")
        )
        assert stored.also_in == ("acc",)
        assert store.stream_version("acc") == 1 and store.stream_version("entry-1") == 1

    def test_one_command_may_link_several_events_into_one_stream(self, store: EventStore) -> None:
        stored = store.append(
            [ev("e1", "T", "acc"), ev("e2", "T", "acc")], {"e1": 0, "e2": 0, "acc": 0}, meta("c")
        )
        assert store.stream_version("acc") == 2
        assert list(store.read_stream("acc")) == stored

    # ---------------------------------------------------------------- read_all

    def test_read_all_pages_through_the_log(self, store: EventStore) -> None:
        for i in range(7):
            store.append([ev(f"s{i}"), ev(f"s{i}")], {f"s{i}": 0}, meta(f"c{i}"))
        everything = list(store.read_all())
        assert positions(everything) == list(range(1, 15))
        for batch in (1, 2, 3, 14, 100):
            assert list(store.read_all(batch_size=batch)) == everything
        assert positions(list(store.read_all(after_position=5, batch_size=4))) == list(range(6, 15))
        assert positions(list(store.read_all(3, to_position=9, batch_size=2))) == list(range(4, 10))
        assert list(store.read_all(after_position=14)) == []

    # ---------------------------------------------------------------- time

    def test_position_at_finds_the_last_event_recorded_by_then(self, store: EventStore) -> None:
        stored = [
            store.append([ev("a"), ev("a")], {"a": 2 * i}, meta(f"c{i}"))[-1] for i in range(5)
        ]
        times = [e.recorded_at for e in stored]
        assert times == sorted(times)
        assert store.position_at(times[0] - dt.timedelta(microseconds=1)) == 0
        for event in stored:
            # events recorded in the same microsecond are all "at or before" it
            same = [e.position for e in stored if e.recorded_at == event.recorded_at]
            assert store.position_at(event.recorded_at) == max(same)
        assert store.position_at(times[-1] + dt.timedelta(days=1)) == 10
        with pytest.raises(ValueError):
            store.position_at(dt.datetime(2024, 1, 1))  # naive: ambiguous

    # ---------------------------------------------------------------- transactions

    def test_a_transaction_commits_appends_together(self, store: EventStore) -> None:
        with store.transaction():
            store.append([ev("a")], {"a": 0}, meta("c1"))
            store.append([ev("a")], {"a": 1}, meta("c2"))
            assert store.head()[0] == 2
        assert positions(list(store.read_all())) == [1, 2]
        assert store.verify().ok

    def test_a_failing_transaction_writes_nothing(self, store: EventStore) -> None:
        store.append([ev("a")], {"a": 0}, meta("c0"))
        head = store.head()
        with pytest.raises(RuntimeError), store.transaction():
            store.append([ev("a")], {"a": 1}, meta("c1"))
            store.append([ev("b")], {"b": 0}, meta("c2"))
            raise RuntimeError("decided against it")
        assert store.head() == head
        assert store.stream_version("a") == 1 and store.stream_version("b") == 0
        # the rolled-back command ids are free again, and the chain continues correctly
        store.append([ev("a")], {"a": 1}, meta("c1"))
        assert store.verify().ok

    def test_a_failing_nested_transaction_undoes_only_itself(self, store: EventStore) -> None:
        with store.transaction():
            store.append([ev("a")], {"a": 0}, meta("c1"))
            with pytest.raises(ConcurrencyError):
                store.append([ev("a")], {"a": 0}, meta("c2"))
            with pytest.raises(RuntimeError), store.transaction():
                store.append([ev("b")], {"b": 0}, meta("c3"))
                raise RuntimeError
            store.append([ev("a")], {"a": 1}, meta("c4"))
        assert [e.metadata["command_id"] for e in store.read_all()] == ["c1", "c4"]
        assert store.stream_version("b") == 0
        assert store.verify().ok

    def test_versions_and_heads_written_then_rolled_back_are_not_trusted(
        self, store: EventStore
    ) -> None:
        store.append([ev("a")], {"a": 0}, meta("c1"))
        with store.transaction():
            with pytest.raises(RuntimeError), store.transaction():
                store.append([ev("a")], {"a": 1}, meta("c2"))
                assert store.stream_version("a") == 2
                raise RuntimeError
            assert store.stream_version("a") == 1 and store.head()[0] == 1
        with pytest.raises(RuntimeError), store.transaction():
            store.append([ev("a")], {"a": 1}, meta("c2"))
            raise RuntimeError
        with store.transaction():
            assert store.stream_version("a") == 1 and store.head()[0] == 1
            store.append([ev("a")], {"a": 1}, meta("c2"))
        assert positions(list(store.read_all())) == [1, 2]
        assert store.verify().ok

    def test_a_command_checked_then_stored_in_one_transaction_is_not_stored_twice(
        self, store: EventStore
    ) -> None:
        with store.transaction():
            assert store.append([], {}, meta("c1")) == []
            first = store.append([ev("a")], {"a": 0}, meta("c1"))
            assert store.append([ev("a")], {"a": 1}, meta("c1")) == first
            assert store.append([], {}, meta("c1")) == first
        assert store.head()[0] == 1

    def test_a_group_of_savepoints_commits_once_each_atomic(self, make_store: MakeStore) -> None:
        # what group commit (BookService.group) stands on: one transaction, one savepoint a
        # command; a failed savepoint leaves the others, a command id stored in an earlier one
        # answers as stored, and another store object sees nothing before the commit
        store, other = make_store(), make_store()
        with store.transaction():
            with store.transaction():
                first = store.append([ev("a", "A", "b")], {"a": 0, "b": 0}, meta("c1"))
            with pytest.raises(RuntimeError), store.transaction():
                store.append([ev("b")], {"b": 1}, meta("c2"))
                raise RuntimeError("refused")
            with store.transaction():
                assert store.append([], {}, meta("c1")) == first
                assert store.append([], {}, meta("c2")) == []  # rolled back: free again
                store.append([ev("b")], {"b": 1}, meta("c3"))
            assert other.head()[0] == 0 and other.stream_version("b") == 0
        assert [e.metadata["command_id"] for e in other.read_all()] == ["c1", "c3"]
        assert other.stream_version("b") == 2 and other.verify().ok

    def test_unserialisable_data_writes_nothing(self, store: EventStore) -> None:
        store.append([ev("a")], {"a": 0}, meta("c0"))
        with pytest.raises((TypeError, ValueError)):
            store.append(
                [ev("a"), NewEvent("b", "T", 1, {"x": object()})], {"a": 1, "b": 0}, meta("c1")
            )
        assert store.head()[0] == 1 and store.stream_version("a") == 1
        store.append([ev("a")], {"a": 1}, meta("c1"))
        assert store.verify().ok

    # ---------------------------------------------------------------- snapshots

    def test_snapshots_round_trip_and_replace(self, store: EventStore) -> None:
        assert store.load_snapshot("account-1") is None
        first = Snapshot("account-1", 3, "v1", {"balance": 100, "names": ["a"]})
        store.save_snapshot(first)
        assert store.load_snapshot("account-1") == first
        newer = Snapshot("account-1", 9, "v2", {"balance": -5})
        store.save_snapshot(newer)
        assert store.load_snapshot("account-1") == newer
        assert store.load_snapshot("account-2") is None

    def test_a_snapshot_in_a_failed_transaction_is_not_kept(self, store: EventStore) -> None:
        with pytest.raises(RuntimeError), store.transaction():
            store.save_snapshot(Snapshot("a", 1, "v1", {}))
            raise RuntimeError
        assert store.load_snapshot("a") is None

    # ---------------------------------------------------------------- two writers

    def test_a_second_store_object_sees_and_respects_appends(self, make_store: MakeStore) -> None:
        first, second = make_store(), make_store()
        version = second.stream_version("a")
        first.append([ev("a")], {"a": 0}, meta("c1"))
        with pytest.raises(ConcurrencyError):
            second.append([ev("a")], {"a": version}, meta("c2"))
        assert second.stream_version("a") == 1
        second.append([ev("a")], {"a": 1}, meta("c2"))
        first.append([ev("b")], {"b": 0}, meta("c3"))  # first's idea of the head is stale
        assert positions(list(second.read_all())) == [1, 2, 3]
        assert first.verify().ok and second.verify().ok
        assert first.head() == second.head()

    def test_a_store_that_wrote_a_stream_sees_another_store_move_it(
        self, make_store: MakeStore
    ) -> None:
        first, second = make_store(), make_store()
        first.append([ev("a")], {"a": 0}, meta("c1"))
        with first.transaction():
            assert first.stream_version("a") == 1
        second.append([ev("a"), ev("b")], {"a": 1, "b": 0}, meta("c2"))
        with pytest.raises(ConcurrencyError, match="a is at version 2, expected 1"):
            first.append([ev("a")], {"a": 1}, meta("c3"))
        with first.transaction():
            assert first.stream_version("a") == 2 and first.head() == second.head()
            first.append([ev("b")], {"a": 2, "b": 1}, meta("c3"))
        assert positions(list(second.read_all())) == [1, 2, 3, 4]
        assert first.verify().ok

    # ---------------------------------------------------------------- verify

    def test_verify_reports_progress_and_can_be_cancelled(self, store: EventStore) -> None:
        for i in range(5):
            store.append([ev("a")], {"a": i}, meta(f"c{i}"))
        seen: list[tuple[int, int]] = []

        def record(done: int, total: int) -> bool:
            seen.append((done, total))
            return True

        report = store.verify(record)
        assert report.ok and report.events == 5 and report.head_position == 5
        assert report.head_hash == store.head()[1].hex()
        assert seen and seen[-1] == (5, 5)
        assert store.verify(lambda done, total: False).cancelled
