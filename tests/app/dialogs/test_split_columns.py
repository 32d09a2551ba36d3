"""The split's Debit and Credit columns say, per line, which one increases its account."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from app_helpers import household, open_account

from app.dialogs.split import COL_CREDIT, COL_DEBIT, SplitEntryDialog
from app.window.main_window import MainWindow
from domain.model.commands import Command
from domain.model.events import AccountType

Window = Callable[[Path], MainWindow]


def test_each_line_says_what_a_debit_and_a_credit_do_to_its_account(
    make_book: Callable[[list[Command]], Path], open_window: Window, qtbot: Any
) -> None:
    card = open_account("Card", AccountType.LIABILITY)
    window = open_window(make_book([*household(), card]))
    window.actions_.split.trigger()
    dialog = window.dialogs.current
    assert isinstance(dialog, SplitEntryDialog)
    ids = {a.name: a.account_id for a in window.accounts_view.model().accounts()}
    line = dialog.lines[1]
    expected = {  # account: (debit, credit)
        "Checking": ("Increases", "Decreases"),
        "Groceries": ("Increases", "Decreases"),
        "Salary": ("Decreases", "Increases"),
        "Card": ("Decreases", "Increases"),
    }
    for name, (debit, credit) in expected.items():
        line.account.select(ids[name])
        assert (line.debit.placeholderText(), line.credit.placeholderText()) == (debit, credit)
        assert name in line.debit.toolTip() and debit.lower() in line.debit.toolTip()
        assert name in line.credit.toolTip() and credit.lower() in line.credit.toolTip()
    line.account.select(ids["Checking"])
    assert line.debit.toolTip() == ("A debit increases Checking, an asset account: money into it.")
    for column in (COL_DEBIT, COL_CREDIT):
        header = dialog.table.horizontalHeaderItem(column)
        assert header is not None and "increases" in header.toolTip()
    # typing still goes where it did: a debit of 5 on Checking
    qtbot.keyClicks(line.debit, "5.00")
    assert line.signed() is not None and line.signed().minor == 500  # type: ignore[union-attr]
