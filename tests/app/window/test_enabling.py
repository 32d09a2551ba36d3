"""Commands are offered only where they can act; a disabled one says why in its status tip."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from app_helpers import DAY, open_account
from PySide6.QtCore import Qt

from app.dialogs.open_account import OpenAccountDialog
from app.window.enabling import NO_ACCOUNT, NO_ASSET, NO_OPEN, NO_PAIR, NO_TWO
from app.window.main_window import MainWindow
from domain.model.commands import CloseAccount, Command
from domain.model.events import AccountType

Window = Callable[[Path], MainWindow]


def test_an_empty_book_offers_only_open_account(
    book_path: Path, open_window: Window, qtbot: Any
) -> None:
    window = open_window(book_path)
    a = window.actions_
    assert a.open_account.isEnabled()
    expected = {
        a.deposit: NO_ASSET, a.withdraw: NO_ASSET, a.transfer: NO_PAIR, a.split: NO_TWO,
        a.rename: NO_ACCOUNT, a.close_account: NO_OPEN, a.reconcile: NO_ACCOUNT,
        a.move_account: NO_ACCOUNT, a.import_statement: NO_ACCOUNT, a.undo_import: NO_ACCOUNT,
    }  # fmt: skip
    for action, why in expected.items():
        assert not action.isEnabled(), action.text()
        assert action.statusTip() == why

    # the first account, opened through the dialog, enables what can act on it
    a.open_account.trigger()
    dialog = window.dialogs.current
    assert isinstance(dialog, OpenAccountDialog)
    qtbot.keyClicks(dialog.name, "Checking")
    dialog.choose_type(AccountType.ASSET)
    dialog.currency.setCurrentText("EUR")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert window.dialogs.current is None
    for action in (a.deposit, a.withdraw, a.rename, a.close_account, a.reconcile,
                   a.move_account, a.import_statement, a.undo_import):  # fmt: skip
        assert action.isEnabled(), action.text()
        assert action.statusTip() == ""
    assert not a.transfer.isEnabled() and not a.split.isEnabled()  # one account is not two


def test_closed_accounts_only_leave_rename(
    make_book: Callable[[list[Command]], Path], open_window: Window
) -> None:
    old = open_account("Old", AccountType.ASSET)
    window = open_window(make_book([old, CloseAccount(account_id=old.account_id, closed_on=DAY)]))
    a = window.actions_
    assert a.rename.isEnabled()
    for action in (a.deposit, a.withdraw, a.transfer, a.split, a.close_account, a.reconcile):
        assert not action.isEnabled(), action.text()
