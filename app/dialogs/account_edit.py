"""Rename Account and Close Account."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from app.controller import CommandController
from app.dialogs.base import CommandDialog
from app.dialogs.fields import AccountCombo, date_edit, edit_date, is_open
from app.formatting import money_text
from app.models.sources import AccountRow
from domain.model.chart import normalise_name
from domain.model.commands import CloseAccount, Command, RenameAccount, Transfer
from domain.model.guards import name_problem
from domain.model.money import Money


class RenameAccountDialog(CommandDialog):
    """Builds a :class:`RenameAccount`; the new name must be free."""

    def __init__(
        self,
        controller: CommandController,
        accounts: Sequence[AccountRow],
        selected_id: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Rename Account", controller, parent)
        self._accounts = list(accounts)
        self.account = AccountCombo(accounts)
        self.account.select(selected_id)
        self.new_name = QLineEdit()
        self.form.addRow("&Account:", self.account)
        self.form.addRow("&New name:", self.new_name)
        self.account.currentIndexChanged.connect(self._on_account_changed)
        self.new_name.textChanged.connect(self.revalidate)
        self._on_account_changed()
        # the account is usually the selected one: the keyboard goes to the name, all of it
        # selected so typing replaces it, and Enter means OK
        self.new_name.setFocus()

    def _on_account_changed(self) -> None:
        chosen = self.account.account()
        self.new_name.setText(chosen.name if chosen else "")
        self.new_name.selectAll()
        self.revalidate()

    def problem(self) -> str:
        chosen = self.account.account()
        if chosen is None:
            return "There is no account to rename."
        name = self.new_name.text().strip()
        if not name:
            return "Enter the new name."
        if name == chosen.name:
            return "Type a different name."
        if problem := name_problem(name):  # the books' own rule, said before OK
            return problem
        taken = {
            normalise_name(a.name) for a in self._accounts if a.account_id != chosen.account_id
        }
        if normalise_name(name) in taken:
            return f"An account named “{name}” already exists."
        return ""

    def build_command(self) -> RenameAccount:
        account_id = self.account.account_id()
        assert account_id is not None  # problem() checked it
        return RenameAccount(account_id=account_id, new_name=self.new_name.text().strip())


class CloseAccountDialog(CommandDialog):
    """Builds a :class:`CloseAccount`; an account that still holds money first gives it to
    another open account of its currency, by a :class:`Transfer` recorded with the closing
    as one change (the books close an account only at zero)."""

    def __init__(
        self,
        controller: CommandController,
        accounts: Sequence[AccountRow],
        selected_id: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Close Account", controller, parent)
        self.account = AccountCombo(accounts, is_open)
        self.account.select(selected_id)
        self.closed_on = date_edit()
        self.balance_note = QLabel()
        self.balance_note.setWordWrap(True)
        self.target = AccountCombo(accounts, self._target_allowed)
        self.form.addRow("&Account:", self.account)
        self.form.addRow("&Closed on:", self.closed_on)
        self.form.addRow("", self.balance_note)
        self.form.addRow("&Transfer to:", self.target)
        self.account.currentIndexChanged.connect(self._on_account_changed)
        self.target.currentIndexChanged.connect(self.revalidate)
        self._on_account_changed()
        self.account.setFocus()

    def _target_allowed(self, row: AccountRow) -> bool:
        chosen = self.account.account()
        if row.closed or chosen is None:
            return False
        return row.account_id != chosen.account_id and row.currency == chosen.currency

    def _on_account_changed(self) -> None:
        chosen = self.account.account()
        self.target.refill()
        holds = chosen is not None and chosen.balance != 0
        if chosen is not None and holds:
            balance = money_text(chosen.balance, chosen.currency)
            self.balance_note.setText(
                f"“{chosen.name}” still holds {balance}: it is transferred to the account "
                "below on the closing date, and the account closed, as one change."
            )
        self.form.setRowVisible(self.balance_note, holds)
        self.form.setRowVisible(self.target, holds)
        self.revalidate()

    def problem(self) -> str:
        chosen = self.account.account()
        if chosen is None:
            return "There is no open account to close."
        if chosen.balance != 0 and self.target.account() is None:
            balance = money_text(chosen.balance, chosen.currency)
            return (
                f"“{chosen.name}” still holds {balance}, and there is no other open account "
                f"in {chosen.currency} to take it: open one first (Entry ▸ Open Account)."
            )
        return ""

    def build_command(self) -> CloseAccount:
        account_id = self.account.account_id()
        assert account_id is not None  # problem() checked it
        return CloseAccount(account_id=account_id, closed_on=edit_date(self.closed_on))

    def build_commands(self) -> list[Command]:
        chosen, target = self.account.account(), self.target.account()
        close = self.build_command()
        if chosen is None or chosen.balance == 0 or target is None:
            return [close]
        return [balance_transfer(chosen, target, close.closed_on), close]


def balance_transfer(account: AccountRow, target: AccountRow, day: dt.date) -> Transfer:
    """The transfer that brings ``account`` to zero, its balance going to (or, for a debt,
    coming from) ``target``."""
    debit_balance = account.account_type.sign * account.balance  # postings are debit-signed
    amount = Money(abs(debit_balance), account.currency).amount
    source, receiver = (account, target) if debit_balance > 0 else (target, account)
    return Transfer(
        from_account_id=source.account_id,
        to_account_id=receiver.account_id,
        amount=amount,
        booking_date=day,
        memo=f"Closing {account.name}",
    )
