"""SQLite-specific behaviour of the store: the stored format, batching, read models, read-only."""

from __future__ import annotations

import base64
import datetime as dt
import os
import random
import sqlite3
import string
from collections.abc import Callable
from contextlib import closing
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, Text, func, insert, select

from domain.model.commands import ID_ALPHABET, new_id, spell_id
from domain.model.errors import CommandIdReused, StoreError
from domain.model.events import AccountOpened, AccountType, from_data
from domain.store.base import Metadata, NewEvent, Snapshot, expand_metadata
from domain.store.sqlite import SqliteEventStore
from domain.store.sqlite.backend import command_key

Book = Callable[..., SqliteEventStore]


def ev(stream: str, *also: str, **data: object) -> NewEvent:
    return NewEvent(stream, "Happened", 1, data or {"n": 1}, also_in=also)


def test_events_are_stored_compactly(sqlite_book: Book) -> None:
    store = sqlite_book()
    [stored] = store.append(
        [ev("entry-1", "account-1", "account-2", memo="Café", amount=1)],
        {"entry-1": 0, "account-1": 0, "account-2": 0},
        Metadata("c1", author="ann"),
    )
    store.append([ev("account-3")], {"account-3": 0}, Metadata("c2"))
    with closing(sqlite3.connect(store.path)) as db:
        rows = db.execute(
            "SELECT data, metadata, recorded_at, hash, also_in, typeof(recorded_at) FROM events"
        ).fetchall()
    data, metadata, micros, digest, also_in, kind = rows[0]
    assert data == '{"memo":"Café","amount":1}'
    # one-letter keys, and nothing reading restores (correlation id = command id, empty values)
    assert metadata == '{"c":"c1","a":"ann"}'
    assert dict(next(store.read_all()).metadata) == {
        "command_id": "c1", "correlation_id": "c1", "author": "ann", "app_version": ""
    }  # fmt: skip
    assert kind == "integer"
    assert micros == (stored.recorded_at - dt.datetime(1970, 1, 1, tzinfo=dt.UTC)) // dt.timedelta(
        microseconds=1
    )
    assert isinstance(digest, bytes) and len(digest) == 32 and digest == stored.hash
    assert also_in == '["account-1","account-2"]'
    assert rows[1][4] is None


def test_stored_metadata_expands_to_the_full_mapping_and_old_rows_pass_through() -> None:
    full = {"command_id": "c1", "correlation_id": "imp", "author": "", "app_version": "1.0"}
    compact = Metadata("c1", correlation_id="imp", app_version="1.0").to_stored()
    assert compact == {"c": "c1", "r": "imp", "v": "1.0"}
    assert expand_metadata(compact) == full
    assert expand_metadata(dict(full)) == full  # rows written before the compact form


def test_command_ids_are_keyed_by_their_bytes_and_stay_idempotent(sqlite_book: Book) -> None:
    store = sqlite_book()
    b32 = new_id()
    hex_id = "0123456789abcdef" * 2
    ids = [b32, hex_id, b32.upper(), hex_id.upper(), "c1"]  # only the lowercase forms pack
    stored = [store.append([ev("a")], {"a": n}, Metadata(c))[0] for n, c in enumerate(ids)]
    for n, command_id in enumerate(ids):
        assert store.append([ev("a")], {"a": len(ids)}, Metadata(command_id)) == [stored[n]]
        assert store.append([], {}, Metadata(command_id)) == [stored[n]]
        assert dict(stored[n].metadata)["command_id"] == command_id
    spelled = 0
    for digit in b32:
        spelled = spelled * 32 + ID_ALPHABET.index(digit)
    with closing(sqlite3.connect(store.path)) as db:
        keys = db.execute("SELECT command_id FROM commands ORDER BY first_position").fetchall()
    assert keys == [
        (spelled.to_bytes(10, "big"),), (bytes.fromhex(hex_id),), (ids[2],), (ids[3],), ("c1",)
    ]  # fmt: skip
    assert store.stream_version("a") == len(ids)


def test_a_book_from_before_command_fingerprints_gets_the_column_when_opened_to_write(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.tallybook"
    with SqliteEventStore.create(path) as store:
        old = store.append([ev("a")], {"a": 0}, Metadata("c1"))
    with closing(sqlite3.connect(path)) as db:  # as Tallybook 0.1 made it
        db.execute("ALTER TABLE commands DROP COLUMN fingerprint")
        db.commit()

    def columns() -> list[str]:
        with closing(sqlite3.connect(path)) as db:
            return [row[1] for row in db.execute("PRAGMA table_info(commands)")]

    with SqliteEventStore.open(path, readonly=True) as store:
        assert store.head()[0] == 1
    assert "fingerprint" not in columns()  # a read-only open changes nothing
    with SqliteEventStore.open(path) as store:
        assert "fingerprint" in columns()
        # the old command has no fingerprint: any retry of it is answered
        assert store.append([], {}, Metadata("c1", fingerprint=b"12345678")) == old
        store.append([ev("b")], {"b": 0}, Metadata("c2", fingerprint=b"12345678"))
        with pytest.raises(CommandIdReused):
            store.append([ev("b")], {"b": 1}, Metadata("c2", fingerprint=b"87654321"))


def test_command_keys_are_the_bytes_base32_spells() -> None:
    to_standard = str.maketrans(ID_ALPHABET, string.ascii_uppercase + "234567")
    ids = [new_id() for _ in range(200)] + ["2" * 16, "z" * 16, "234567abcdefghij"]
    for command_id in ids:
        standard = command_id.translate(to_standard)
        assert command_key(command_id) == base64.b32decode(standard)


def test_an_append_after_our_own_commit_reads_neither_head_nor_known_versions(
    sqlite_book: Book,
) -> None:
    store, other = sqlite_book(), sqlite_book()
    store.append([ev("a"), ev("b")], {"a": 0, "b": 0}, Metadata("c1"))
    statements: list[str] = []
    raw = store.connection.connection.dbapi_connection
    assert isinstance(raw, sqlite3.Connection)
    raw.set_trace_callback(statements.append)
    with store.transaction():
        assert store.append([], {}, Metadata("c2")) == []
        store.append([ev("a", "b")], {"a": 1, "b": 1}, Metadata("c2"))
    reads = [s for s in statements if s.startswith("SELECT")]
    assert reads == [
        "SELECT first_position, last_position, fingerprint FROM commands WHERE command_id = 'c2'"
    ]  # one look for the command id; no head, no versions
    other.append([ev("a")], {"a": 2}, Metadata("c3"))  # another connection commits
    statements.clear()
    store.append([ev("a")], {"a": 3}, Metadata("c4"))
    reads = [s for s in statements if s.startswith("SELECT")]
    assert len(reads) == 3 and "ORDER BY position DESC" in reads[0]  # head, command, version
    raw.set_trace_callback(None)
    assert store.verify().ok and store.stream_version("b") == 2


def test_new_ids_are_short_and_increase() -> None:
    ids = [new_id() for _ in range(1000)]
    assert ids == sorted(set(ids))  # distinct, and in the order they were made
    for value in ids:
        assert len(value) == 16 and set(value) <= set("234567abcdefghijklmnopqrstuvwxyz")


def test_ids_spell_their_number_as_base32_did() -> None:
    # spell_id replaced base64's b32encode: ids already in books must keep their meaning
    to_alphabet = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", ID_ALPHABET)
    rng = random.Random(12)
    numbers = [0, 1, 1023, 1024, (1 << 80) - 1] + [rng.getrandbits(80) for _ in range(2000)]
    for number in numbers:
        spelled = base64.b32encode(number.to_bytes(10, "big")).decode().translate(to_alphabet)
        assert spell_id(number) == spelled, number


def test_read_all_fetches_one_batch_per_query(sqlite_book: Book) -> None:
    store = sqlite_book()
    for i in range(10):
        store.append([ev("a")], {"a": i}, Metadata(f"c{i}"))
    statements: list[str] = []
    raw = store.connection.connection.dbapi_connection
    assert isinstance(raw, sqlite3.Connection)
    raw.set_trace_callback(statements.append)
    reader = store.read_all(batch_size=3)
    assert next(reader).position == 1
    ranges = [s for s in statements if "FROM events WHERE position >" in s]
    assert len(ranges) == 1 and ranges[0].rstrip().endswith("LIMIT 3")
    assert [e.position for e in reader] == list(range(2, 11))
    ranges = [s for s in statements if "FROM events WHERE position >" in s]
    assert len(ranges) == 4  # 3 + 3 + 3 + 1
    raw.set_trace_callback(None)


def test_read_stream_pages_across_own_and_linked_events(sqlite_book: Book) -> None:
    store = sqlite_book()
    for i in range(7):
        if i % 2:
            store.append([ev("acc")], {"acc": i}, Metadata(f"c{i}"))
        else:
            store.append([ev(f"entry-{i}", "acc")], {f"entry-{i}": 0, "acc": i}, Metadata(f"c{i}"))
    everything = list(store.read_stream("acc"))
    assert [e.position for e in everything] == list(range(1, 8))
    for batch in (1, 2, 3, 7, 8):
        assert list(store.read_stream("acc", batch_size=batch)) == everything
        assert list(store.read_stream("acc", 2, batch_size=batch)) == everything[2:]


def test_read_models_commit_and_roll_back_with_the_events(sqlite_book: Book) -> None:
    store = sqlite_book()
    rm = MetaData()
    balances = Table("rm_test", rm, Column("account", Text, primary_key=True), Column("n", Integer))
    with store.transaction():
        rm.create_all(store.connection)
    with store.transaction():
        [stored] = store.append([ev("a")], {"a": 0}, Metadata("c1"))
        store.connection.execute(insert(balances).values(account="a", n=stored.position))
    with pytest.raises(RuntimeError), store.transaction():
        store.append([ev("a")], {"a": 1}, Metadata("c2"))
        store.connection.execute(insert(balances).values(account="b", n=2))
        raise RuntimeError("projection failed")
    other = sqlite_book()
    assert other.head()[0] == 1
    assert other.connection.execute(select(func.count()).select_from(balances)).scalar() == 1


def test_a_read_only_store_reads_but_never_writes(sqlite_book: Book) -> None:
    writer = sqlite_book()
    writer.append([ev("a")], {"a": 0}, Metadata("c1"))
    writer.save_snapshot(Snapshot("a", 1, "v1", {"n": 1}))
    reader = sqlite_book(readonly=True)
    assert reader.readonly
    assert [e.position for e in reader.read_all()] == [1]
    assert reader.load_snapshot("a") == Snapshot("a", 1, "v1", {"n": 1})
    assert reader.verify().ok
    with pytest.raises(StoreError, match="read-only"):
        reader.append([ev("b")], {"b": 0}, Metadata("c2"))
    with pytest.raises(StoreError, match="read-only"):
        reader.save_snapshot(Snapshot("b", 1, "v1", {}))
    with pytest.raises(StoreError, match="read-only"), reader.transaction():
        pass
    assert writer.head()[0] == 1


def test_stream_ids_and_types_must_be_plain_text(sqlite_book: Book) -> None:
    store = sqlite_book()
    for bad in (NewEvent("", "T", 1, {}), NewEvent("a", "T\x00", 1, {}), ev("a", "b\x00")):
        with pytest.raises(ValueError):
            store.append([bad], {"a": 0, "": 0, "b\x00": 0}, Metadata("c1"))
    with pytest.raises(ValueError, match="command_id"):
        store.append([ev("a")], {"a": 0}, Metadata(""))
    assert store.head()[0] == 0


def test_close_is_idempotent_and_rolls_back(sqlite_book: Book) -> None:
    store = sqlite_book()
    transaction = store.transaction()
    transaction.__enter__()
    store.append([ev("a")], {"a": 0}, Metadata("c1"))
    store.close()
    store.close()
    assert sqlite_book().head()[0] == 0


def test_an_old_event_version_is_upcast_when_read(sqlite_book: Book) -> None:
    """AccountOpened v1 kept the opening balance as a decimal string, without overdraft flag."""
    store = sqlite_book()
    v1 = {
        "account_id": "acc1",
        "name": "Wallet",
        "account_type": "asset",
        "currency": "EUR",
        "opening_balance": "12.30",
        "opening_date": "2020-02-29",
    }
    store.append([NewEvent("account-acc1", "AccountOpened", 1, v1)], {"account-acc1": 0},
                 Metadata("c1"))  # fmt: skip
    store.close()
    [stored] = sqlite_book(readonly=True).read_stream("account-acc1")
    assert (stored.type, stored.schema_version, stored.data) == ("AccountOpened", 1, v1)
    event = from_data(stored.type, stored.schema_version, stored.data)
    assert event == AccountOpened(
        account_id="acc1",
        name="Wallet",
        account_type=AccountType.ASSET,
        currency="EUR",
        opening_balance=1230,
        opening_date=dt.date(2020, 2, 29),
        overdraft_allowed=True,
    )
    assert Decimal(v1["opening_balance"]) * 100 == event.opening_balance


@pytest.mark.parametrize("links", [1, 2, 8, 9, 12])
def test_an_event_links_into_any_number_of_streams(sqlite_book: Book, links: int) -> None:
    store = sqlite_book()
    streams = [f"s{n}" for n in range(links)]
    store.append([ev("x")], {"x": 0}, Metadata("c0"))
    [stored] = store.append(
        [ev("e", *streams)], {"e": 0} | dict.fromkeys(streams, 0), Metadata("c1")
    )
    assert stored.also_in == tuple(streams)
    for stream in streams:
        assert store.stream_version(stream) == 1
        assert list(store.read_stream(stream)) == [stored]
    store.append([ev("s0")], {"s0": 1}, Metadata("c2"))  # the next version follows the link
    assert store.stream_version("s0") == 2 and store.verify().ok


def test_an_append_in_a_savepoint_holding_nothing_yet_opens_no_savepoint_of_its_own(
    sqlite_book: Book,
) -> None:
    # group commit: one savepoint a command, not two (the inner one was 2 statements a line)
    store = sqlite_book()
    statements: list[str] = []
    raw = store.connection.connection.dbapi_connection
    assert isinstance(raw, sqlite3.Connection)
    raw.set_trace_callback(statements.append)
    with store.transaction():
        for i in range(3):
            with store.transaction():
                store.append([ev("a")], {"a": i}, Metadata(f"c{i}"))
        with store.transaction():  # a second append in one savepoint gets one of its own
            store.append([ev("b")], {"b": 0}, Metadata("d1"))
            store.append([ev("b")], {"b": 1}, Metadata("d2"))
    raw.set_trace_callback(None)
    assert len([s for s in statements if s.startswith("SAVEPOINT")]) == 5
    assert store.verify().ok and store.stream_version("a") == 3


def test_a_write_failing_in_a_savepoint_that_held_nothing_leaves_it_as_it_was(
    sqlite_book: Book, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = sqlite_book()
    store.append([ev("a")], {"a": 0}, Metadata("c0"))
    backend = store._backend

    def fail_after_the_events(*args: object) -> None:
        raise sqlite3.OperationalError("injected: the command row cannot be written")

    with store.transaction():
        with store.transaction():
            with monkeypatch.context() as patch:  # the events are in when the command fails
                patch.setattr(backend, "insert_command", fail_after_the_events)
                with pytest.raises(Exception, match="injected"):
                    store.append([ev("a", "b")], {"a": 1, "b": 0}, Metadata("c1"))
            # the caller goes on in its savepoint: the failed append left nothing in it
            assert store.stream_version("a") == 1 and store.head()[0] == 1
            store.append([ev("b")], {"b": 0}, Metadata("c2"))
            with monkeypatch.context() as patch:  # not the savepoint's first write now
                patch.setattr(backend, "insert_command", fail_after_the_events)
                with pytest.raises(Exception, match="injected"):
                    store.append([ev("a")], {"a": 1}, Metadata("c3"))
        store.append([ev("a")], {"a": 1}, Metadata("c4"))
    assert [e.metadata["command_id"] for e in store.read_all()] == ["c0", "c2", "c4"]
    assert store.stream_version("b") == 1 and store.stream_version("a") == 2
    assert store.verify().ok


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_forked_child_draws_other_random_bits_for_its_ids() -> None:
    # new_id draws its random bits from a buffer: a child must not reuse its parent's
    new_id()  # the buffer is filled
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: its next id, to the parent
        os.write(write, new_id().encode())
        os._exit(0)
    os.close(write)
    mine = new_id()
    with os.fdopen(read) as pipe:
        theirs = pipe.read()
    os.waitpid(pid, 0)
    digits = str.maketrans(ID_ALPHABET, string.digits + string.ascii_lowercase[:22])
    low_bits = 1 << 38  # the random part of the 80-bit number an id spells
    mine_bits, theirs_bits = (int(i.translate(digits), 32) % low_bits for i in (mine, theirs))
    assert len(theirs) == 16 and mine_bits != theirs_bits
