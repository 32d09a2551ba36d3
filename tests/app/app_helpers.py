"""Commands and books the app tests share."""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal

from PySide6.QtCore import QCoreApplication, QEventLoop, Qt

from app.models.accounts import COL_BALANCE, AccountsModel
from app.window.main_window import MainWindow
from domain.model.commands import Command, Deposit, OpenAccount, Withdraw
from domain.model.events import AccountType

DAY = dt.date(2024, 3, 1)


def open_account(
    name: str,
    kind: AccountType,
    opening: str = "0",
    *,
    overdraft: bool = True,
    currency: str = "EUR",
    parent: str = "",
) -> OpenAccount:
    return OpenAccount(
        name=name,
        account_type=kind,
        currency=currency,
        opening_balance=Decimal(opening),
        opening_date=DAY,
        overdraft_allowed=overdraft,
        parent_id=parent,
    )


def household() -> list[Command]:
    """Checking (no overdraft, 100.00), Salary, Groceries and Savings, then two entries."""
    checking = open_account("Checking", AccountType.ASSET, "100.00", overdraft=False)
    salary = open_account("Salary", AccountType.INCOME)
    groceries = open_account("Groceries", AccountType.EXPENSE)
    savings = open_account("Savings", AccountType.ASSET, "50.00")
    return [
        checking,
        salary,
        groceries,
        savings,
        Deposit(account_id=checking.account_id, income_account_id=salary.account_id,
                amount=Decimal("1000.00"), booking_date=DAY, payee="Employer"),
        Withdraw(account_id=checking.account_id, expense_account_id=groceries.account_id,
                 amount=Decimal("45.50"), booking_date=DAY, payee="Market"),
    ]  # fmt: skip


def balance(window: MainWindow, name: str) -> str:
    """The balance shown for the account (or group) named ``name``, once the tree shows the
    timeline cursor's figures (see :func:`wait_fresh`)."""
    return shown_balance(window.accounts_view.model(), name)


def wait_fresh(model: AccountsModel, timeout_s: float = 10.0) -> None:
    """Wait until the tree's worker has brought the latest cursor's balances (a timeline
    move reads them off the GUI thread; meanwhile the old figures show, greyed)."""
    deadline = time.monotonic() + timeout_s
    while model.stale:
        if time.monotonic() > deadline:
            raise TimeoutError("the accounts tree did not get its figures in time")
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)


def shown_names(model: AccountsModel) -> list[str]:
    """The names the accounts tree shows, depth first, indented two spaces per level (once
    the tree has the latest cursor's rows)."""
    wait_fresh(model)
    out = []
    for index, _line in model.walk():
        depth, parent = 0, index.parent()
        while parent.isValid():
            depth, parent = depth + 1, parent.parent()
        out.append("  " * depth + str(model.data(index, Qt.ItemDataRole.DisplayRole)))
    return out


def shown_balance(model: AccountsModel, name: str) -> str:
    """The balance shown on the first row named ``name`` (an account, group or total), once
    the tree has the latest cursor's figures."""
    wait_fresh(model)
    for index, _line in model.walk():
        if str(model.data(index, Qt.ItemDataRole.DisplayRole)).strip() == name:
            cell = index.siblingAtColumn(COL_BALANCE)
            return str(model.data(cell, Qt.ItemDataRole.DisplayRole))
    raise KeyError(name)
