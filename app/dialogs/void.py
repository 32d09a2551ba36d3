"""Void Entry: reverse an entry with a compensating event; the original stays in the history."""

from __future__ import annotations

import html

from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from app.controller import CommandController
from app.dialogs.base import CommandDialog
from app.dialogs.fields import date_edit, edit_date
from app.formatting import date_text, money_text
from app.models.sources import RegisterRow
from domain.model.commands import VoidEntry


class VoidEntryDialog(CommandDialog):
    """Builds a :class:`VoidEntry` for the entry chosen in the register."""

    def __init__(
        self,
        controller: CommandController,
        entry: RegisterRow,
        currency: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Void Entry", controller, parent)
        self._entry_id = entry.entry_id
        payee = f" · {html.escape(entry.payee)}" if entry.payee else ""
        summary = QLabel(
            f"<b>{date_text(entry.booking_date)}{payee}</b> · "
            f"{money_text(entry.amount, currency)} · {html.escape(entry.other_accounts)}"
        )
        note = QLabel("The entry stays in the books, struck out; a reversing entry is recorded.")
        note.setWordWrap(True)
        self.voided_on = date_edit()
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("e.g. entered twice")
        self.form.addRow("Entry:", summary)
        self.form.addRow("", note)
        self.form.addRow("&Voided on:", self.voided_on)
        self.form.addRow("&Reason:", self.reason)
        self.revalidate()
        self.reason.setFocus()  # typing gives the reason; Enter voids

    def problem(self) -> str:
        return ""

    def build_command(self) -> VoidEntry:
        return VoidEntry(
            entry_id=self._entry_id,
            voided_on=edit_date(self.voided_on),
            reason=self.reason.text().strip(),
        )
