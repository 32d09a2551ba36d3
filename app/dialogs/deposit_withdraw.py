"""Deposit and Withdraw: money into or out of an asset account, against a category."""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum

from PySide6.QtWidgets import QLabel, QWidget

from app.controller import CommandController
from app.dialogs.entry_form import EntryFormDialog
from app.dialogs.fields import AccountCombo, AmountEdit
from app.formatting import money_text
from app.models.sources import AccountRow
from domain.model.commands import Deposit, Withdraw
from domain.model.entries import EntryCommand
from domain.model.events import AccountType


class DepositOrWithdraw(Enum):
    """Which command the entry dialog builds (the value is its title); not the posted
    entry's ``EntryKind``, which the command decides."""

    DEPOSIT = "Deposit"
    WITHDRAW = "Withdraw"

    @property
    def noun(self) -> str:
        """What the entry it posts is called (a dialog title's "Correct Withdrawal")."""
        return "Deposit" if self is DepositOrWithdraw.DEPOSIT else "Withdrawal"

    @property
    def category_type(self) -> AccountType:
        return AccountType.INCOME if self is DepositOrWithdraw.DEPOSIT else AccountType.EXPENSE


def is_open_asset(row: AccountRow) -> bool:
    return row.account_type is AccountType.ASSET and not row.closed


class EntryDialog(EntryFormDialog):
    """Builds a :class:`Deposit` (asset + income) or a :class:`Withdraw` (asset + expense)."""

    def __init__(
        self,
        kind: DepositOrWithdraw,
        controller: CommandController,
        accounts: Sequence[AccountRow],
        selected_id: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(kind.value, controller, parent, noun=kind.noun)
        self.kind = kind
        self.account = AccountCombo(accounts, is_open_asset)
        self.account.select(selected_id)
        self.category = AccountCombo(accounts, self._category_allowed)
        self.balance_hint = QLabel()
        self.amount = AmountEdit()
        into = "&Into account:" if kind is DepositOrWithdraw.DEPOSIT else "&From account:"
        category = "&Income:" if kind is DepositOrWithdraw.DEPOSIT else "&Expense:"
        self.form.addRow(into, self.account)
        self.form.addRow("", self.balance_hint)
        self.form.addRow(category, self.category)
        self.form.addRow("&Amount:", self.amount)
        self.add_entry_rows()
        self.account.currentIndexChanged.connect(self._on_account_changed)
        self.category.currentIndexChanged.connect(self.revalidate)
        self.amount.amount_changed.connect(self.revalidate)
        self._on_account_changed()
        self.amount.setFocus()  # the accounts are usually chosen already

    def _category_allowed(self, row: AccountRow) -> bool:
        chosen = self.account.account()
        same_currency = chosen is None or row.currency == chosen.currency
        return row.account_type is self.kind.category_type and not row.closed and same_currency

    def _on_account_changed(self) -> None:
        chosen = self.account.account()
        if chosen is not None:
            self.amount.set_currency(chosen.currency)
            self.balance_hint.setText(f"Balance: {money_text(chosen.balance, chosen.currency)}")
        self.category.refill()
        self.revalidate()

    def entry_problem(self) -> str:
        if self.account.account() is None:
            return "Open an asset account first (Entry ▸ Open Account)."
        if self.category.account() is None:
            kind = self.kind.category_type.value
            return f"Open an {kind} account in this currency first (Entry ▸ Open Account)."
        return self.amount.positive_problem()

    def fill(self, command: EntryCommand) -> str:
        assert isinstance(command, Deposit | Withdraw)
        category = (
            command.income_account_id
            if isinstance(command, Deposit)
            else command.expense_account_id
        )
        unfillable = self.choose(self.account, command.account_id) or self.choose(
            self.category, category
        )
        self.show_amount(self.amount, command.amount, self.account)
        return unfillable

    def build_entry(self) -> Deposit | Withdraw:
        account_id = self.account.account_id()
        category_id = self.category.account_id()
        amount = self.amount.decimal()
        assert account_id and category_id and amount is not None  # problem() checked them
        if self.kind is DepositOrWithdraw.DEPOSIT:
            return Deposit(
                account_id=account_id,
                income_account_id=category_id,
                amount=amount,
                booking_date=self.booking_date(),
                payee=self.payee_text(),
                memo=self.memo_text(),
            )
        return Withdraw(
            account_id=account_id,
            expense_account_id=category_id,
            amount=amount,
            booking_date=self.booking_date(),
            payee=self.payee_text(),
            memo=self.memo_text(),
        )
