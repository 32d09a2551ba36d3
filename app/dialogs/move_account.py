"""Move Account (choose a new parent), and the parent picker Open Account shares.

Which accounts can be a parent follows the books' rules (``domain.model.chart``): an open
account of the same type that is neither the account itself nor below it. The choice starts
with "None (at the top)".
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QComboBox, QWidget

from app.controller import CommandController
from app.dialogs.base import CommandDialog
from app.dialogs.fields import AccountCombo
from app.models.hierarchy import TOP, parent_choices
from app.models.sources import AccountRow
from domain.model.commands import MoveAccount
from domain.model.events import AccountType
from domain.projections.rows import PATH_SEPARATOR, account_paths

__all__ = ["TOP", "MoveAccountDialog", "ParentCombo", "parent_choices"]


class ParentCombo(QComboBox):
    """Picks the parent an account goes under; the parent's id ("" for none) is the data."""

    def __init__(self, accounts: Sequence[AccountRow], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._accounts = list(accounts)

    def refill(
        self, kind: AccountType, moving: str | None = None, chosen: str | None = None
    ) -> None:
        """Offer the parents allowed for an account of ``kind``, ``chosen`` selected (None:
        the current one, if it is still allowed)."""
        current = self.parent_id() if chosen is None else chosen
        self.blockSignals(True)
        self.clear()
        for account_id, path in parent_choices(self._accounts, kind, moving):
            self.addItem(path, account_id)
        self.blockSignals(False)
        index = self.findData(current)
        self.setCurrentIndex(max(index, 0))
        self.currentIndexChanged.emit(self.currentIndex())

    def parent_id(self) -> str:
        data = self.currentData()
        return data if isinstance(data, str) else ""


class MoveAccountDialog(CommandDialog):
    """Builds a :class:`MoveAccount`: the account, and the parent to put it under."""

    def __init__(
        self,
        controller: CommandController,
        accounts: Sequence[AccountRow],
        selected_id: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Move Account", controller, parent)
        self._paths = account_paths(accounts)
        self.account = AccountCombo(accounts)
        self.account.select(selected_id)
        self.new_parent = ParentCombo(accounts)
        self.form.addRow("&Account:", self.account)
        self.form.addRow("&Under:", self.new_parent)
        self.account.currentIndexChanged.connect(self._on_account_changed)
        self.new_parent.currentIndexChanged.connect(self.revalidate)
        self._on_account_changed()

    def _on_account_changed(self) -> None:
        chosen = self.account.account()
        if chosen is not None:
            self.new_parent.refill(chosen.account_type, chosen.account_id, chosen.parent_id)
        self.revalidate()

    def problem(self) -> str:
        chosen = self.account.account()
        if chosen is None:
            return "There is no account to move."
        if self.new_parent.parent_id() == chosen.parent_id:
            where = PATH_SEPARATOR.join(self._paths.get(chosen.parent_id, ()))
            now = f"under {where}" if chosen.parent_id else "at the top"
            return f"“{chosen.name}” is {now}: choose where it goes."
        return ""

    def build_command(self) -> MoveAccount:
        account_id = self.account.account_id()
        assert account_id is not None  # problem() checked it
        return MoveAccount(account_id=account_id, new_parent_id=self.new_parent.parent_id())
