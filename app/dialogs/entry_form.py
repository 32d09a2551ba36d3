"""The fields every entry dialog shares: booking date, payee and memo."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QLineEdit, QWidget

from app.controller import CommandController
from app.dialogs.base import CommandDialog
from app.dialogs.fields import date_edit, edit_date


class EntryFormDialog(CommandDialog):
    """A command dialog that posts an entry; subclasses place the rows with ``add_entry_rows``
    where their form wants them."""

    def __init__(self, title: str, controller: CommandController, parent: QWidget | None) -> None:
        super().__init__(title, controller, parent)
        self.date = date_edit()
        self.payee = QLineEdit()
        self.memo = QLineEdit()

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
