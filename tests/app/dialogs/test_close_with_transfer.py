"""Close Account offers to transfer what the account still holds, as one change with the close."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from app_helpers import DAY, balance, household, open_account
from PySide6.QtCore import Qt

from app.dialogs.account_edit import CloseAccountDialog
from app.formatting import to_qdate
from app.window.main_window import MainWindow
from domain.model.commands import Command, OpenAccount, Transfer
from domain.model.events import AccountType

Window = Callable[[Path], MainWindow]


def close_dialog(window: MainWindow, name: str) -> CloseAccountDialog:
    ids = {a.name: a.account_id for a in window.accounts_view.model().accounts()}
    window.accounts_view.select_account(ids[name])
    window.actions_.close_account.trigger()
    dialog = window.dialogs.current
    assert isinstance(dialog, CloseAccountDialog)
    assert dialog.account.currentText().startswith(name)
    return dialog


def with_card() -> list[Command]:
    """The household, and a card that owes 30.00 (spent into Checking)."""
    commands = household()
    checking = commands[0]
    assert isinstance(checking, OpenAccount)
    card = open_account("Card", AccountType.LIABILITY)
    owed = Transfer(from_account_id=card.account_id, to_account_id=checking.account_id,
                    amount=Decimal("30.00"), booking_date=DAY)  # fmt: skip
    return [*commands, card, owed]


def test_closing_an_account_that_holds_money_transfers_it_first(
    make_book: Callable[[list[Command]], Path], open_window: Window, qtbot: Any
) -> None:
    window = open_window(make_book(with_card()))  # Savings holds 50.00, Checking 1,084.50
    head = window.timeline.slider.maximum()
    dialog = close_dialog(window, "Savings")
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.target.isVisible() and "€50.00" in dialog.balance_note.text()
    choices = [dialog.target.itemText(i) for i in range(dialog.target.count())]
    assert all(not c.startswith("Savings") for c in choices) and choices
    dialog.target.select(next(a.account_id for a in dialog.target._all if a.name == "Checking"))
    assert dialog.ok_button.isEnabled(), dialog.message.text()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert window.dialogs.current is None
    assert balance(window, "Savings (closed)") == "€0.00"
    assert balance(window, "Checking") == "€1,134.50"
    assert window.timeline.slider.maximum() == head + 2  # the transfer and the close

    card = close_dialog(window, "Card")  # a debt is paid off from the target
    card.target.select(next(a.account_id for a in card.target._all if a.name == "Checking"))
    qtbot.mouseClick(card.ok_button, Qt.MouseButton.LeftButton)
    assert window.dialogs.current is None
    assert balance(window, "Card (closed)") == "€0.00"
    assert balance(window, "Checking") == "€1,104.50"


def test_an_account_at_zero_closes_without_a_transfer(
    make_book: Callable[[list[Command]], Path], open_window: Window, qtbot: Any
) -> None:
    window = open_window(make_book([*household(), open_account("Spare", AccountType.ASSET)]))
    head = window.timeline.slider.maximum()
    dialog = close_dialog(window, "Spare")
    qtbot.waitUntil(dialog.isVisible)
    assert not dialog.target.isVisible() and not dialog.balance_note.isVisible()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert window.dialogs.current is None
    assert window.timeline.slider.maximum() == head + 1


def test_a_refused_close_records_no_transfer_either(
    make_book: Callable[[list[Command]], Path], open_window: Window, qtbot: Any
) -> None:
    commands = with_card()
    checking, savings = commands[0], commands[3]
    assert isinstance(checking, OpenAccount) and isinstance(savings, OpenAccount)
    later = Transfer(from_account_id=checking.account_id, to_account_id=savings.account_id,
                     amount=Decimal("1.00"), booking_date=DAY + dt.timedelta(days=10))  # fmt: skip
    window = open_window(make_book([*commands, later]))
    head = window.timeline.slider.maximum()
    dialog = close_dialog(window, "Savings")
    dialog.target.select(checking.account_id)
    dialog.closed_on.setDate(to_qdate(DAY + dt.timedelta(days=5)))  # before its last entry
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert "entry dated" in dialog.error_text()
    assert not dialog.error_text().startswith("command")
    assert window.timeline.slider.maximum() == head  # the transfer did not land alone
    assert balance(window, "Savings") == "€51.00"
