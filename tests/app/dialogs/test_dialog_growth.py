"""A refusal shown in a dialog makes the dialog taller; the form's fields keep their size."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from app_helpers import DAY, household
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from app.dialogs.base import CommandDialog
from app.dialogs.deposit_withdraw import EntryDialog
from app.dialogs.void import VoidEntryDialog
from app.models.register import COL_PAYEE
from app.window.main_window import MainWindow
from domain.model.commands import Command, OpenAccount, Withdraw

Window = Callable[[Path], MainWindow]


def heights(fields: list[QWidget]) -> list[int]:
    return [field.height() for field in fields]


def refuse_and_check(qtbot: Any, dialog: CommandDialog, fields: list[QWidget]) -> None:
    """Press OK on a form the books refuse: the dialog grows to show all of the message."""
    qtbot.waitUntil(dialog.isVisible)
    before_fields, before_height = heights(fields), dialog.height()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.error_text()
    assert len(dialog.error_text()) > 60  # a long message, wrapped over lines
    qtbot.waitUntil(lambda: dialog.height() > before_height)
    assert heights(fields) == before_fields
    message = dialog.message
    assert message.height() >= message.heightForWidth(message.width())


def test_a_refused_withdrawal_grows_the_dialog_not_squeezes_the_form(
    make_book: Callable[[list[Command]], Path], open_window: Window, qtbot: Any
) -> None:
    window = open_window(make_book(household()))  # Checking: 1,054.50, no overdraft
    window.actions_.withdraw.trigger()
    dialog = window.dialogs.current
    assert isinstance(dialog, EntryDialog)
    dialog.account.select(next(a.account_id for a in dialog.account._all if a.name == "Checking"))
    qtbot.keyClicks(dialog.amount, "5,000.00")
    refuse_and_check(
        qtbot, dialog, [dialog.account, dialog.category, dialog.amount, dialog.payee, dialog.memo]
    )


def test_a_refused_void_grows_the_dialog_not_squeezes_the_form(
    make_book: Callable[[list[Command]], Path], open_window: Window, qtbot: Any
) -> None:
    commands = household()
    checking, groceries = commands[0], commands[2]
    assert isinstance(checking, OpenAccount) and isinstance(groceries, OpenAccount)
    rent = Withdraw(account_id=checking.account_id, expense_account_id=groceries.account_id,
                    amount=Decimal("1000.00"), booking_date=DAY)  # fmt: skip
    window = open_window(make_book([*commands, rent]))  # voiding the salary overdraws Checking
    table = window.register_panel.table
    model = table.model()
    row = next(
        r for r in range(model.rowCount())
        if model.data(model.index(r, COL_PAYEE)) == "Employer"
    )  # fmt: skip
    table.selectRow(row)
    window.actions_.void.trigger()
    dialog = window.dialogs.current
    assert isinstance(dialog, VoidEntryDialog)
    refuse_and_check(qtbot, dialog, [dialog.voided_on, dialog.reason])
