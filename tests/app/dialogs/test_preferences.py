"""Edit ▸ Preferences…: driven by qtbot in the real window; saved, and applied (the author in
the next event's metadata, dates, the week, the new entries' date, the default currency)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from app_helpers import DAY, household
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QComboBox

from app.composition import Book, default_author
from app.desktop.launcher import Launcher
from app.desktop.settings import AppSettings
from app.dialogs.deposit_withdraw import EntryDialog
from app.dialogs.open_account import OpenAccountDialog
from app.dialogs.preferences import PreferencesDialog
from app.models.register import COL_DATE
from app.preferences import EntryDate, Preferences
from app.window.main_window import MainWindow
from domain.model.commands import Command

Window = Callable[[Path], MainWindow]


@pytest.fixture
def window(make_book: Callable[[list[Command]], Path], open_window: Window) -> MainWindow:
    return open_window(make_book(household()))


def open_preferences(window: MainWindow, qtbot: Any) -> PreferencesDialog:
    window.actions_.preferences.trigger()
    (dialog,) = [d for d in window.findChildren(PreferencesDialog) if d.isVisible()]
    qtbot.waitExposed(dialog)
    return dialog


def pick(combo: QComboBox, data: object) -> None:
    combo.setCurrentIndex(combo.findData(data))


def ok(qtbot: Any, dialog: PreferencesDialog) -> None:
    assert dialog.ok_button.isEnabled(), dialog.message.text()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)


def last_author(book: Path) -> str:
    with Book.open(book, readonly=True) as opened:
        return str(list(opened.store.read_all())[-1].metadata["author"])


def deposit(window: MainWindow, qtbot: Any, amount: str = "10.00") -> EntryDialog:
    accounts = window.accounts_view.model().accounts()
    checking = next(a for a in accounts if a.name == "Checking")
    window.accounts_view.select_account(checking.account_id)
    window.actions_.deposit.trigger()
    dialog = window.dialogs.current
    assert isinstance(dialog, EntryDialog)
    if amount:
        qtbot.keyClicks(dialog.amount, amount)
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        assert window.dialogs.current is None
    return dialog


def test_the_edit_menu_has_preferences_with_the_platforms_role(window: MainWindow) -> None:
    menus = {a.text(): a.menu() for a in window.menuBar().actions()}
    assert window.actions_.preferences in menus["&Edit"].actions()  # type: ignore[union-attr]
    role = window.actions_.preferences.menuRole()
    assert role is QAction.MenuRole.PreferencesRole


def test_the_author_name_goes_into_the_next_events_metadata(
    window: MainWindow, qtbot: Any, book_path: Path
) -> None:
    assert last_author(book_path) == default_author()  # the OS login, before
    dialog = open_preferences(window, qtbot)
    assert dialog.author.placeholderText() == (default_author() or "your name")
    qtbot.keyClicks(dialog.author, "Ada Lovelace")
    ok(qtbot, dialog)
    deposit(window, qtbot)
    assert last_author(book_path) == "Ada Lovelace"
    # cleared, the login name is recorded again
    dialog = open_preferences(window, qtbot)
    dialog.author.clear()
    ok(qtbot, dialog)
    deposit(window, qtbot)
    assert last_author(book_path) == default_author()


def test_preferences_persist_and_apply_in_a_new_launcher(
    tmp_path: Path, window: MainWindow, qtbot: Any, settings: AppSettings, book_path: Path
) -> None:
    dialog = open_preferences(window, qtbot)
    dialog.currency.setCurrentText("CHF")
    pick(dialog.dates, True)
    pick(dialog.first_day, 1)
    pick(dialog.entry_date, EntryDate.LAST_USED.value)
    qtbot.keyClicks(dialog.author, "Treasurer")
    ok(qtbot, dialog)
    saved = Preferences(currency="CHF", iso_dates=True, first_day_of_week=1,
                        entry_date=EntryDate.LAST_USED, author="Treasurer")  # fmt: skip
    reread = AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    assert reread.preferences() == saved
    window.close()
    other = Launcher(reread)  # a later run: the preferences are in effect from the start
    try:
        again = other.show_book(book_path)
        deposit(again, qtbot)
        assert last_author(book_path) == "Treasurer"
    finally:
        for opened in list(other.windows.values()):
            opened.close()


def test_iso_dates_in_the_register_and_the_date_fields(window: MainWindow, qtbot: Any) -> None:
    register = window.register_panel.table.model()
    accounts = window.accounts_view.model().accounts()
    checking = next(a for a in accounts if a.name == "Checking")
    window.accounts_view.select_account(checking.account_id)
    assert register.data(register.index(0, COL_DATE)) == "3/1/2024"  # en_US
    dialog = open_preferences(window, qtbot)
    pick(dialog.dates, True)
    pick(dialog.first_day, 1)  # Monday, where en_US starts on Sunday
    ok(qtbot, dialog)
    assert register.data(register.index(0, COL_DATE)) == DAY.isoformat()
    entry = deposit(window, qtbot, amount="")
    assert entry.date.displayFormat() == "yyyy-MM-dd"
    assert entry.date.calendarWidget().firstDayOfWeek() is Qt.DayOfWeek.Monday  # type: ignore[union-attr]


def test_new_entries_start_at_the_last_date_used_when_preferred(
    window: MainWindow, qtbot: Any
) -> None:
    dialog = open_preferences(window, qtbot)
    pick(dialog.entry_date, EntryDate.LAST_USED.value)
    ok(qtbot, dialog)
    first = deposit(window, qtbot, amount="")
    assert first.booking_date() == dt.date.today()  # nothing recorded yet this session
    first.date.setDate(first.date.date().addDays(-40))
    day = first.booking_date()
    qtbot.keyClicks(first.amount, "5.00")
    qtbot.mouseClick(first.ok_button, Qt.MouseButton.LeftButton)
    assert deposit(window, qtbot, amount="").booking_date() == day
    window.dialogs.current.reject()  # type: ignore[union-attr]
    # and by default, today
    dialog = open_preferences(window, qtbot)
    pick(dialog.entry_date, EntryDate.TODAY.value)
    ok(qtbot, dialog)
    assert deposit(window, qtbot, amount="").booking_date() == dt.date.today()


def test_the_default_currency_goes_to_open_account(window: MainWindow, qtbot: Any) -> None:
    window.actions_.open_account.trigger()
    before = window.dialogs.current
    assert isinstance(before, OpenAccountDialog)
    assert before.currency.currentText() == "EUR"  # what the book's accounts use
    before.reject()
    dialog = open_preferences(window, qtbot)
    dialog.currency.setCurrentText("GBP")
    ok(qtbot, dialog)
    window.actions_.open_account.trigger()
    after = window.dialogs.current
    assert isinstance(after, OpenAccountDialog)
    assert after.currency.currentText() == "GBP"


def test_a_bad_currency_or_author_keeps_ok_disabled_with_a_reason(
    window: MainWindow, qtbot: Any
) -> None:
    dialog = open_preferences(window, qtbot)
    dialog.currency.setCurrentText("XYZ")
    assert not dialog.ok_button.isEnabled()
    assert dialog.message.text().startswith("Default currency:")
    dialog.currency.setCurrentText("EUR")
    qtbot.keyClicks(dialog.author, "x" * 101)
    assert not dialog.ok_button.isEnabled()
    assert "author name" in dialog.message.text()
