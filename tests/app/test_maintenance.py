"""app.maintenance: catch-up, verify, rebuild and copies of a book file, with cancel."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app import maintenance
from app.composition import Book
from app.sample_data import generate_commands
from domain.application.service import BookService
from domain.model.errors import NotABook, StoreError
from domain.projections import ReadModels
from domain.projections.location import ENV_DIR
from domain.projections.read_models import BATCH_SIZE
from domain.store.sqlite import SqliteEventStore

# one more batch than the read models take at a time, so a cancel can stop between batches
_COMMANDS = BATCH_SIZE + 300


@pytest.fixture(scope="module")
def unprojected(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A closed book whose events were written without read models (all pending)."""
    path = tmp_path_factory.mktemp("template") / "big.tallybook"
    with Book.create(path) as book:
        service = BookService(book.store)  # no projectors
        commands = list(generate_commands(8, _COMMANDS, seed=3))
        for start in range(0, len(commands), 1000):
            service.execute_batch(commands[start : start + 1000])
    return path


@pytest.fixture
def big(unprojected: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "big.tallybook"
    shutil.copyfile(unprojected, path)  # closed cleanly: the whole book is this one file
    # a cache folder of its own: the copies share a book id, and a copy's first open would
    # otherwise start from the cache another test's copy filled
    monkeypatch.setenv(ENV_DIR, str(tmp_path / "read-models"))
    return path


def pending(path: Path) -> tuple[int, int]:
    """(events, events the read models lack), looked at without catching up."""
    with SqliteEventStore.open(path, readonly=True) as store:
        return store.head()[0], ReadModels(store).pending()


def test_catch_up_applies_every_pending_event(big: Path) -> None:
    events, lagging = pending(big)
    assert lagging == events > BATCH_SIZE
    assert maintenance.catch_up(big) == events
    assert pending(big) == (events, 0)


def test_a_cancelled_catch_up_keeps_the_batches_it_finished(big: Path) -> None:
    events, _ = pending(big)
    reports: list[tuple[int, int]] = []

    def cancel(done: int, total: int) -> bool:
        reports.append((done, total))
        return False

    applied = maintenance.catch_up(big, cancel)
    assert reports == [(BATCH_SIZE, events)]
    assert applied == BATCH_SIZE
    assert pending(big) == (events, events - BATCH_SIZE)
    assert maintenance.catch_up(big) == events - BATCH_SIZE


def test_a_read_only_open_catches_up_in_the_cache_and_leaves_the_book_alone(big: Path) -> None:
    events, _ = pending(big)
    before = big.read_bytes()
    with Book.open(big, readonly=True) as book:
        assert book.read_models.pending() == 0
        assert book.read_models.event_count() == events
        assert book.read_models.accounts()  # answered from the cache
    assert big.read_bytes() == before
    assert pending(big) == (events, 0)


def test_catch_up_can_create_a_missing_book(tmp_path: Path) -> None:
    path = tmp_path / "new.tallybook"
    with pytest.raises(NotABook):
        maintenance.catch_up(path)
    assert maintenance.catch_up(path, create_if_missing=True) == 0
    assert pending(path) == (0, 0)


def test_verify_reads_without_writing(big: Path) -> None:
    before = big.read_bytes()
    report = maintenance.verify(big)
    assert report.ok and not report.cancelled
    assert report.events == pending(big)[0]
    assert big.read_bytes() == before
    assert not Path(f"{big}-wal").exists() or Path(f"{big}-wal").stat().st_size == 0


def test_a_cancelled_verify_says_so(big: Path) -> None:
    report = maintenance.verify(big, lambda done, total: False)
    assert report.cancelled
    assert report.events < pending(big)[0]


def test_verify_refuses_a_file_that_is_not_a_book(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a book")
    with pytest.raises(NotABook):
        maintenance.verify(tmp_path / "notes.txt")


def test_rebuild_fills_the_read_models_and_a_cancel_rolls_back(big: Path) -> None:
    events, _ = pending(big)
    assert maintenance.rebuild(big, lambda done, total: False) is False
    assert pending(big) == (events, events)  # exactly as before: nothing projected
    assert maintenance.rebuild(big) is True
    assert pending(big) == (events, 0)


def test_save_copy_writes_a_book_that_verifies(big: Path, tmp_path: Path) -> None:
    target = tmp_path / "copy.tallybook"
    assert maintenance.save_copy(big, target)
    assert maintenance.verify(target).head_hash == maintenance.verify(big).head_hash
    with pytest.raises(FileExistsError):
        maintenance.save_copy(big, target)


def test_replacing_a_copy_swaps_it_only_when_finished(big: Path, tmp_path: Path) -> None:
    target = tmp_path / "old.tallybook"
    with Book.create(target):
        pass
    old = target.read_bytes()
    assert maintenance.save_copy(big, target, lambda d, t: False, replace=True) is False
    assert target.read_bytes() == old
    assert maintenance.save_copy(big, target, replace=True) is True
    assert maintenance.verify(target).events == pending(big)[0]
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporaries


def test_a_copy_never_replaces_the_book_itself_or_one_in_use(big: Path, tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="the book itself"):
        maintenance.save_copy(big, big, replace=True)
    in_use = tmp_path / "in use.tallybook"
    SqliteEventStore.create(in_use).close()
    # a write-ahead log beside it: SQLite would replay it into whatever file has the name
    Path(f"{in_use}-wal").write_bytes(b"frames of the old book")
    before = in_use.read_bytes()
    with pytest.raises(StoreError, match="open in another program"):
        maintenance.save_copy(big, in_use, replace=True)
    assert in_use.read_bytes() == before
