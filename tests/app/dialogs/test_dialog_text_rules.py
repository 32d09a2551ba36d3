"""The domain's text rules reach the dialogs: a name with an invisible character, or text
too long, is refused in the dialog, which stays open with the input intact."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from app_helpers import household
from PySide6.QtCore import Qt

from app.dialogs.account_edit import RenameAccountDialog
from app.dialogs.open_account import OpenAccountDialog
from app.window.main_window import MainWindow
from domain.model.commands import Command
from domain.model.guards import MAX_NAME

Window = Callable[[Path], MainWindow]


def names(window: MainWindow) -> list[str]:
    return [a.name for a in window.accounts_view.model().accounts()]


def test_rename_to_a_name_with_a_zero_width_space_is_refused_in_the_dialog(
    make_book: Callable[[list[Command]], Path], open_window: Window, qtbot: Any
) -> None:
    window = open_window(make_book(household()))
    before = names(window)
    window.actions_.rename.trigger()
    dialog = window.dialogs.current
    assert isinstance(dialog, RenameAccountDialog)
    dialog.new_name.setText("Pocket\u200bmoney")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert "U+200B" in dialog.error_text()
    assert dialog.new_name.text() == "Pocket\u200bmoney"
    assert names(window) == before
    dialog.reject()


def test_open_account_with_a_name_too_long_is_refused_in_the_dialog(
    make_book: Callable[[list[Command]], Path], open_window: Window, qtbot: Any
) -> None:
    window = open_window(make_book(household()))
    window.actions_.open_account.trigger()
    dialog = window.dialogs.current
    assert isinstance(dialog, OpenAccountDialog)
    dialog.name.setText("n" * (MAX_NAME + 1))
    dialog.currency.setCurrentText("EUR")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert f"the limit is {MAX_NAME}" in dialog.error_text()
    dialog.reject()


def test_an_account_opened_with_a_decomposed_name_is_shown_composed(
    make_book: Callable[[list[Command]], Path], open_window: Window, qtbot: Any
) -> None:
    window = open_window(make_book(household()))
    window.actions_.open_account.trigger()
    dialog = window.dialogs.current
    assert isinstance(dialog, OpenAccountDialog)
    dialog.name.setText("Cafe\u0301")
    dialog.currency.setCurrentText("EUR")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert "Caf\u00e9" in names(window)
