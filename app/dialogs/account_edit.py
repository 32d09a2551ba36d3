"""Rename Account and Close Account."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QLineEdit, QWidget

from app.controller import CommandController
from app.dialogs.base import CommandDialog
from app.dialogs.fields import AccountCombo, date_edit, edit_date, is_open
from app.formatting import money_text
from app.models.sources import AccountRow
from domain.model.chart import normalise_name
from domain.model.commands import CloseAccount, RenameAccount
from domain.model.guards import name_problem


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
        self.ok_button.setDefault(True)

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
    """Builds a :class:`CloseAccount`; only an account at zero balance can close."""

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
        self.form.addRow("&Account:", self.account)
        self.form.addRow("&Closed on:", self.closed_on)
        self.account.currentIndexChanged.connect(self.revalidate)
        self.revalidate()

    def problem(self) -> str:
        chosen = self.account.account()
        if chosen is None:
            return "There is no open account to close."
        if chosen.balance != 0:
            balance = money_text(chosen.balance, chosen.currency)
            return (
                f"“{chosen.name}” still holds {balance}; transfer it to another account "
                "before closing."
            )
        return ""

    def build_command(self) -> CloseAccount:
        account_id = self.account.account_id()
        assert account_id is not None  # problem() checked it
        return CloseAccount(account_id=account_id, closed_on=edit_date(self.closed_on))
