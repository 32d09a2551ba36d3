"""The domain's text rules reach the dialogs: a name with an invisible character, or one too
long, is said before OK (by the rule itself); other text the books refuse is shown in red after
OK, and the dialog stays open with the input intact."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from app_helpers import household
from PySide6.QtCore import Qt

from app.dialogs.account_edit import RenameAccountDialog
from app.dialogs.deposit_withdraw import EntryDialog
from app.dialogs.open_account import OpenAccountDialog
from app.window.main_window import MainWindow
from domain.model.commands import Command
from domain.model.guards import MAX_NAME, MAX_TEXT

Window = Callable[[Path], MainWindow]


def names(window: MainWindow) -> list[str]:
    return [a.name for a in window.accounts_view.model().accounts()]


def test_rename_to_a_name_with_a_zero_width_space_is_refused_before_ok(
    make_book: Callable[[list[Command]], Path], open_window: Window, qtbot: Any
) -> None:
    window = open_window(make_book(household()))
    before = names(window)
    window.actions_.rename.trigger()
    dialog = window.dialogs.current
    assert isinstance(dialog, RenameAccountDialog)
    dialog.new_name.setText("Pocket\u200bmoney")
    assert not dialog.ok_button.isEnabled()
    assert "invisible format character (U+200B) at character 7" in dialog.message.text()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and names(window) == before
    dialog.new_name.setText("Pocket money")
    assert dialog.ok_button.isEnabled()
    dialog.reject()


def test_open_account_with_a_name_too_long_is_refused_before_ok(
    make_book: Callable[[list[Command]], Path], open_window: Window
) -> None:
    window = open_window(make_book(household()))
    window.actions_.open_account.trigger()
    dialog = window.dialogs.current
    assert isinstance(dialog, OpenAccountDialog)
    dialog.currency.setCurrentText("EUR")
    dialog.name.setText("n" * (MAX_NAME + 1))
    assert not dialog.ok_button.isEnabled()
    assert f"the limit is {MAX_NAME}" in dialog.message.text()
    dialog.name.setText("n" * MAX_NAME)
    assert dialog.ok_button.isEnabled()
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


def test_a_memo_the_books_refuse_is_shown_in_the_dialog_after_ok(
    make_book: Callable[[list[Command]], Path], open_window: Window, qtbot: Any
) -> None:
    window = open_window(make_book(household()))
    window.actions_.withdraw.trigger()
    dialog = window.dialogs.current
    assert isinstance(dialog, EntryDialog)
    qtbot.keyClicks(dialog.amount, "5.00")
    dialog.memo.setText("m" * (MAX_TEXT + 1))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert f"the limit is {MAX_TEXT}" in dialog.error_text()
    dialog.payee.setText("esc\x1b")
    dialog.memo.setText("fine")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert "control character (U+001B)" in dialog.error_text()
    dialog.reject()
