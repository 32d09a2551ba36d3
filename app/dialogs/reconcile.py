"""Entry ▸ Reconcile Account…: the statement's date and ending balance, the entries it shows
ticked until the difference is zero; Finish records the Reconcile command."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Protocol

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from app.controller import CommandController
from app.dialogs.base import CommandDialog
from app.dialogs.fields import AmountEdit, date_edit
from app.formatting import date_text, from_qdate, money_text, to_qdate
from app.models.sources import AccountRow, RegisterRow
from domain.model.commands import Command, Reconcile
from domain.model.money import Money


class ReconcileSource(Protocol):
    """What the dialog reads (see :class:`app.reconciling.ReconcileReader`)."""

    def reconciled_balance(self, account_id: str) -> int: ...

    def open_entries(self, account_id: str) -> list[RegisterRow]: ...


class ReconcileDialog(CommandDialog):
    """Reconcile one account; ``closing`` prefills the statement (from an imported one)."""

    def __init__(
        self,
        controller: CommandController,
        source: ReconcileSource,
        account: AccountRow,
        closing: tuple[Decimal, dt.date | None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(f"Reconcile {account.name}", controller, parent)
        self.setObjectName("reconcileDialog")
        self._account = account
        self._reconciled = source.reconciled_balance(account.account_id)
        self._rows: Sequence[RegisterRow] = source.open_entries(account.account_id)
        self.statement_date = date_edit()
        self.balance = AmountEdit(account.currency)
        if closing is not None:
            self.balance.set_amount(Money.of(closing[0], account.currency))
            if closing[1] is not None:
                self.statement_date.setDate(to_qdate(closing[1]))
        self.entries = QTableWidget(len(self._rows), 4)
        self.entries.setObjectName("reconcileEntries")
        self.entries.setHorizontalHeaderLabels(["Cleared", "Date", "Payee", "Amount"])
        self.entries.verticalHeader().setVisible(False)
        self.entries.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.entries.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self._ticks: list[QTableWidgetItem] = []
        for number, row in enumerate(self._rows):
            tick = QTableWidgetItem()
            self._ticks.append(tick)
            tick.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
            tick.setCheckState(Qt.CheckState.Unchecked)
            self.entries.setItem(number, 0, tick)
            self.entries.setItem(number, 1, QTableWidgetItem(date_text(row.booking_date)))
            self.entries.setItem(number, 2, QTableWidgetItem(row.payee or row.memo))
            amount = QTableWidgetItem(money_text(row.amount, account.currency))
            amount.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.entries.setItem(number, 3, amount)
        self.difference = QLabel()
        self.difference.setObjectName("reconcileDifference")
        self.form.addRow("Statement date:", self.statement_date)
        self.form.addRow("Ending balance:", self.balance)
        self.form.addRow(self.entries)
        self.form.addRow("Difference:", self.difference)
        self.ok_button.setText("Finish")
        self.resize(720, 520)
        self.statement_date.dateChanged.connect(self.revalidate)
        self.balance.amount_changed.connect(self.revalidate)
        self.entries.itemChanged.connect(self.revalidate)
        self.revalidate()
        self.balance.setFocus()  # the statement's figure is what the user types first

    def set_cleared(self, row: int, cleared: bool = True) -> None:
        self._ticks[row].setCheckState(
            Qt.CheckState.Checked if cleared else Qt.CheckState.Unchecked
        )

    def cleared(self) -> list[RegisterRow]:
        checked = Qt.CheckState.Checked
        return [row for row, tick in zip(self._rows, self._ticks, strict=True)
                if tick.checkState() == checked]  # fmt: skip

    def _target(self) -> int | None:
        money = self.balance.amount()  # in the user's locale, exactly
        return None if money is None else money.minor

    @Slot()
    def revalidate(self) -> None:
        target = self._target()
        ticked = sum(row.amount for row in self.cleared())
        if target is None:
            self.difference.setText("—")
        else:
            gap = target - self._reconciled - ticked
            self.difference.setText(money_text(gap, self._account.currency))
        super().revalidate()

    def problem(self) -> str:
        target = self._target()
        if target is None:
            return self.balance.problem() or "Enter the statement's ending balance."
        gap = target - self._reconciled - sum(row.amount for row in self.cleared())
        if gap:
            return "Tick the entries the statement shows until the difference is zero."
        day = from_qdate(self.statement_date.date())
        if any(row.booking_date > day for row in self.cleared()):
            return "An entry dated after the statement is ticked."
        return ""

    def build_command(self) -> Command:
        target = self._target()
        assert target is not None
        return Reconcile(
            account_id=self._account.account_id,
            statement_date=from_qdate(self.statement_date.date()),
            balance=Money(target, self._account.currency).amount,
            entry_ids=tuple(dict.fromkeys(row.entry_id for row in self.cleared())),
        )
