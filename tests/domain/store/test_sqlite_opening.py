"""Creating and opening book files: refusals name the file and leave it byte-identical."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import pytest

from domain.model.errors import BookError, DamagedBook, NewerFormat, NotABook
from domain.store.base import Metadata, NewEvent
from domain.store.sqlite import SqliteEventStore
from domain.store.sqlite import connection as sqlite_connection

NoNewFiles = Callable[[Path], AbstractContextManager[None]]  # conftest's fixture

PAGE = 4096


def make_book(path: Path, events: int = 300) -> Path:
    """A closed book with enough events to span many pages."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with SqliteEventStore.create(path) as store, store.transaction():
        for i in range(events):
            store.append(
                [NewEvent(f"entry-{i}", "EntryPosted", 1, {"memo": "x" * 100}, ("account-1",))],
                {f"entry-{i}": 0, "account-1": i},
                Metadata(f"c{i}"),
            )
    assert not Path(f"{path}-wal").exists()
    return path


def root_page(path: Path, table: str) -> int:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        (page,) = db.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)
        ).fetchone()
    return int(page)


def assert_refused(path: Path, error: type[BookError], match: str | None = None) -> BookError:
    before = path.read_bytes() if path.exists() else None
    siblings = sorted(os.listdir(path.parent))
    with pytest.raises(error, match=match) as caught:
        SqliteEventStore.open(path)
    assert str(path) in str(caught.value)
    if before is not None:
        assert path.read_bytes() == before
    assert sorted(os.listdir(path.parent)) == siblings  # no -wal, -shm or anything else
    return caught.value


# ---------------------------------------------------------------- creating


def test_create_makes_an_openable_book_and_nothing_else(book_path: Path) -> None:
    book_path.parent.mkdir(parents=True)
    with SqliteEventStore.create(book_path) as store:
        book_id = store.info().book_id
    assert sorted(os.listdir(book_path.parent)) == [book_path.name]
    with SqliteEventStore.open(book_path) as store:
        assert store.info().book_id == book_id
        assert store.path == book_path


def test_create_refuses_an_existing_file(book_path: Path) -> None:
    book_path.parent.mkdir(parents=True)
    book_path.write_text("my thesis, do not overwrite")
    with pytest.raises(FileExistsError):
        SqliteEventStore.create(book_path)
    assert book_path.read_text() == "my thesis, do not overwrite"
    assert sorted(os.listdir(book_path.parent)) == [book_path.name]


def test_create_refuses_an_existing_book(book_path: Path) -> None:
    make_book(book_path, events=3)
    before = book_path.read_bytes()
    with pytest.raises(FileExistsError):
        SqliteEventStore.create(book_path)
    assert book_path.read_bytes() == before


def test_books_are_wal_with_full_sync_and_a_long_busy_timeout(
    sqlite_book: Callable[..., SqliteEventStore],
) -> None:
    conn = sqlite_book().connection
    assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000


# ---------------------------------------------------------------- not a book


def test_a_missing_file_is_not_a_book(tmp_path: Path) -> None:
    with pytest.raises(NotABook, match="does not exist"):
        SqliteEventStore.open(tmp_path / "nowhere.tallybook")
    assert os.listdir(tmp_path) == []


def test_a_folder_is_not_a_book(tmp_path: Path) -> None:
    with pytest.raises(NotABook, match="folder"):
        SqliteEventStore.open(tmp_path)


@pytest.mark.parametrize(
    "content",
    [b"", b"Dear diary,\nno bookkeeping today.\n", b"SQLite format 2\x00" + b"\x00" * 200],
    ids=["empty", "text", "lookalike"],
)
def test_other_files_are_not_books(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "notes.tallybook"
    path.write_bytes(content)
    assert_refused(path, NotABook)


@pytest.mark.parametrize("journal", ["delete", "wal"])
def test_another_sqlite_database_is_not_a_book(tmp_path: Path, journal: str) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA journal_mode = {journal}")
        db.execute("CREATE TABLE contacts (name TEXT)")
        db.execute("INSERT INTO contacts VALUES ('Ann')")
    db.close()
    assert_refused(path, NotABook, "not a Tallybook book")


# ---------------------------------------------------------------- damaged


def test_a_truncated_book_is_damaged(book_path: Path) -> None:
    data = make_book(book_path).read_bytes()
    for size in (len(data) // PAGE // 2 * PAGE, len(data) - 10, 50):
        book_path.write_bytes(data[:size])
        assert_refused(book_path, DamagedBook, "damaged")


@pytest.mark.parametrize("table", ["sqlite_master", "events", "book"])
def test_a_book_with_garbled_pages_is_damaged(book_path: Path, table: str) -> None:
    make_book(book_path)
    page = 1 if table == "sqlite_master" else root_page(book_path, table)
    start = (page - 1) * PAGE + (100 if page == 1 else 0)  # keep the file header
    data = bytearray(book_path.read_bytes())
    data[start : page * PAGE] = bytes((i * 37 + 11) % 256 for i in range(page * PAGE - start))
    book_path.write_bytes(bytes(data))
    assert_refused(book_path, DamagedBook, "damaged")


def test_a_book_without_its_format_version_is_damaged(book_path: Path) -> None:
    make_book(book_path, events=1)
    with sqlite3.connect(book_path) as db:
        db.execute("DELETE FROM book WHERE key = 'format_version'")
    db.close()
    assert_refused(book_path, DamagedBook, "format version")


def test_verify_reports_damage_found_while_reading(book_path: Path) -> None:
    make_book(book_path, events=2000)
    with sqlite3.connect(f"file:{book_path}?mode=ro", uri=True) as db:
        (page,) = db.execute(
            "SELECT pageno FROM dbstat WHERE name = 'events' AND pagetype = 'leaf' "
            "ORDER BY pageno LIMIT 1 OFFSET 5"
        ).fetchone()
    db.close()
    data = bytearray(book_path.read_bytes())
    data[(page - 1) * PAGE : page * PAGE] = b"\xff" * PAGE
    book_path.write_bytes(bytes(data))
    with SqliteEventStore.open(book_path, readonly=True) as store:
        report = store.verify()
    assert not report.ok
    assert report.problem == "damaged"
    assert report.first_bad_position is not None and report.first_bad_position > 1
    assert report.events == report.first_bad_position - 1


# ---------------------------------------------------------------- newer format


def test_a_newer_format_is_refused(book_path: Path) -> None:
    make_book(book_path, events=1)
    with sqlite3.connect(book_path) as db:
        db.execute("UPDATE book SET value = '2' WHERE key = 'format_version'")
    db.close()
    error = assert_refused(book_path, NewerFormat, "newer Tallybook")
    assert "format 2" in str(error)


# ---------------------------------------------------------------- live books


def test_a_book_open_elsewhere_opens_again(
    sqlite_book: Callable[..., SqliteEventStore],
) -> None:
    first = sqlite_book()
    first.append([NewEvent("a", "T", 1, {})], {"a": 0}, Metadata("c1"))
    assert Path(f"{first.path}-wal").exists()
    second = sqlite_book()
    assert second.head() == first.head()
    reader = sqlite_book(readonly=True)
    assert reader.head() == first.head()


def test_a_book_in_a_folder_that_takes_no_new_files_opens_read_only(
    tmp_path: Path, folder_taking_no_new_files: NoNewFiles
) -> None:
    # an auditor reading a book on read-only media: SQLite cannot create the -shm file a WAL
    # reader needs, and nobody has the book open, so it is read as it is on disk
    path = make_book(tmp_path / "share" / "b.tallybook")
    before = path.read_bytes()
    with folder_taking_no_new_files(path.parent):
        with SqliteEventStore.open(path, readonly=True) as store:
            assert store.head()[0] == 300
            assert store.verify().ok
            assert len(list(store.read_all())) == 300
        assert os.listdir(path.parent) == [path.name]
    assert path.read_bytes() == before


def test_a_book_that_cannot_be_opened_is_a_book_error_not_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = make_book(tmp_path / "b.tallybook")

    def refuse(*_args: object, **_kwargs: object) -> sqlite3.Connection:
        raise sqlite3.OperationalError("unable to open database file")

    # the file checks pass; the store's own connection is refused (as SQLite refuses a WAL
    # reader that cannot create its -shm file)
    monkeypatch.setattr(sqlite_connection, "connect", refuse)
    with pytest.raises(BookError, match=r"b\.tallybook cannot be opened: unable to open"):
        SqliteEventStore.open(path, readonly=True)
