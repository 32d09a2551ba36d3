"""Where the keyboard lands in the command dialogs: typing goes to the field it is meant for."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from app_helpers import household
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from app.dialogs.account_edit import RenameAccountDialog
from app.dialogs.split import SplitEntryDialog
from app.window.main_window import MainWindow
from domain.model.commands import Command

Window = Callable[[Path], MainWindow]


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def test_rename_opens_on_the_name_so_typing_and_enter_rename(
    make_book: Callable[[list[Command]], Path], open_window: Window, qtbot: Any
) -> None:
    window = open_window(make_book(household()))
    window.actions_.rename.trigger()  # F2
    dialog = window.dialogs.current
    assert isinstance(dialog, RenameAccountDialog)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.new_name)
    assert dialog.new_name.selectedText() == dialog.new_name.text() != ""
    qtbot.keyClicks(focused(), "Current Account")  # replaces the selected old name
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    assert window.dialogs.current is None
    names = {row.name for row in window.accounts_view.model().accounts()}
    assert "Current Account" in names


def test_split_add_line_moves_the_keyboard_to_the_new_line(
    make_book: Callable[[list[Command]], Path], open_window: Window, qtbot: Any
) -> None:
    window = open_window(make_book(household()))
    window.actions_.split.trigger()
    dialog = window.dialogs.current
    assert isinstance(dialog, SplitEntryDialog)
    qtbot.waitUntil(dialog.isVisible)
    first = dialog.lines[0].account.currentText()
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert len(dialog.lines) == 3
    new = dialog.lines[2]
    qtbot.waitUntil(lambda: QApplication.focusWidget() is new.account)
    qtbot.keyClicks(focused(), "Sav")  # types into the new line's account, not line 1's
    assert new.account.currentText().startswith("Savings")
    assert dialog.lines[0].account.currentText() == first


def test_void_close_and_reconcile_open_on_their_first_field_not_a_button(
    make_book: Callable[[list[Command]], Path], open_window: Window, qtbot: Any
) -> None:
    window = open_window(make_book(household()))
    window.register_panel.table.selectRow(1)
    a = window.actions_
    expected = {a.void: "reason", a.close_account: "account", a.reconcile: "balance"}
    for action, field in expected.items():
        action.trigger()
        dialog = window.dialogs.current
        assert dialog is not None
        qtbot.waitUntil(lambda d=dialog, f=field: QApplication.focusWidget() is getattr(d, f))
        assert dialog.ok_button.isDefault()  # Enter means OK, wherever the keyboard is
        dialog.reject()
        qtbot.waitUntil(lambda: window.dialogs.current is None)
