"""A book whose history is broken: the check on every open finds it and the window turns
read-only, with a banner saying why; a sound book stays writable; the check can be stopped."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import closing
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from app_helpers import DAY, household
from book_damage import garble_middle_leaf
from PySide6.QtCore import Qt

from app.composition import Book
from app.desktop.book_session import BookSession
from app.desktop.launcher import Launcher
from app.dialogs.deposit_withdraw import EntryDialog
from app.window.main_window import MainWindow
from domain.model.commands import Command, Deposit
from domain.model.errors import DamagedBook
from tests.app.conftest import MessageBoxes

Window = Callable[[Path], MainWindow]
BANNER = (
    "This book's history is broken at position 9 (altered). It is open read-only: nothing can "
    "be recorded in it. Keep the file as evidence, and go on in a copy you trust."
)


def forge(path: Path, position: int) -> None:
    """Change one stored event's data behind the store's back, dropping the triggers that
    forbid it, as a forger would."""
    with closing(sqlite3.connect(path, isolation_level=None)) as db:
        for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'"):
            db.execute(f'DROP TRIGGER "{name}"')
        changed = db.execute(
            "UPDATE events SET data = replace(data, 'Market', 'Marked') WHERE position = ?",
            (position,),
        ).rowcount
    assert changed == 1


def checked(window: MainWindow, qtbot: Any) -> MainWindow:
    """The window once its check on opening has ended."""
    if window.operations.checking:
        with qtbot.waitSignal(window.operations.check_ended, timeout=20_000):
            pass
    return window


def session_of(window: MainWindow) -> BookSession:
    session = window.findChild(BookSession)
    assert session is not None
    return session


def book_head(path: Path) -> int:
    with closing(sqlite3.connect(path)) as db:
        (head,) = db.execute("SELECT max(position) FROM events").fetchone()
    return int(head)


@pytest.fixture
def household_book(make_book: Callable[[list[Command]], Path]) -> Path:
    return make_book(household())


def test_a_forged_event_turns_the_window_read_only_with_a_banner_saying_why(
    household_book: Path, open_window: Window, qtbot: Any, message_boxes: MessageBoxes
) -> None:
    forge(household_book, 9)  # the withdrawal at Market
    window = open_window(household_book)
    # the check runs in a worker: the window is up and writable until it has found the break
    assert window.operations.checking and window.actions_.deposit.isEnabled()
    checked(window, qtbot)
    assert window.banner.isVisibleTo(window) and window.banner.alarmed
    assert window.banner.label.text() == BANNER
    assert window.windowTitle() == f"{household_book.stem} (read-only) — Tallybook"
    assert not any(action.isEnabled() for action in window.actions_.editing)
    window.accounts_view.select_first_account()
    window.register_panel.table.selectRow(0)
    assert not window.actions_.void.isEnabled() and not window.actions_.correct.isEnabled()
    assert window.actions_.verify.isEnabled()  # checking it again is still allowed
    assert window.status.integrity_label.text() == "Integrity: TAMPERED at #9"
    assert message_boxes.calls == []  # the banner says it; no box in the user's way
    window.banner.details_button.click()
    ((kind, title, text),) = message_boxes.calls
    assert (kind, title) == ("critical", "Broken History")
    assert "At #9: the stored hash does not follow from the previous event" in text
    assert "Every event up to #8 chains correctly" in text


def test_the_break_stays_in_the_banner_after_a_trip_into_the_past(
    household_book: Path, open_window: Window, qtbot: Any
) -> None:
    forge(household_book, 9)
    window = checked(open_window(household_book), qtbot)
    window.timeline.actions_.back.trigger()
    assert not window.banner.alarmed  # "Viewing the books as of event #8 …"
    window.timeline.actions_.present.trigger()
    assert window.banner.alarmed and window.banner.label.text() == BANNER
    assert not window.actions_.deposit.isEnabled()


@pytest.mark.parametrize("width", [1360, 700])
def test_the_banner_is_as_tall_as_its_text_needs_and_no_taller(
    household_book: Path, open_window: Window, qtbot: Any, width: int
) -> None:
    forge(household_book, 9)
    window = checked(open_window(household_book), qtbot)
    window.resize(width, 800)
    qtbot.wait(50)  # the layout settles on the next turns of the event loop
    label, button = window.banner.label, window.banner.details_button
    assert label.height() >= label.heightForWidth(label.width())  # every line shown
    # one line on a wide window: the room goes to the views (it was 94 px, six lines' worth)
    lines = 1 if width > 1200 else 2
    needed = max(label.fontMetrics().lineSpacing() * lines, button.sizeHint().height())
    assert window.banner.height() <= needed + 20


def test_a_command_sent_anyway_is_refused_and_appends_nothing(
    household_book: Path, open_window: Window, qtbot: Any
) -> None:
    forge(household_book, 9)
    window = open_window(household_book)
    # a dialog the user opened before the check finished: its OK must not land either
    window.actions_.deposit.trigger()
    dialog = window.dialogs.current
    assert isinstance(dialog, EntryDialog)
    dialog.account.select(next(a.account_id for a in dialog.account._all if a.name == "Checking"))
    qtbot.keyClicks(dialog.amount, "10.00")
    checked(window, qtbot)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert "read-only: its history is broken at position 9 (altered)" in dialog.error_text()
    controller = session_of(window).controller
    checking = next(a for a in window.dialogs.current.account._all if a.name == "Checking")
    salary = next(a for a in window.dialogs.current.account._all if a.name == "Salary")
    command = Deposit(account_id=checking.account_id, income_account_id=salary.account_id,
                      amount=Decimal("1.00"), booking_date=DAY)  # fmt: skip
    with qtbot.waitSignal(controller.command_rejected) as rejected:
        assert controller.execute(command) is False
    assert "history is broken at position 9" in rejected.args[1]
    assert book_head(household_book) == 9


def test_a_damaged_page_turns_the_window_read_only(
    generated_book: Path, open_window: Window, qtbot: Any
) -> None:
    garble_middle_leaf(generated_book)
    window = checked(open_window(generated_book), qtbot)
    assert window.banner.alarmed
    text = window.banner.label.text()
    assert text.startswith("This book's history is broken at position ")
    assert "(damaged). It is open read-only" in text
    assert not any(action.isEnabled() for action in window.actions_.editing)
    # the event that cannot be read says so in the history's detail pane
    position = int(text.removeprefix("This book's history is broken at position ").split()[0])
    window.history_dock.select_position(position)
    assert window.history_dock.detail.toPlainText().startswith(
        f"Event #{position} cannot be read: "
    )


def test_a_sound_book_is_verified_on_opening_and_stays_writable(
    household_book: Path, open_window: Window, qtbot: Any, message_boxes: MessageBoxes
) -> None:
    window = open_window(household_book)
    with qtbot.waitSignal(window.operations.history_checked, timeout=20_000) as checked_:
        pass
    assert checked_.args[0].ok
    assert not window.banner.isVisibleTo(window)
    assert window.windowTitle() == f"{household_book.stem} — Tallybook"
    assert all(
        action.isEnabled()
        for action in window.actions_.editing
        if action not in (window.actions_.void, window.actions_.correct)
    )
    assert window.status.integrity_label.text() == "Integrity: verified ✓ at head #9"
    assert message_boxes.calls == []


def test_verify_integrity_turns_the_window_read_only_when_it_finds_a_break(
    household_book: Path, open_window: Window, qtbot: Any
) -> None:
    window = checked(open_window(household_book), qtbot)
    assert window.actions_.deposit.isEnabled()
    forge(household_book, 9)  # while the window is open
    with qtbot.waitSignal(window.operations.verified, timeout=20_000):
        window.actions_.verify.trigger()
    assert window.banner.alarmed and window.banner.label.text() == BANNER
    assert not window.actions_.deposit.isEnabled()


def test_a_book_the_store_refuses_to_open_for_writing_opens_read_only_saying_why(
    household_book: Path, launcher: Launcher, monkeypatch: pytest.MonkeyPatch, qtbot: Any
) -> None:
    # the store refuses to write a book it knows is broken; reading it is still allowed
    opened = Book.open

    def refuse_writing(path: Path, **kwargs: Any) -> Book:
        if not kwargs.get("readonly"):
            raise DamagedBook(f"{Path(path).name} is damaged: database disk image is malformed")
        return opened(path, **kwargs)

    monkeypatch.setattr(Book, "open", refuse_writing)
    window = launcher.show_book(household_book)
    assert window.banner.alarmed and window.read_only
    assert window.banner.label.text().startswith(
        "This book's history is broken (damaged). It is open read-only"
    )
    assert not any(action.isEnabled() for action in window.actions_.editing)
    assert session_of(window).book.readonly
    checked(window, qtbot)  # its chain is intact: that does not make it writable
    assert window.read_only and window.status.integrity_label.text() == "Integrity: DAMAGED"
