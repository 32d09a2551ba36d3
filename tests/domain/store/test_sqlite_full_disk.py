"""A book on a full disk (a real one: a tiny tmpfs, see the ``tiny_disk`` fixture): a closed
book is still read, nothing is left beside it, and a writer is refused before it opens."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from domain.model.errors import BookError
from domain.store.base import Metadata, NewEvent
from domain.store.sqlite import SqliteEventStore
from domain.store.sqlite.connection import disk_full
from tests.conftest import fill


def make_book(path: Path, events: int = 40) -> Path:
    with SqliteEventStore.create(path) as store, store.transaction():
        for i in range(events):
            store.append(
                [NewEvent(f"entry-{i}", "EntryPosted", 1, {"memo": "x" * 100}, ("account-1",))],
                {f"entry-{i}": 0, "account-1": i},
                Metadata(f"c{i}"),
            )
    return path


def test_a_closed_book_on_a_full_disk_is_read_and_nothing_is_left_beside_it(
    tiny_disk: Path,
) -> None:
    path = make_book(tiny_disk / "b.tallybook")
    before = path.read_bytes()
    fill(tiny_disk)
    with SqliteEventStore.open(path, readonly=True) as store:
        assert store.head()[0] == 40
        assert store.verify().ok
        assert len(list(store.read_all())) == 40
    assert sorted(os.listdir(tiny_disk)) == ["b.tallybook", "filler"]
    assert path.read_bytes() == before


def test_a_writer_on_a_full_disk_is_refused_before_it_opens_the_book(tiny_disk: Path) -> None:
    path = make_book(tiny_disk / "b.tallybook")
    before = path.read_bytes()
    fill(tiny_disk)
    with pytest.raises(BookError, match=r"b\.tallybook: the disk is full; nothing was written"):
        SqliteEventStore.open(path)
    assert sorted(os.listdir(tiny_disk)) == ["b.tallybook", "filler"]  # no -wal, no -shm
    assert path.read_bytes() == before


def test_a_reader_without_locks_says_so_when_the_book_changed_under_it(tiny_disk: Path) -> None:
    path = make_book(tiny_disk / "b.tallybook")
    fill(tiny_disk)
    reader = SqliteEventStore.open(path, readonly=True)
    assert reader.head()[0] == 40
    (tiny_disk / "filler").unlink()  # room again: a writer comes, unseen by the lockless reader
    with SqliteEventStore.open(path) as writer:
        event = NewEvent("entry-x", "EntryPosted", 1, {}, ())
        writer.append([event], {"entry-x": 0}, Metadata("x"))
    with pytest.raises(BookError, match="was changed by another program while it was read"):
        reader.close()


def statvfs(blocks: int, free: int, files: int, free_files: int) -> os.statvfs_result:
    # (bsize, frsize, blocks, bfree, bavail, files, ffree, favail, flag, namemax)
    fields = (4096, 4096, blocks, free, free, files, free_files, free_files, 0, 255)
    return os.statvfs_result(fields)


@pytest.mark.parametrize(
    ("usage", "full"),
    [
        (statvfs(1000, 0, 100, 50), True),
        (statvfs(1000, 31, 100, 50), True),  # less than 128 KiB
        (statvfs(1000, 500, 100, 0), True),  # no inode for a -wal file
        (statvfs(1000, 500, 100, 50), False),
        (statvfs(1000, 500, 0, 0), False),  # btrfs: no inode count at all
        (statvfs(0, 0, 0, 0), False),  # a FUSE file system that reports nothing
    ],
)
def test_what_counts_as_a_full_disk(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, usage: os.statvfs_result, full: bool
) -> None:
    monkeypatch.setattr(os, "statvfs", lambda _path: usage)
    assert disk_full(tmp_path) is full
