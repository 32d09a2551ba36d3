"""A new category opened from the import preview: the Open Account dialog, preset to an
expense (money out) or income (money in) account of the statement's currency."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from app.controller import CommandController
from app.dialogs.open_account import OpenAccountDialog
from app.formatting import to_qdate
from app.models.sources import AccountRow
from domain.model.events import AccountType


def open_new_category(
    parent: QWidget,
    controller: CommandController,
    accounts: Callable[[], Sequence[AccountRow]],
    currency: str,
    money_in: bool,
    first_day: dt.date | None,
    opened: Callable[[AccountRow], None],
) -> OpenAccountDialog:
    """Show the dialog (window-modal); ``opened(row)`` follows once the account exists.
    It opens on the statement's first day: an account takes no entry dated before it."""
    dialog = OpenAccountDialog(controller, accounts(), parent)
    kind = AccountType.INCOME if money_in else AccountType.EXPENSE
    dialog.account_type.setCurrentIndex(dialog.account_type.findData(kind.value))
    dialog.currency.setCurrentText(currency)
    if first_day is not None:
        dialog.opening_date.setDate(to_qdate(first_day))
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def accepted() -> None:
        name = dialog.name.text().strip().casefold()
        found = next((a for a in accounts() if a.name.casefold() == name), None)
        if found is not None:
            opened(found)

    dialog.accepted.connect(accepted)
    dialog.open()
    return dialog
