"""Transfer: money between two accounts of one currency."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QWidget

from app.controller import CommandController
from app.dialogs.entry_form import EntryFormDialog
from app.dialogs.fields import AccountCombo, AmountEdit, is_open
from app.models.sources import AccountRow
from domain.model.commands import Transfer
from domain.model.entries import EntryCommand


class TransferDialog(EntryFormDialog):
    """Builds a :class:`Transfer`; the target list holds only other accounts in the same
    currency."""

    def __init__(
        self,
        controller: CommandController,
        accounts: Sequence[AccountRow],
        selected_id: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Transfer", controller, parent)
        self.source = AccountCombo(accounts, is_open)
        self.source.select(selected_id)
        self.target = AccountCombo(accounts, self._target_allowed)
        self.amount = AmountEdit()
        self.form.addRow("&From:", self.source)
        self.form.addRow("&To:", self.target)
        self.form.addRow("&Amount:", self.amount)
        self.add_entry_rows()
        self.source.currentIndexChanged.connect(self._on_source_changed)
        self.target.currentIndexChanged.connect(self.revalidate)
        self.amount.amount_changed.connect(self.revalidate)
        self._on_source_changed()
        self.amount.setFocus()  # the accounts are usually chosen already

    def _target_allowed(self, row: AccountRow) -> bool:
        source = self.source.account()
        if row.closed or source is None:
            return False
        return row.account_id != source.account_id and row.currency == source.currency

    def _on_source_changed(self) -> None:
        source = self.source.account()
        if source is not None:
            self.amount.set_currency(source.currency)
        self.target.refill()
        self.revalidate()

    def entry_problem(self) -> str:
        source = self.source.account()
        if source is None:
            return "Open two accounts first (Entry ▸ Open Account)."
        if self.target.account() is None:
            return f"There is no other open account in {source.currency} to transfer to."
        return self.amount.positive_problem()

    def fill(self, command: EntryCommand) -> str:
        assert isinstance(command, Transfer)
        unfillable = self.choose(self.source, command.from_account_id) or self.choose(
            self.target, command.to_account_id
        )
        self.show_amount(self.amount, command.amount, self.source)
        return unfillable

    def build_entry(self) -> Transfer:
        source_id, target_id = self.source.account_id(), self.target.account_id()
        amount = self.amount.decimal()
        assert source_id and target_id and amount is not None  # problem() checked them
        return Transfer(
            from_account_id=source_id,
            to_account_id=target_id,
            amount=amount,
            booking_date=self.booking_date(),
            payee=self.payee_text(),
            memo=self.memo_text(),
        )
