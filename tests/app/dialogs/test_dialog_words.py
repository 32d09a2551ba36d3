"""The words the dialogs and the status bar use: entry nouns in titles, what was recorded."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from app_helpers import DAY, household
from PySide6.QtCore import Qt

from app.dialogs.deposit_withdraw import EntryDialog
from app.dialogs.entry_form import EntryFormDialog
from app.window.main_window import MainWindow
from domain.model.commands import Command, OpenAccount, PostSplitEntry, SplitLine, Transfer

Window = Callable[[Path], MainWindow]


def every_kind() -> list[Command]:
    """The household (a deposit and a withdrawal into Checking), a transfer and a split."""
    commands = household()
    checking, _salary, groceries, savings = commands[:4]
    assert isinstance(checking, OpenAccount) and isinstance(savings, OpenAccount)
    assert isinstance(groceries, OpenAccount)
    return [
        *commands,
        Transfer(from_account_id=checking.account_id, to_account_id=savings.account_id,
                 amount=Decimal("10.00"), booking_date=DAY),
        PostSplitEntry(booking_date=DAY, lines=(
            SplitLine(account_id=groceries.account_id, amount=Decimal("3.00")),
            SplitLine(account_id=checking.account_id, amount=Decimal("-3.00")),
        )),
    ]  # fmt: skip


def test_correct_titles_name_the_entry_of_every_kind(
    make_book: Callable[[list[Command]], Path], open_window: Window, qtbot: Any
) -> None:
    window = open_window(make_book(every_kind()))
    checking = next(a for a in window.accounts_view.model().accounts() if a.name == "Checking")
    window.accounts_view.select_account(checking.account_id)
    table = window.register_panel.table
    titles = set()
    for row in range(1, table.model().rowCount()):  # row 0: the opening balance
        table.selectRow(row)
        window.actions_.correct.trigger()
        dialog = window.dialogs.current
        assert isinstance(dialog, EntryFormDialog)
        titles.add(dialog.windowTitle())
        dialog.reject()
        qtbot.waitUntil(lambda: window.dialogs.current is None)
    assert titles == {
        "Correct Deposit",
        "Correct Withdrawal",
        "Correct Transfer",
        "Correct Split Entry",
    }


def test_the_status_bar_says_what_was_recorded(
    make_book: Callable[[list[Command]], Path], open_window: Window, qtbot: Any
) -> None:
    window = open_window(make_book(household()))
    window.actions_.withdraw.trigger()
    dialog = window.dialogs.current
    assert isinstance(dialog, EntryDialog)
    dialog.account.select(next(a.account_id for a in dialog.account._all if a.name == "Checking"))
    qtbot.keyClicks(dialog.amount, "45.00")
    qtbot.keyClicks(dialog.payee, "Market")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert window.dialogs.current is None
    message = window.status.currentMessage()
    assert message == "Recorded: Withdrawal €45.00 from Checking to Groceries — Market"
    assert "(s)" not in message


def test_a_void_and_a_correction_say_what_they_recorded(
    make_book: Callable[[list[Command]], Path], open_window: Window, qtbot: Any
) -> None:
    window = open_window(make_book(household()))
    groceries = next(a for a in window.accounts_view.model().accounts() if a.name == "Groceries")
    window.accounts_view.select_account(groceries.account_id)
    window.register_panel.table.selectRow(0)  # the market's 45.50
    window.actions_.correct.trigger()
    dialog = window.dialogs.current
    assert isinstance(dialog, EntryDialog)
    dialog.amount.clear()
    qtbot.keyClicks(dialog.amount, "40.00")
    qtbot.keyClicks(dialog.reason, "wrong amount")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert window.dialogs.current is None
    assert window.status.currentMessage() == (
        "Recorded: Void of withdrawal €45.50 from Checking to Groceries — Market (wrong amount); "
        "Withdrawal €40.00 from Checking to Groceries — Market"
    )
