"""SqliteEventStore.backup: a consistent copy through SQLite's online backup API."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from domain.store.base import Metadata, NewEvent
from domain.store.sqlite import SqliteEventStore

Book = Callable[..., SqliteEventStore]


def append(store: SqliteEventStore, n: int, tag: str, payload: str = "") -> None:
    """``n`` events in one stream of their own, one command."""
    stream = f"s-{tag}"
    events = [NewEvent(stream, "Happened", 1, {"i": i, "pad": payload}) for i in range(n)]
    store.append(events, {stream: store.stream_version(stream)}, Metadata(f"cmd-{tag}"))


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_the_copy_opens_verifies_and_has_the_same_head(sqlite_book: Book, tmp_path: Path) -> None:
    store = sqlite_book()
    append(store, 40, "a")
    target = tmp_path / "copy.tallybook"
    assert store.backup(target) is True
    with SqliteEventStore.open(target, readonly=True) as copy:
        report = copy.verify()
        assert report.ok and report.events == 40
        assert copy.head() == store.head()
        assert copy.info() == store.info()
        assert [e.data for e in copy.read_all()] == [e.data for e in store.read_all()]


def test_an_existing_target_is_refused_and_left_alone(sqlite_book: Book, tmp_path: Path) -> None:
    store = sqlite_book()
    append(store, 3, "a")
    target = tmp_path / "taken.tallybook"
    target.write_bytes(b"someone else's file")
    with pytest.raises(FileExistsError):
        store.backup(target)
    assert target.read_bytes() == b"someone else's file"
    assert files_in(tmp_path) == ["books", "taken.tallybook"]


def test_a_cancelled_copy_leaves_no_file(sqlite_book: Book, tmp_path: Path) -> None:
    store = sqlite_book()
    append(store, 200, "a", payload="x" * 200)
    reports: list[tuple[int, int]] = []

    def cancel_after_first_step(done: int, total: int) -> bool:
        reports.append((done, total))
        return False

    out = tmp_path / "out"
    out.mkdir()
    assert store.backup(out / "copy.tallybook", cancel_after_first_step, pages_per_step=2) is False
    assert len(reports) == 1 and reports[0][0] < reports[0][1]
    assert files_in(out) == []


def test_progress_counts_pages_up_to_the_total(sqlite_book: Book, tmp_path: Path) -> None:
    store = sqlite_book()
    append(store, 200, "a", payload="x" * 200)
    reports: list[tuple[int, int]] = []
    assert store.backup(tmp_path / "c.tallybook", lambda d, t: reports.append((d, t)) is None,
                        pages_per_step=4)  # fmt: skip
    assert len(reports) > 2
    assert [d for d, _ in reports] == sorted(d for d, _ in reports)
    assert reports[-1][0] == reports[-1][1]


def test_another_connection_writes_while_the_copy_runs(sqlite_book: Book, tmp_path: Path) -> None:
    store, writer = sqlite_book(), sqlite_book()
    append(store, 200, "a", payload="x" * 200)
    head_at_start = store.head()
    commits: list[int] = []

    def write_between_steps(done: int, total: int) -> bool:
        # another connection commits between backup steps: it must not wait for the copy,
        # and the copy must stay the snapshot it started from (not restart, not mix)
        append(writer, 1, f"during-{done}")
        commits.append(writer.head()[0])
        return True

    target = tmp_path / "copy.tallybook"
    assert store.backup(target, write_between_steps, pages_per_step=2)
    assert len(commits) > 2 and commits[-1] == head_at_start[0] + len(commits)
    with SqliteEventStore.open(target, readonly=True) as copy:
        assert copy.verify().ok
        assert copy.head() == head_at_start


def test_an_open_write_transaction_elsewhere_neither_blocks_nor_leaks_in(
    sqlite_book: Book, tmp_path: Path
) -> None:
    store, writer = sqlite_book(), sqlite_book()
    append(store, 5, "a")
    target = tmp_path / "copy.tallybook"
    with writer.transaction():
        append(writer, 1, "uncommitted")
        assert store.backup(target)
    with SqliteEventStore.open(target, readonly=True) as copy:
        assert copy.head()[0] == 5
        assert copy.verify().ok


def test_a_read_only_store_can_be_copied(sqlite_book: Book, tmp_path: Path) -> None:
    append(sqlite_book(), 4, "a")
    readonly = sqlite_book(readonly=True)
    assert readonly.backup(tmp_path / "copy.tallybook")
    with SqliteEventStore.open(tmp_path / "copy.tallybook", readonly=True) as copy:
        assert copy.head() == readonly.head()
