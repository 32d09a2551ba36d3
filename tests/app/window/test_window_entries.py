"""Posting through the real main window's dialogs: open accounts, deposit, withdraw, and more."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from app_helpers import DAY, balance, household, open_account
from PySide6.QtCore import Qt

from app.dialogs.account_edit import CloseAccountDialog, RenameAccountDialog
from app.dialogs.deposit_withdraw import EntryDialog
from app.dialogs.entry_form import CLOSED_ACCOUNT, UNCHANGED, EntryFormDialog
from app.dialogs.open_account import OpenAccountDialog
from app.dialogs.split import SplitEntryDialog
from app.dialogs.transfer import TransferDialog
from app.dialogs.void import VoidEntryDialog
from app.models.history import COL_SUMMARY, COL_TYPE
from app.window.enabling import CLOSED
from app.window.main_window import MainWindow
from domain.model.commands import (
    CloseAccount,
    Command,
    PostSplitEntry,
    SplitLine,
    Transfer,
    Withdraw,
)
from domain.model.events import AccountType

Window = Callable[[Path], MainWindow]
DISPLAY = Qt.ItemDataRole.DisplayRole


def head(window: MainWindow) -> int:
    return window.timeline.slider.maximum()


def open_account_via_dialog(
    window: MainWindow, qtbot: Any, name: str, kind: AccountType, opening: str = ""
) -> None:
    window.actions_.open_account.trigger()
    dialog = window.dialogs.current
    assert isinstance(dialog, OpenAccountDialog)
    qtbot.keyClicks(dialog.name, name)
    dialog.choose_type(kind)
    dialog.currency.setCurrentText("EUR")
    if opening:
        qtbot.keyClicks(dialog.opening_balance, opening)
    assert dialog.ok_button.isEnabled(), dialog.message.text()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert window.dialogs.current is None


def test_open_accounts_and_post_entries_through_dialogs(
    book_path: Path, open_window: Window, qtbot: Any
) -> None:
    window = open_window(book_path)
    open_account_via_dialog(window, qtbot, "Checking", AccountType.ASSET, "1,250.50")
    open_account_via_dialog(window, qtbot, "Salary", AccountType.INCOME)
    open_account_via_dialog(window, qtbot, "Groceries", AccountType.EXPENSE)
    assert balance(window, "Checking") == "€1,250.50"

    window.accounts_view.select_account(window.accounts_view.model().accounts()[0].account_id)
    window.actions_.deposit.trigger()
    deposit = window.dialogs.current
    assert isinstance(deposit, EntryDialog)
    assert deposit.account.currentText().startswith("Checking")
    assert deposit.category.currentText().startswith("Salary")  # income only
    qtbot.keyClicks(deposit.amount, "2,000.00")
    qtbot.keyClicks(deposit.payee, "Employer")
    qtbot.mouseClick(deposit.ok_button, Qt.MouseButton.LeftButton)

    window.actions_.withdraw.trigger()
    withdraw = window.dialogs.current
    assert isinstance(withdraw, EntryDialog)
    assert withdraw.category.currentText().startswith("Groceries")  # expense only
    qtbot.keyClicks(withdraw.amount, "50.25")
    qtbot.mouseClick(withdraw.ok_button, Qt.MouseButton.LeftButton)

    assert balance(window, "Checking") == "€3,200.25"
    assert balance(window, "Groceries") == "€50.25"
    # the opening balance is an entry against Opening Balances, opened for it
    assert balance(window, "Opening Balances") == "€1,250.50"
    assert window.register_panel.table.model().rowCount() == 3
    assert head(window) == 7
    assert window.status.count_label.text() == "7 events"


def test_ok_stays_disabled_until_the_form_is_complete(
    book_path: Path, open_window: Window, qtbot: Any
) -> None:
    window = open_window(book_path)
    window.actions_.open_account.trigger()
    dialog = window.dialogs.current
    assert isinstance(dialog, OpenAccountDialog)
    assert not dialog.ok_button.isEnabled()
    assert "name" in dialog.message.text().lower()
    qtbot.keyClicks(dialog.name, "Cash")
    qtbot.keyClicks(dialog.opening_balance, "12.345")  # EUR has two decimals
    assert not dialog.ok_button.isEnabled()
    assert "decimals" in dialog.message.text()
    dialog.opening_balance.clear()
    assert dialog.ok_button.isEnabled()
    dialog.reject()


def test_the_open_account_dialog_says_where_the_opening_balance_goes(
    make_book: Callable[[list[Command]], Path], open_window: Window, qtbot: Any
) -> None:
    window = open_window(make_book(household()))  # Opening Balances (EUR) is open
    window.actions_.open_account.trigger()
    dialog = window.dialogs.current
    assert isinstance(dialog, OpenAccountDialog)
    qtbot.keyClicks(dialog.name, "Wallet")
    dialog.currency.setCurrentText("EUR")
    assert dialog.opening_note.text() == (
        "The other side goes to the equity account “Opening Balances”."
    )
    dialog.currency.setCurrentText("USD")
    assert dialog.opening_note.text() == (
        "The other side goes to a new equity account, “Opening Balances - USD”."
    )
    dialog.reject()


def test_an_opening_balance_with_nowhere_to_go_keeps_ok_disabled(
    make_book: Callable[[list[Command]], Path], open_window: Window, qtbot: Any
) -> None:
    taken = [
        open_account("Opening Balances", AccountType.ASSET),
        open_account("Opening Balances - EUR", AccountType.INCOME),
    ]
    window = open_window(make_book(taken))
    window.actions_.open_account.trigger()
    dialog = window.dialogs.current
    assert isinstance(dialog, OpenAccountDialog)
    qtbot.keyClicks(dialog.name, "Wallet")
    dialog.currency.setCurrentText("EUR")
    assert dialog.ok_button.isEnabled()  # at zero it opens
    qtbot.keyClicks(dialog.opening_balance, "10.00")
    assert not dialog.ok_button.isEnabled()
    assert dialog.message.text().startswith(
        "The opening balance of Wallet needs an open equity account in EUR"
    )
    assert dialog.opening_note.text() == ""
    dialog.reject()


def test_a_refused_withdrawal_is_shown_in_the_dialog_and_appends_nothing(
    make_book: Callable[[list[Command]], Path], open_window: Window, qtbot: Any
) -> None:
    window = open_window(make_book(household()))  # Checking: 1,054.50, no overdraft
    before = head(window)
    window.actions_.withdraw.trigger()
    dialog = window.dialogs.current
    assert isinstance(dialog, EntryDialog)
    dialog.account.select(next(a.account_id for a in dialog.account._all if a.name == "Checking"))
    qtbot.keyClicks(dialog.amount, "5,000.00")
    qtbot.keyClicks(dialog.memo, "too much")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert "overdraft" in dialog.error_text()
    assert dialog.amount.text() == "5,000.00" and dialog.memo.text() == "too much"
    assert head(window) == before
    assert balance(window, "Checking") == "€1,054.50"
    qtbot.keyClicks(dialog.amount, "\b" * 8 + "5.00")  # the user fixes it and tries again
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert balance(window, "Checking") == "€1,049.50"


def test_transfer_offers_only_other_accounts_in_the_same_currency(
    make_book: Callable[[list[Command]], Path], open_window: Window, qtbot: Any
) -> None:
    dollars = open_account("Dollars", AccountType.ASSET, "10.00", currency="USD")
    window = open_window(make_book([*household(), dollars]))
    window.actions_.transfer.trigger()
    dialog = window.dialogs.current
    assert isinstance(dialog, TransferDialog)
    dialog.source.select(next(a.account_id for a in dialog.source._all if a.name == "Checking"))
    targets = [dialog.target.itemText(i).split("  ")[0] for i in range(dialog.target.count())]
    assert "Checking" not in targets and "Dollars" not in targets and "Savings" in targets
    dialog.target.select(next(a.account_id for a in dialog.target._all if a.name == "Savings"))
    qtbot.keyClicks(dialog.amount, "4.50")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert balance(window, "Savings") == "€54.50"


def test_split_entry_shows_what_remains_to_balance(
    make_book: Callable[[list[Command]], Path], open_window: Window, qtbot: Any
) -> None:
    window = open_window(make_book(household()))
    window.actions_.split.trigger()
    dialog = window.dialogs.current
    assert isinstance(dialog, SplitEntryDialog)
    ids = {a.name: a.account_id for a in window.accounts_view.model().accounts()}
    first, second = dialog.lines
    first.account.select(ids["Groceries"])
    qtbot.keyClicks(first.debit, "30.00")
    second.account.select(ids["Checking"])
    qtbot.keyClicks(second.credit, "20.00")
    assert dialog.remaining_label.text() == "Remaining to balance: -€10.00"
    assert not dialog.ok_button.isEnabled()
    third = dialog.add_line()
    third.account.select(ids["Savings"])
    qtbot.keyClicks(third.credit, "10.00")
    assert dialog.remaining_label.text() == "Remaining to balance: €0.00 ✓"
    assert dialog.ok_button.isEnabled()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert balance(window, "Groceries") == "€75.50"
    assert balance(window, "Savings") == "€40.00"


def test_void_rename_and_close(
    make_book: Callable[[list[Command]], Path], open_window: Window, qtbot: Any
) -> None:
    window = open_window(make_book(household()))
    ids = {a.name: a.account_id for a in window.accounts_view.model().accounts()}
    window.accounts_view.select_account(ids["Groceries"])
    assert window.actions_.void.isEnabled() is False  # no entry selected yet
    window.register_panel.table.selectRow(0)
    window.actions_.void.trigger()
    void = window.dialogs.current
    assert isinstance(void, VoidEntryDialog)
    qtbot.keyClicks(void.reason, "wrong shop")
    qtbot.mouseClick(void.ok_button, Qt.MouseButton.LeftButton)
    assert balance(window, "Groceries") == "€0.00"

    window.actions_.rename.trigger()
    rename = window.dialogs.current
    assert isinstance(rename, RenameAccountDialog)
    assert rename.new_name.text() == "Groceries"
    rename.new_name.clear()
    qtbot.keyClicks(rename.new_name, "salary")
    assert "already exists" in rename.message.text()
    rename.new_name.clear()
    qtbot.keyClicks(rename.new_name, "Food")
    qtbot.mouseClick(rename.ok_button, Qt.MouseButton.LeftButton)
    assert balance(window, "Food") == "€0.00"

    window.actions_.close_account.trigger()
    close = window.dialogs.current
    assert isinstance(close, CloseAccountDialog)
    close.account.select(ids["Savings"])
    assert "€50.00" in close.balance_note.text()  # it offers to transfer the rest first
    close.account.select(ids["Groceries"])
    qtbot.mouseClick(close.ok_button, Qt.MouseButton.LeftButton)
    assert balance(window, "Food (closed)") == "€0.00"


def correct_selected(window: MainWindow, account: str, row: int) -> EntryFormDialog:
    ids = {a.name: a.account_id for a in window.accounts_view.model().accounts()}
    window.accounts_view.select_account(ids[account])
    window.register_panel.table.selectRow(row)
    assert window.actions_.correct.isEnabled()
    window.actions_.correct.trigger()
    dialog = window.dialogs.current
    assert isinstance(dialog, EntryFormDialog)
    return dialog


def test_correct_an_entry_in_the_dialog_that_posted_it(
    make_book: Callable[[list[Command]], Path], open_window: Window, qtbot: Any
) -> None:
    window = open_window(make_book(household()))
    assert window.actions_.correct.isEnabled() is False  # no entry selected yet
    dialog = correct_selected(window, "Groceries", 0)
    assert isinstance(dialog, EntryDialog)
    assert dialog.windowTitle() == "Correct Withdrawal"
    assert dialog.account.currentText().startswith("Checking")
    assert dialog.category.currentText().startswith("Groceries")
    assert (dialog.amount.text(), dialog.payee.text()) == ("45.50", "Market")
    # as it is, there is nothing to correct
    assert not dialog.ok_button.isEnabled() and dialog.message.text() == UNCHANGED
    dialog.amount.clear()
    qtbot.keyClicks(dialog.amount, "54.50")
    qtbot.keyClicks(dialog.reason, "digits swapped")
    assert dialog.ok_button.isEnabled(), dialog.message.text()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert window.dialogs.current is None
    assert balance(window, "Groceries") == "€54.50"
    assert balance(window, "Checking") == "€1,045.50"
    # the original stays, struck out, with its void; the replacement follows
    assert window.register_panel.table.model().rowCount() == 3
    history = window.history_dock.table.model()
    kinds = [history.data(history.index(r, COL_TYPE), DISPLAY) for r in (9, 10)]
    assert kinds == ["Entry voided", "Entry posted"]
    assert "digits swapped" in history.data(history.index(9, COL_SUMMARY), DISPLAY)


def test_correct_opens_the_transfer_and_split_dialogs_filled_in(
    make_book: Callable[[list[Command]], Path], open_window: Window, qtbot: Any
) -> None:
    commands = household()
    checking, _salary, groceries, savings = (c.account_id for c in commands[:4])  # type: ignore[attr-defined]
    split = PostSplitEntry(
        booking_date=DAY,
        payee="Hardware",
        lines=(
            SplitLine(account_id=groceries, amount=Decimal("12.00")),
            SplitLine(account_id=savings, amount=Decimal("3.00")),
            SplitLine(account_id=checking, amount=Decimal("-15.00")),
        ),
    )
    window = open_window(make_book([*commands, split]))
    # Savings' first row: its opening balance, a transfer from Opening Balances
    transfer = correct_selected(window, "Savings", 0)
    assert isinstance(transfer, TransferDialog)
    assert transfer.source.currentText().startswith("Opening Balances")
    assert transfer.target.currentText().startswith("Savings")
    assert transfer.amount.text() == "50.00"
    transfer.reject()
    split_dialog = correct_selected(window, "Savings", 1)
    assert isinstance(split_dialog, SplitEntryDialog)
    shown = [
        (line.account.currentText().split("  ")[0], line.debit.text(), line.credit.text())
        for line in split_dialog.lines
    ]
    assert shown == [("Groceries", "12.00", ""), ("Savings", "3.00", ""), ("Checking", "", "15.00")]
    split_dialog.lines[1].debit.clear()
    qtbot.keyClicks(split_dialog.lines[1].debit, "4.00")
    assert "do not balance" in split_dialog.message.text()
    split_dialog.lines[2].credit.clear()
    qtbot.keyClicks(split_dialog.lines[2].credit, "16.00")
    qtbot.mouseClick(split_dialog.ok_button, Qt.MouseButton.LeftButton)
    assert balance(window, "Savings") == "€54.00"


def test_an_entry_on_a_closed_account_cannot_be_corrected(
    make_book: Callable[[list[Command]], Path], open_window: Window
) -> None:
    commands = household()
    checking = commands[0].account_id  # type: ignore[attr-defined]
    old = open_account("Old", AccountType.EXPENSE)
    spent = Withdraw(account_id=checking, expense_account_id=old.account_id,
                     amount=Decimal("5.00"), booking_date=DAY)  # fmt: skip
    back = Transfer(from_account_id=old.account_id, to_account_id=checking,
                    amount=Decimal("5.00"), booking_date=DAY)  # fmt: skip
    closed = CloseAccount(account_id=old.account_id, closed_on=DAY)
    window = open_window(make_book([*commands, old, spent, back, closed]))
    ids = {a.name: a.account_id for a in window.accounts_view.model().accounts()}
    window.accounts_view.select_account(ids["Checking"])
    window.register_panel.table.selectRow(3)
    for action in (window.actions_.correct, window.actions_.void):
        assert not action.isEnabled() and action.statusTip() == CLOSED
    entry = window.register_panel.selected_entry()
    assert entry is not None
    dialog = window.dialogs.correct(entry)  # sent anyway, the dialog still says why not
    assert isinstance(dialog, EntryDialog) and dialog.payee.text() == ""
    assert not dialog.ok_button.isEnabled()
    assert dialog.message.text() == CLOSED_ACCOUNT


def test_right_click_offers_what_can_be_done_to_an_entry_or_an_account(
    make_book: Callable[[list[Command]], Path], open_window: Window
) -> None:
    window = open_window(make_book(household()))
    a = window.actions_
    table = window.register_panel.table
    assert table.contextMenuPolicy() is Qt.ContextMenuPolicy.ActionsContextMenu
    assert window.entry_row is not None
    assert table.actions() == [window.entry_row.edit, a.correct, a.void]
    accounts = window.accounts_view
    assert accounts.contextMenuPolicy() is Qt.ContextMenuPolicy.ActionsContextMenu
    offered = [action for action in accounts.actions() if not action.isSeparator()]
    assert offered[:-1] == [
        a.deposit, a.withdraw, a.transfer, a.split, a.rename, a.move_account, a.close_account
    ]  # fmt: skip
    assert offered[-1].objectName() == "showLineage"  # the events behind the figure
