"""The read models' own file: the book holds only events, and the cache must be the book's."""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from pathlib import Path

import pytest
from projection_book import Book
from test_catch_up import assert_matches_fold, some_books

from app import maintenance
from domain.application.service import BookService
from domain.model.events import AccountType
from domain.projections import ReadModels
from domain.projections.location import ENV_DIR, STALE_AFTER_DAYS, prune, read_models_path
from domain.store.sqlite import SqliteEventStore


def reopen(path: Path) -> Book:
    store = SqliteEventStore.open(path)
    models = ReadModels(store)
    models.catch_up()
    return Book(path, store, models, BookService(store, projectors=(models,)))


def tables(path: Path) -> set[str]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        names = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    db.close()
    return names


def test_the_book_holds_the_events_and_the_cache_the_read_models(book: Book) -> None:
    some_books(book)
    cache = book.read_models.path
    assert cache == read_models_path(book.path, book.store.info().book_id)
    assert cache.parent == Path(os.environ[ENV_DIR])  # the suite's, not the user's
    assert not {name for name in tables(book.path) if name.startswith("rm_")}
    assert {"rm_checkpoint", "rm_register", "rm_voids"} <= tables(cache)


def test_a_deleted_cache_is_refilled_from_the_book(book: Book) -> None:
    some_books(book)
    book.store.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{book.read_models.path}{suffix}").unlink(missing_ok=True)
    again = reopen(book.path)
    try:
        assert_matches_fold(again)
    finally:
        again.store.close()


def test_a_damaged_cache_is_replaced(book: Book) -> None:
    some_books(book)
    book.store.close()
    cache = book.read_models.path
    for suffix in ("-wal", "-shm"):
        Path(f"{cache}{suffix}").unlink(missing_ok=True)
    cache.write_bytes(b"this is not a database, and longer than a header" * 100)
    again = reopen(book.path)
    try:
        assert_matches_fold(again)
    finally:
        again.store.close()


def test_an_older_copy_put_back_in_place_is_not_answered_from_the_newer_cache(
    book: Book, tmp_path: Path
) -> None:
    # restore a backup, then book different things: same book id, same path, same number of
    # events as the cache has seen, but another history; the cache must notice
    checking, salary, food = some_books(book, entries=3)
    book.store.close()
    backup = tmp_path / "backup.tally"
    shutil.copyfile(book.path, backup)
    later = reopen(book.path)
    later.deposit(checking, salary, "100.00")
    later.deposit(checking, salary, "200.00")
    seen = later.read_models.checkpoint()
    later.store.close()

    shutil.copyfile(backup, book.path)  # closed cleanly: the book is this one file
    restored = reopen(book.path)
    try:
        restored.withdraw(checking, food, "7.00")
        restored.withdraw(checking, food, "8.00")
        assert restored.store.head()[0] == seen
        assert_matches_fold(restored)
    finally:
        restored.store.close()


def test_two_copies_of_a_book_keep_their_own_caches(book: Book, tmp_path: Path) -> None:
    checking, salary, _food = some_books(book, entries=2)
    book.store.close()
    copy_path = tmp_path / "copy.tally"
    shutil.copyfile(book.path, copy_path)
    original, copy = reopen(book.path), reopen(copy_path)
    try:
        assert original.read_models.path != copy.read_models.path
        copy.deposit(checking, salary, "5.00")
        assert_matches_fold(original)
        assert_matches_fold(copy)
    finally:
        original.store.close()
        copy.store.close()


def test_a_moved_book_starts_from_a_copy_of_its_old_cache(book: Book, tmp_path: Path) -> None:
    checking, salary, _food = some_books(book)
    book.store.close()
    old_cache = book.read_models.path
    moved = tmp_path / "elsewhere" / "renamed.tally"
    moved.parent.mkdir()
    shutil.move(book.path, moved)  # closed cleanly: the book is this one file
    with SqliteEventStore.open(moved) as store:
        models = ReadModels(store)
        assert models.path != old_cache
        # copied, not refilled: already at the book's head
        assert models.checkpoint() == store.head()[0] > 0
        assert models.catch_up() == 0
    again = reopen(moved)
    try:
        again.deposit(checking, salary, "5.00")
        assert_matches_fold(again)
    finally:
        again.store.close()
    assert old_cache.exists()  # left to prune, should the book come back


def test_a_copy_that_went_its_own_way_is_not_answered_from_the_copied_cache(
    book: Book, tmp_path: Path
) -> None:
    checking, salary, food = some_books(book, entries=3)
    book.store.close()
    copy_path = tmp_path / "copy.tally"
    shutil.copyfile(book.path, copy_path)
    original = reopen(book.path)
    original.deposit(checking, salary, "100.00")  # its cache now ends past the copy's head
    original.store.close()
    copy = reopen(copy_path)  # its cache starts as a copy of the original's, then is refilled
    try:
        copy.withdraw(checking, food, "7.00")
        assert_matches_fold(copy)
    finally:
        copy.store.close()


def test_read_models_an_older_tallybook_kept_in_the_book_are_dropped(book: Book) -> None:
    some_books(book)
    book.store.close()
    with sqlite3.connect(book.path) as db:  # as Tallybook 0.1 left them
        db.execute("CREATE TABLE rm_register (acct INTEGER, position INTEGER)")
        db.execute("CREATE TABLE rm_checkpoint (id INTEGER, position INTEGER)")
    db.close()
    before = book.path.read_bytes()
    with SqliteEventStore.open(book.path, readonly=True) as store:
        ReadModels(store).catch_up()  # read-only: the book is left exactly as it was
    assert book.path.read_bytes() == before
    again = reopen(book.path)
    try:
        assert not {name for name in tables(book.path) if name.startswith("rm_")}
        assert_matches_fold(again)
    finally:
        again.store.close()


def test_caches_no_book_opened_for_months_are_deleted(book: Book) -> None:
    some_books(book, entries=1)
    mine = book.read_models.path
    old, recent = mine.with_name("gone-book.sqlite"), mine.with_name("other-book.sqlite")
    for cache in (old, recent, Path(f"{old}-wal")):
        cache.write_bytes(b"a cache")
    months_ago = time.time() - (STALE_AFTER_DAYS + 1) * 86400
    os.utime(old, (months_ago, months_ago))
    os.utime(mine, (months_ago, months_ago))  # ours is in use: never deleted
    assert prune(mine) == [old]
    assert not old.exists() and not Path(f"{old}-wal").exists()
    assert recent.exists() and mine.exists()
    ReadModels(book.store)  # opening marks the cache as used
    assert mine.stat().st_mtime > months_ago
    recent.unlink()


def test_a_cache_folder_that_takes_no_files_keeps_the_read_models_in_memory(
    book: Book, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    some_books(book)
    path = book.path
    book.store.close()
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(ENV_DIR, str(blocker / "read-models"))  # mkdir fails: not a directory
    for readonly in (False, True):
        with SqliteEventStore.open(path, readonly=readonly) as store:
            models = ReadModels(store)
            assert "cannot keep its views of this book" in models.cache_problem
            assert models.checkpoint() == 0
            models.catch_up()
            again = Book(path, store, models, BookService(store, projectors=(models,)))
            assert_matches_fold(again)
            if not readonly:  # commands still work, the read models follow them in memory
                again.open("Late", AccountType.ASSET)
                assert_matches_fold(again)
    assert blocker.read_text() == "not a folder"
    assert maintenance.catch_up(path) == 0  # nothing to keep: the window's own open catches up
    assert maintenance.rebuild(path) is True  # nor to rebuild


def test_a_busy_or_damaged_cache_is_not_taken_for_an_unwritable_one(book: Book) -> None:
    some_books(book)
    cache = book.read_models.path
    book.store.close()
    Path(f"{cache}-wal").unlink(missing_ok=True)
    Path(f"{cache}-shm").unlink(missing_ok=True)
    cache.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)  # a broken header
    with SqliteEventStore.open(book.path) as store:
        models = ReadModels(store)  # replaced by a new file, as before
        assert models.cache_problem == ""
        models.catch_up()
        assert models.checkpoint() == store.head()[0]
