"""File menu of the real window: verify (and tampering), copies, new and sample books, errors."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from app_helpers import household
from PySide6.QtWidgets import QFileDialog

from app.composition import Book
from app.desktop.launcher import Launcher
from app.desktop.settings import AppSettings
from app.dialogs.new_book import NewBookWizard
from app.window.main_window import MainWindow
from domain.model.commands import Command
from tests.app.conftest import MessageBoxes

Window = Callable[[Path], MainWindow]


@pytest.fixture
def book_file(make_book: Callable[[list[Command]], Path]) -> Path:
    return make_book(household())


def answer_file_dialog(monkeypatch: pytest.MonkeyPatch, name: str, path: Path) -> None:
    monkeypatch.setattr(QFileDialog, name, staticmethod(lambda *_a, **_k: (str(path), "")))


def finish_new_book_as_empty(window: MainWindow) -> None:
    """File ▸ New Book, and in its assistant: an empty book."""
    window.actions_.new_book.trigger()
    wizard = window.findChild(NewBookWizard)
    assert wizard is not None
    wizard.start.buttons["empty"].setChecked(True)
    wizard.accept()


def tamper(path: Path, position: int) -> None:
    """Change one stored event behind the store's back, as an attacker would."""
    with closing(sqlite3.connect(path, isolation_level=None)) as db:
        for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'"):
            db.execute(f'DROP TRIGGER "{name}"')
        db.execute(
            "UPDATE events SET data = replace(data, 'Market', 'Marked') WHERE position = ?",
            (position,),
        )


def test_verify_integrity_of_an_intact_book(
    book_file: Path, open_window: Window, qtbot: Any, message_boxes: MessageBoxes
) -> None:
    window = open_window(book_file)
    assert window.status.integrity_label.text() == "Integrity: not verified yet"
    with qtbot.waitSignal(window.operations.verified, timeout=10_000):
        window.actions_.verify.trigger()
    assert window.status.integrity_label.text() == "Integrity: verified ✓ at head #9"
    # the head's hash is what a person writes down: a later verify proves nothing before changed
    with closing(sqlite3.connect(book_file)) as db:
        (head_hash,) = db.execute("SELECT hash FROM events WHERE position = 9").fetchone()
    # it ends with the head's receipt, to copy or save, instead of a box to write down from
    assert message_boxes.calls == []
    assert window.receipts.dialog is not None and window.receipts.dialog.isVisible()
    assert window.receipts.dialog.receipt.head_hash == head_hash.hex()
    assert head_hash.hex() in window.status.integrity_label.toolTip()


def test_verify_integrity_names_the_first_tampered_event(
    book_file: Path, open_window: Window, qtbot: Any, message_boxes: MessageBoxes
) -> None:
    tamper(book_file, 9)  # the withdrawal at Market
    window = open_window(book_file)
    with qtbot.waitSignal(window.operations.verified, timeout=10_000):
        window.actions_.verify.trigger()
    assert window.status.integrity_label.text() == "Integrity: TAMPERED at #9"
    (text,) = message_boxes.texts("critical")
    assert "#9" in text
    # what happened, in the store's words (not the report's one-word code "altered")
    assert "the stored hash does not follow from the previous event" in text


def test_save_a_copy_writes_a_book_with_the_same_events(
    book_file: Path,
    open_window: Window,
    qtbot: Any,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    window = open_window(book_file)
    target = tmp_path / "copy"
    answer_file_dialog(monkeypatch, "getSaveFileName", target)
    with qtbot.waitSignal(window.operations.copied, timeout=10_000):
        window.actions_.save_copy.trigger()
    with Book.open(tmp_path / "copy.tallybook", readonly=True) as copy:
        assert copy.store.head()[0] == 9
        assert copy.store.verify().ok


def test_rebuild_views_keeps_what_is_shown(
    book_file: Path, open_window: Window, qtbot: Any
) -> None:
    window = open_window(book_file)
    with qtbot.waitSignal(window.operations.rebuilt, timeout=10_000) as rebuilt:
        window.actions_.rebuild.trigger()
    assert rebuilt.args == [True]
    assert window.history_dock.table.model().rowCount() == 9


def test_new_book_opens_an_empty_book_in_a_new_window(
    book_file: Path,
    open_window: Window,
    launcher: Launcher,
    qtbot: Any,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    window = open_window(book_file)
    answer_file_dialog(monkeypatch, "getSaveFileName", tmp_path / "Club")
    with qtbot.waitSignal(launcher.window_opened, timeout=10_000):  # made in a worker
        finish_new_book_as_empty(window)
    new = launcher.windows[(tmp_path / "Club.tallybook").resolve()]
    assert new.windowTitle() == "Club — Tallybook"
    assert new.timeline.label.text() == "No events yet"


def test_new_book_never_overwrites_a_file(
    book_file: Path,
    open_window: Window,
    monkeypatch: pytest.MonkeyPatch,
    message_boxes: MessageBoxes,
) -> None:
    window = open_window(book_file)
    answer_file_dialog(monkeypatch, "getSaveFileName", book_file)
    finish_new_book_as_empty(window)
    assert "already exists" in message_boxes.texts("warning")[0]
    with Book.open(book_file) as still:
        assert still.store.head()[0] == 9


def test_new_sample_book_has_a_year_of_activity(
    book_file: Path,
    open_window: Window,
    launcher: Launcher,
    qtbot: Any,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    window = open_window(book_file)
    answer_file_dialog(monkeypatch, "getSaveFileName", tmp_path / "Sample.tallybook")
    with qtbot.waitSignal(launcher.window_opened, timeout=60_000) as opened:
        window.actions_.new_sample.trigger()
    sample: MainWindow = opened.args[0]
    assert sample.windowTitle() == "Sample — Tallybook"
    with Book.open(tmp_path / "Sample.tallybook", readonly=True) as made:
        events = list(made.store.read_all())
    kinds = {e.data.get("kind") for e in events if e.type == "EntryPosted"}
    assert {"transfer", "split", "deposit", "withdrawal"} <= kinds
    assert any(e.type == "EntryVoided" for e in events)
    dates = [e.data["booking_date"] for e in events if e.type == "EntryPosted"]
    assert dates != sorted(dates)  # some entries were booked back-dated
    assert (max(dates) > min(dates).replace(min(dates)[:4], str(int(min(dates)[:4]) + 1), 1)
            or len(set(d[:7] for d in dates)) >= 12)  # fmt: skip
    # the year up to today, not some other year's (nor one running into the future)
    today = dt.date.today()
    assert today - dt.timedelta(days=7) <= dt.date.fromisoformat(max(dates)) <= today


@pytest.mark.parametrize(
    ("content", "reason"),
    [(b"just some text, not a database" * 10, "not a Tallybook book"), (b"", "")],
)
def test_a_file_that_is_not_a_book_shows_a_message_not_a_traceback(
    launcher: Launcher,
    qtbot: Any,
    tmp_path: Path,
    message_boxes: MessageBoxes,
    content: bytes,
    reason: str,
) -> None:
    path = tmp_path / "notes.tallybook"
    path.write_bytes(content)
    with qtbot.waitSignal(launcher.open_failed, timeout=10_000):
        assert launcher.open_book(path)
    (text,) = message_boxes.texts("critical")
    assert "notes.tallybook" in text and reason in text
    assert not launcher.windows


def test_a_fifo_given_as_the_book_is_refused_with_a_message_not_a_hang(
    launcher: Launcher, qtbot: Any, tmp_path: Path, message_boxes: MessageBoxes
) -> None:
    fifo = tmp_path / "pipe.tallybook"
    os.mkfifo(fifo)
    try:
        with qtbot.waitSignal(launcher.open_failed, timeout=10_000):
            assert launcher.open_book(fifo)
    finally:  # a worker stuck opening the FIFO is let go, so a failure does not hang the run
        with contextlib.suppress(OSError):
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
    (text,) = message_boxes.texts("critical")
    assert "pipe.tallybook is a named pipe (FIFO), not a Tallybook book" in text
    assert not launcher.windows


def test_the_window_layout_and_recent_books_persist(
    book_file: Path, open_window: Window, settings: AppSettings
) -> None:
    window = open_window(book_file)
    window.history_dock.hide()
    window.close()
    assert settings.recent_books() == [book_file.resolve()]
    assert settings.window_geometry() is not None and settings.window_state() is not None
    again = open_window(book_file)
    assert again.history_dock.isHidden()
    assert [a.text() for a in again.recent_menu.actions()][:1] == [book_file.name]


@pytest.mark.parametrize("recorded", [False, True], ids=["empty", "with-events"])
@pytest.mark.parametrize("made", ["sample", "new-book"])
def test_a_new_book_replaces_the_window_of_an_empty_default_book(
    made: str,
    recorded: bool,
    settings: AppSettings,
    qtbot: Any,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    default = tmp_path / "Books" / "My Books.tallybook"
    default.parent.mkdir()
    if recorded:
        with Book.open(default, create_if_missing=True) as book:
            book.service.execute(household()[0])
    launcher = Launcher(settings, default_book=default)
    try:
        first = launcher.show_book(default)
        answer_file_dialog(monkeypatch, "getSaveFileName", tmp_path / "Made.tallybook")
        with qtbot.waitSignal(launcher.window_opened, timeout=60_000):
            if made == "sample":
                first.actions_.new_sample.trigger()
            else:
                finish_new_book_as_empty(first)
        # an untouched default book would only sit behind the new one; one with events stays
        assert (default.resolve() in launcher.windows) is recorded
        assert (tmp_path / "Made.tallybook").resolve() in launcher.windows
    finally:
        for window in list(launcher.windows.values()):
            window.close()
