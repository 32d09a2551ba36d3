"""Verify walking ranges of the chain aside, in child processes or in C threads: the same
answers as the walk in-process, for an intact book and for damage anywhere (at range
boundaries too)."""

from __future__ import annotations

import random
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import chain_walks
import pytest
from book_damage import forge_chained_insert, tamper

from domain.store.base import Metadata, NewEvent, VerifyReport
from domain.store.sqlite import SqliteEventStore, native_walk, walk_aside

COMMANDS = 120  # 240 events: ranges of 60–120 events for 2–4 children


@pytest.fixture
def book(sqlite_book: Callable[..., SqliteEventStore]) -> Path:
    store = sqlite_book()
    with store.transaction():
        for i in range(COMMANDS):
            store.append(
                [
                    NewEvent(f"entry-{i}", "EntryPosted", 1, {"i": i, "memo": "ü" * (i % 7)},
                             ("account-1",)),
                    NewEvent(f"entry-{i}", "EntryVoided", 1, {"i": i}, ("account-1",)),
                ],
                {f"entry-{i}": 0, "account-1": 2 * i},
                Metadata(f"c{i}"),
            )  # fmt: skip
    store.close()
    return store.path


@pytest.fixture(params=["aside", "native"])
def aside_walk(request: pytest.FixtureRequest) -> str:
    """The walk aside under test: child processes, or C threads."""
    if request.param == "native":
        chain_walks.native_or_skip()
    return str(request.param)


@pytest.fixture
def aside_calls(
    monkeypatch: pytest.MonkeyPatch, aside_walk: str
) -> list[tuple[int, bool] | None]:
    """Walks aside for every book, however small; what each returned."""
    calls: list[tuple[int, bool] | None] = []
    real = walk_aside.walk_aside

    def spy(*args: Any) -> tuple[int, bool] | None:
        calls.append(real(*args))
        return calls[-1]

    monkeypatch.setattr(walk_aside, "walk_aside", spy)
    return calls


def run(path: Path, *, walk: str, children: int = 2, **kwargs: Any) -> VerifyReport:
    """Verify the book at ``path``, walking the ``walk`` way (see chain_walks)."""
    with pytest.MonkeyPatch.context() as patch:
        chain_walks.choose(walk, patch, children)
        with SqliteEventStore.open(path, readonly=True) as store:
            return store.verify(**kwargs)


@pytest.mark.parametrize("children", [2, 3, 4])
def test_an_intact_book_verifies_to_the_same_head_either_way(
    book: Path, children: int, aside_walk: str, aside_calls: list[tuple[int, bool] | None]
) -> None:
    seen: list[tuple[int, int]] = []
    aside = run(
        book, walk=aside_walk, children=children, progress=lambda d, t: seen.append((d, t))
    )
    assert aside_calls == [(2 * COMMANDS + 1, False)]  # the children walked every event
    assert aside == run(book, walk="in-process")
    assert aside.ok and aside.events == 2 * COMMANDS
    assert seen[-1] == (2 * COMMANDS, 2 * COMMANDS)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)  # progress never goes back


def _alter(path: Path, position: int) -> None:
    with tamper(path) as db:
        db.execute(
            "UPDATE events SET data = json_set(data, '$.i', -1) WHERE position = ?", (position,)
        )


def _alter_hash(path: Path, position: int) -> None:
    with tamper(path) as db:
        db.execute("UPDATE events SET hash = zeroblob(32) WHERE position = ?", (position,))


def _remove(path: Path, position: int) -> None:
    with tamper(path) as db:
        db.execute("DELETE FROM events WHERE position = ?", (position,))


def _not_utf8(path: Path, position: int) -> None:
    with tamper(path) as db:
        db.execute(
            "UPDATE events SET metadata = CAST(x'7b22ff' AS TEXT) WHERE position = ?", (position,)
        )


def _wrong_type(path: Path, position: int) -> None:
    with tamper(path) as db:
        db.execute("UPDATE events SET stream_version = 1.5 WHERE position = ?", (position,))


DAMAGE = {
    "altered": _alter,
    "altered hash": _alter_hash,
    "removed": _remove,
    "not UTF-8": _not_utf8,
    "wrong type": _wrong_type,
    "chained insert": forge_chained_insert,
}
# the first event, both sides of the boundaries of 2 and 3 ranges, the last, and random ones
RANDOM = random.Random(15).sample(range(2, 240), 2)
POSITIONS = sorted({1, 80, 81, 120, 121, 160, 161, 240, *RANDOM})


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_damage_anywhere_is_named_alike_either_way(
    book: Path,
    damage: str,
    tmp_path: Path,
    aside_walk: str,
    aside_calls: list[tuple[int, bool] | None],
) -> None:
    broken = 0
    for position in POSITIONS:
        if damage == "chained insert" and position == 1:
            continue  # (it forges the event after the one before)
        copy = tmp_path / f"{position}.tallybook"
        copy.write_bytes(book.read_bytes())
        DAMAGE[damage](copy, position)
        expected = run(copy, walk="in-process")
        children = 2 + position % 2  # 120/121 border 2 ranges, 80/81 and 160/161 three
        found = run(copy, walk=aside_walk, children=children)
        assert found == expected, (damage, position, children)
        broken += expected.first_bad_position == position
    # (removing the last event leaves a shorter book that verifies: expect_head's case)
    assert broken >= len(POSITIONS) - 2
    # each position verified in-process (nothing walked aside), then aside
    assert aside_calls and all(call is None for call in aside_calls[0::2])
    assert all(call is not None for call in aside_calls[1::2])


def test_cancelling_stops_the_children(
    book: Path, aside_walk: str, aside_calls: list[Any]
) -> None:
    report = run(book, walk=aside_walk, progress=lambda done, total: False)
    assert report.cancelled and not report.ok
    assert aside_calls and aside_calls[0][1] is True


@pytest.mark.parametrize("aside_walk", ["aside"])
def test_without_children_the_walk_runs_in_process(
    book: Path, monkeypatch: pytest.MonkeyPatch, aside_calls: list[Any]
) -> None:
    monkeypatch.setattr(sys, "executable", str(book.parent / "no-such-python"))
    report = run(book, walk="aside")
    assert aside_calls == [None]
    assert report == run(book, walk="in-process") and report.ok


@pytest.mark.parametrize("aside_walk", ["native"])
def test_a_book_the_c_walk_cannot_open_is_walked_in_process(
    book: Path, monkeypatch: pytest.MonkeyPatch, aside_calls: list[Any]
) -> None:
    real = native_walk.walk

    def unopenable(uri: str, *args: Any) -> tuple[int, bool] | None:
        return real(uri.replace("mode=ro", "mode=ro&vfs=no-such-vfs"), *args)

    monkeypatch.setattr(native_walk, "walk", unopenable)
    report = run(book, walk="native")
    assert aside_calls == [None]
    assert report == run(book, walk="in-process") and report.ok
