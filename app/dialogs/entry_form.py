"""The fields every entry dialog shares (booking date, payee and memo), and correcting an
entry with the same dialog that posts one."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QWidget

from app import preferences
from app.controller import CommandController
from app.dialogs.base import CommandDialog
from app.dialogs.fields import AccountCombo, AmountEdit, date_edit, edit_date
from app.formatting import to_qdate
from domain.model.commands import Command, CorrectEntry, fingerprint
from domain.model.entries import EntryCommand
from domain.model.money import Money

CLOSED_ACCOUNT = (
    "This entry posts to an account that is closed now, so it can no longer be corrected."
)
UNCHANGED = "Change something to correct the entry."


class EntryFormDialog(CommandDialog):
    """A command dialog that posts an entry; subclasses place the rows with ``add_entry_rows``
    where their form wants them, and implement ``entry_problem``, ``build_entry`` and
    ``fill``. After :meth:`correct` the dialog corrects an entry instead of posting one."""

    def __init__(
        self,
        title: str,
        controller: CommandController,
        parent: QWidget | None,
        *,
        noun: str = "",
    ) -> None:
        super().__init__(title, controller, parent)
        self._noun = noun or title  # what the entry is called: "Withdrawal" for "Withdraw"
        self.date = date_edit(preferences.new_entry_date())  # today, or the last date used
        self.payee = QLineEdit()
        self.memo = QLineEdit()
        self.reason = QLineEdit()  # in the form only when correcting
        self.reason.setPlaceholderText("e.g. wrong amount")
        # (the entry corrected, the fingerprint of what posted it, why it cannot be) once
        # correcting
        self._corrects: tuple[str, bytes, str] | None = None

    def add_entry_rows(self) -> None:
        self.form.addRow("&Date:", self.date)
        self.form.addRow("&Payee:", self.payee)
        self.form.addRow("&Memo:", self.memo)

    def booking_date(self) -> dt.date:
        return edit_date(self.date)

    def payee_text(self) -> str:
        return self.payee.text().strip()

    def memo_text(self) -> str:
        return self.memo.text().strip()

    # --- posting or correcting ----------------------------------------------------------------

    def entry_problem(self) -> str:
        """What the form lacks for an entry ("" when complete)."""
        raise NotImplementedError

    def build_entry(self) -> EntryCommand:
        raise NotImplementedError

    def fill(self, command: EntryCommand) -> str:
        """Show ``command``'s accounts and amounts; "" or why they cannot all be shown."""
        raise NotImplementedError

    def correct(self, entry_id: str, original: EntryCommand) -> None:
        """Make this the correction of entry ``entry_id``, filled in from ``original`` (the
        command that would post it as it is): OK then voids the entry on its own date and
        records what the form says in its place, as one change."""
        self.setWindowTitle(f"Correct {self._noun}")
        self.ok_button.setText("&Correct")
        self.date.setDate(to_qdate(original.booking_date))
        self.payee.setText(original.payee)
        self.memo.setText(original.memo)
        unfillable = self.fill(original)
        note = QLabel(
            "The entry is voided on its own date and this one recorded in its place, as one "
            "change; both stay in the history."
        )
        note.setWordWrap(True)
        self.form.addRow("&Reason:", self.reason)
        self.form.addRow("", note)
        self._corrects = (entry_id, fingerprint(original), unfillable)
        self.revalidate()

    @staticmethod
    def choose(combo: AccountCombo, account_id: str) -> str:
        """Select ``account_id`` in ``combo``; "" or why it is not there to choose."""
        combo.select(account_id)
        return "" if combo.account_id() == account_id else CLOSED_ACCOUNT

    @staticmethod
    def show_amount(edit: AmountEdit, amount: Decimal, combo: AccountCombo) -> None:
        chosen = combo.account()
        if chosen is not None:
            edit.set_amount(Money.of(amount, chosen.currency))

    def problem(self) -> str:
        if self._corrects is not None and self._corrects[2]:
            return self._corrects[2]
        problem = self.entry_problem()
        if problem or self._corrects is None:
            return problem
        return UNCHANGED if fingerprint(self.build_entry()) == self._corrects[1] else ""

    def accept(self) -> None:
        super().accept()
        if self.result() == QDialog.DialogCode.Accepted:  # recorded
            preferences.remember_entry_date(self.booking_date())

    def build_command(self) -> Command:
        entry = self.build_entry()
        if self._corrects is None:
            return entry
        reason = self.reason.text().strip()
        return CorrectEntry(entry_id=self._corrects[0], replacement=entry, reason=reason)
