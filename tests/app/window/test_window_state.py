"""The window's state beyond one command: read-only books, the About box, what Void allows."""

from __future__ import annotations

from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

from app_helpers import DAY, household, open_account

from app.composition import Book
from app.desktop.book_session import BookSession
from app.desktop.launcher import Access, Launcher
from app.window.main_window import MainWindow
from domain.model.commands import Command, VoidEntry
from domain.model.events import AccountType
from tests.app.conftest import MessageBoxes


def test_a_read_only_book_shows_why_and_allows_no_editing(
    make_book: Callable[[list[Command]], Path], launcher: Launcher
) -> None:
    note = "Opened read-only: it is open for writing in another Tallybook."
    path = make_book(household())
    window = launcher.show_book(path, Access(read_only=True, note=note))
    # ends with the app's name: Qt on X11 and Windows appends the display name to any title
    # that does not ("… (read-only) — Tallybook" twice over)
    assert window.windowTitle() == f"{path.stem} (read-only) — Tallybook"
    assert window.banner.isVisibleTo(window) and window.banner.label.text() == note
    assert not any(action.isEnabled() for action in window.actions_.editing)
    assert window.actions_.verify.isEnabled()
    window.timeline.actions_.back.trigger()
    window.timeline.actions_.present.trigger()
    assert not window.actions_.deposit.isEnabled()
    assert window.banner.label.text() == note


def test_a_read_only_window_follows_what_the_writer_books(
    make_book: Callable[[list[Command]], Path], launcher: Launcher
) -> None:
    path = make_book(household())
    window = launcher.show_book(path, Access(read_only=True, note="read-only"))
    session = window.findChild(BookSession)
    assert session is not None and session.watcher.is_running()
    accounts = window.accounts_view.model()
    before = len(accounts.accounts())
    with Book.open(path) as writer:  # the Tallybook holding the book, or the CLI
        writer.service.execute(open_account("Rent", AccountType.EXPENSE))
        head = writer.store.head()[0]
    assert len(session.watcher.poll()) == 1
    assert len(accounts.accounts()) == before + 1
    assert accounts.index_of_account(accounts.accounts()[-1].account_id).isValid()
    assert session.travel.head == head


def test_about_names_the_installed_version(
    make_book: Callable[[list[Command]], Path],
    open_window: Callable[[Path], MainWindow],
    message_boxes: MessageBoxes,
) -> None:
    window = open_window(make_book(household()))
    window.actions_.about.trigger()
    (text,) = message_boxes.texts("about")
    assert f"Tallybook {metadata.version('tallybook')}" in text


def test_void_is_offered_only_for_entries_not_yet_voided(
    make_book: Callable[[list[Command]], Path], open_window: Callable[[Path], MainWindow]
) -> None:
    path = make_book(household())
    with Book.open(path) as book:
        groceries = next(a for a in book.read_models.accounts() if a.name == "Groceries")
        entry = book.read_models.register(groceries.account_id)[0]
        book.service.execute(VoidEntry(entry_id=entry.entry_id, voided_on=DAY))
    window = open_window(path)
    window.accounts_view.select_account(groceries.account_id)
    table = window.register_panel.table
    assert table.model().rowCount() == 2  # the struck-out entry and its reversal
    for row in (0, 1):
        table.selectRow(row)
        assert not window.actions_.void.isEnabled()


def test_shortcuts_follow_the_platform(
    make_book: Callable[[list[Command]], Path], open_window: Callable[[Path], MainWindow]
) -> None:
    from PySide6.QtGui import QKeySequence

    window = open_window(make_book(household()))
    a = window.actions_
    assert a.open_book.shortcuts() == QKeySequence.keyBindings(QKeySequence.StandardKey.Open)
    assert a.quit.shortcuts() == QKeySequence.keyBindings(QKeySequence.StandardKey.Quit)
    assert a.save_copy.shortcuts() == QKeySequence.keyBindings(QKeySequence.StandardKey.SaveAs)
    menus = [m.title() for m in window.menuBar().findChildren(type(window.recent_menu))]
    assert {"&File", "E&ntry", "&View", "&Help"} <= set(menus)


def test_empty_book_has_a_quiet_timeline(
    book_path: Path, open_window: Callable[[Path], MainWindow], qtbot: Any
) -> None:
    window = open_window(book_path)
    assert window.timeline.label.text() == "No events yet"
    assert not window.timeline.slider.isEnabled()
    hint = (
        "No accounts yet — open one with Entry ▸ Open Account (Ctrl+Shift+N), "
        "or try File ▸ New Sample Book… to explore."
    )
    assert hint in window.register_panel.title.text()
    assert window.actions_.open_account.shortcut().toString() == "Ctrl+Shift+N"
    # the first account opened: the hint has done its job
    window._parts.controller.execute(open_account("Checking", AccountType.ASSET))
    title = window.register_panel.title.text()
    assert "No accounts yet" not in title and ("Checking" in title or "Select an" in title), title


def test_an_empty_read_only_book_does_not_suggest_opening_an_account(
    book_path: Path, launcher: Launcher
) -> None:
    Book.create(book_path).close()
    window = launcher.show_book(book_path, Access(read_only=True, note="read-only"))
    title = window.register_panel.title.text()
    assert "No accounts in this book — try File ▸ New Sample Book… to explore." in title
    assert "Open Account" not in title


def test_double_clicking_a_voided_entry_shows_its_void_in_the_history(
    make_book: Callable[[list[Command]], Path],
    open_window: Callable[[Path], MainWindow],
    qtbot: Any,
) -> None:
    from PySide6.QtCore import Qt

    path = make_book(household())
    with Book.open(path) as book:
        groceries = next(a for a in book.read_models.accounts() if a.name == "Groceries")
        entry = book.read_models.register(groceries.account_id)[0]
        (void,) = book.service.execute(VoidEntry(entry_id=entry.entry_id, voided_on=DAY))
    window = open_window(path)
    window.accounts_view.select_account(groceries.account_id)
    table = window.register_panel.table
    struck = next(
        r
        for r in range(table.model().rowCount())
        if table.model().row_at(r).voided_by is not None  # type: ignore[attr-defined]
    )
    window.history_dock.hide()
    cell = table.visualRect(table.model().index(struck, 1)).center()
    # a real double-click: press/release, then the double-click event at the same place
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    assert window.history_dock.isVisibleTo(window)
    assert window.history_dock.selected_position() == void.position
    assert window.timeline.slider.value() == void.position  # the present: cursor unmoved


def test_a_first_window_fits_a_small_screen(
    make_book: Callable[[list[Command]], Path], open_window: Callable[[Path], MainWindow]
) -> None:
    window = open_window(make_book(household()))  # no saved geometry: the first size
    room = window.screen().availableGeometry().size()
    assert room.width() < 1360 or room.height() < 860, "the test needs a screen below 1360×860"
    assert window.width() <= room.width() and window.height() <= room.height()


def test_each_menu_of_the_bar_has_a_key_of_its_own(
    make_book: Callable[[list[Command]], Path], open_window: Callable[[Path], MainWindow]
) -> None:
    """Alt+letter opens one menu: Edit and Entry both on Alt+E made it cycle between them."""
    window = open_window(make_book(household()))
    titles = [a.text() for a in window.menuBar().actions() if a.isVisible()]
    keys = [t[t.index("&") + 1].lower() for t in titles]
    assert len(keys) == len(titles) and len(set(keys)) == len(keys), titles


def test_within_each_menu_every_item_has_a_key_of_its_own(
    make_book: Callable[[list[Command]], Path], open_window: Callable[[Path], MainWindow]
) -> None:
    """Correct Entry and Close Account were both on C, Open Recent and Rebuild Views on R."""
    window = open_window(make_book(household()))
    for menu_action in window.menuBar().actions():
        menu = menu_action.menu()
        titles = [a.text() for a in menu.actions() if "&" in a.text()]
        keys = [t[t.index("&") + 1].lower() for t in titles]
        assert len(set(keys)) == len(keys), (menu_action.text(), titles)
