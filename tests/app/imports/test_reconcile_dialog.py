"""Entry ▸ Reconcile Account… through the real window: tick entries until the difference is
zero, Finish records the reconciliation; an imported statement's closing balance is offered."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app_helpers import balance, household, open_account
from PySide6.QtCore import Qt
from test_import_statement import CSV, OFX, read_file, select, through_mapping

from app.dialogs.import_preview import ImportPreviewDialog
from app.dialogs.reconcile import ReconcileDialog
from app.formatting import from_qdate, to_qdate
from app.models.register import COL_PAYEE, COL_STATUS, NOT_CLEARED, StatusRegisterModel
from app.window.main_window import MainWindow
from domain.model.commands import Command
from domain.model.events import AccountType

Window = Callable[[Path], MainWindow]


def reconcile_dialog(window: MainWindow) -> ReconcileDialog:
    window.actions_.reconcile.trigger()
    dialog = window.dialogs.current
    assert isinstance(dialog, ReconcileDialog)
    return dialog


def test_ticking_the_entries_until_the_difference_is_zero_lets_finish_record_it(
    open_window: Window, make_book: Callable[[list[Command]], Path], qtbot: Any
) -> None:
    window = open_window(make_book(household()))
    select(window, "Checking")
    dialog = reconcile_dialog(window)
    assert dialog.entries.rowCount() == 3  # the opening balance, the deposit, the withdrawal
    dialog.balance.setText("1054.50")
    assert dialog.difference.text() == "€1,054.50" and not dialog.ok_button.isEnabled()
    for row in range(2):
        dialog.set_cleared(row)
    assert dialog.difference.text() == "-€45.50"  # 1,054.50 - (100 + 1,000)
    assert "until the difference is zero" in dialog.message.text()
    dialog.set_cleared(2)
    assert dialog.difference.text() == "€0.00" and dialog.ok_button.isEnabled()
    head = window._parts.travel.head
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert window.dialogs.current is None
    assert window._parts.travel.head == head + 1
    again = reconcile_dialog(window)  # what is reconciled is not offered again
    assert again.entries.rowCount() == 0
    again.balance.setText("1054.50")
    assert again.difference.text() == "€0.00"


def test_an_imported_statements_closing_balance_is_offered(
    open_window: Window, make_book: Callable[[list[Command]], Path], qtbot: Any
) -> None:
    checking = open_account("Checking", AccountType.ASSET, "20.00")
    checking = type(checking)(**{**checking.__dict__, "opening_date": dt.date(2024, 1, 1)})
    window = open_window(make_book([checking]))
    select(window, "Checking")
    read_file(qtbot, window, OFX)
    preview = window.imports.preview
    assert isinstance(preview, ImportPreviewDialog)
    qtbot.mouseClick(preview.import_button, Qt.MouseButton.LeftButton)
    dialog = reconcile_dialog(window)
    assert dialog.balance.text() == "1,975.00"
    assert from_qdate(dialog.statement_date.date()) == dt.date(2024, 2, 29)
    for row in range(dialog.entries.rowCount()):
        dialog.set_cleared(row)
    # the statement's own balances do not match this book's: the difference says by how much
    assert dialog.difference.text() == "€480.00" and not dialog.ok_button.isEnabled()


def test_undoing_an_import_after_reconciling_keeps_the_reconciled_entries_and_says_why(
    open_window: Window, make_book: Callable[[list[Command]], Path], qtbot: Any
) -> None:
    window = open_window(make_book(household()))
    select(window, "Checking")
    read_file(qtbot, window, CSV)
    qtbot.mouseClick(through_mapping(qtbot, window).import_button, Qt.MouseButton.LeftButton)
    dialog = reconcile_dialog(window)
    dialog.statement_date.setDate(to_qdate(dt.date(2024, 3, 31)))
    dialog.balance.setText("1344.50")
    for row in range(dialog.entries.rowCount()):
        dialog.set_cleared(row)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert window.dialogs.current is None
    register = window._parts.register
    landlord = next(
        r for n in range(register.rowCount()) if (r := register.row_at(n)) and r.payee == "Landlord"
    )
    import_id = landlord.entry_id.rpartition("-")[0]
    assert window.imports.undo_import(import_id)
    message = window.status.currentMessage()
    assert message.startswith(f"Import {import_id} undone: 0 entries voided; 5 kept (")
    assert "reconciled" in message
    assert balance(window, "Checking") == "€1,344.50"


def test_the_registers_status_column_says_not_cleared_cleared_or_reconciled(
    open_window: Window, make_book: Callable[[list[Command]], Path], qtbot: Any, qtmodeltester: Any
) -> None:
    window = open_window(make_book(household()))
    select(window, "Checking")
    register = window._parts.register
    assert isinstance(register, StatusRegisterModel)

    def statuses() -> dict[str, str]:
        return {
            str(register.index(n, COL_PAYEE).data()): str(register.index(n, COL_STATUS).data())
            for n in range(register.rowCount())
        }

    assert set(statuses().values()) == {NOT_CLEARED}
    read_file(qtbot, window, CSV)
    qtbot.mouseClick(through_mapping(qtbot, window).import_button, Qt.MouseButton.LeftButton)
    found = statuses()
    assert found["Market"] == "cleared"  # typed by hand, linked to the statement's row
    assert found["Landlord"] == "cleared" and found["Opening balance"] == NOT_CLEARED
    qtmodeltester.check(register)
    dialog = reconcile_dialog(window)
    dialog.statement_date.setDate(to_qdate(dt.date(2024, 3, 31)))
    dialog.balance.setText("1344.50")
    for row in range(dialog.entries.rowCount()):
        dialog.set_cleared(row)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert set(statuses().values()) == {"reconciled"}
