"""Opens the command dialogs, each with just what it needs (controller, accounts, selection)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from app.controller import CommandController
from app.dialogs.account_edit import CloseAccountDialog, RenameAccountDialog
from app.dialogs.base import CommandDialog
from app.dialogs.deposit_withdraw import DepositOrWithdraw, EntryDialog
from app.dialogs.entry_form import EntryFormDialog
from app.dialogs.move_account import MoveAccountDialog
from app.dialogs.open_account import OpenAccountDialog
from app.dialogs.reconcile import ReconcileDialog, ReconcileSource
from app.dialogs.split import SplitEntryDialog
from app.dialogs.transfer import TransferDialog
from app.dialogs.void import VoidEntryDialog
from app.models.accounts import AccountsModel
from app.models.sources import AccountRow, RegisterRow
from domain.model.commands import Deposit, Transfer, Withdraw
from domain.model.entries import EntryCommand

Closing = tuple[Decimal, dt.date | None]  # a statement's closing balance and its date


class CommandDialogs:
    """Factory and launcher of the window-modal command dialogs."""

    def __init__(
        self,
        controller: CommandController,
        accounts: AccountsModel,
        entry_command: Callable[[str], EntryCommand],
        parent: QWidget,
    ) -> None:
        self._controller = controller
        self._accounts = accounts
        self._entry_command = entry_command  # entry id -> the command that posts it as it is
        self._parent = parent
        self.current: CommandDialog | None = None

    def open_account(self) -> CommandDialog:
        return self._show(
            OpenAccountDialog(self._controller, self._accounts.accounts(), self._parent)
        )

    def deposit(self, selected_id: str | None) -> CommandDialog:
        return self._entry(DepositOrWithdraw.DEPOSIT, selected_id)

    def withdraw(self, selected_id: str | None) -> CommandDialog:
        return self._entry(DepositOrWithdraw.WITHDRAW, selected_id)

    def transfer(self, selected_id: str | None) -> CommandDialog:
        dialog = TransferDialog(
            self._controller, self._accounts.accounts(), selected_id, self._parent
        )
        return self._show(dialog)

    def split(self, selected_id: str | None) -> CommandDialog:
        return self._show(
            SplitEntryDialog(self._controller, self._accounts.accounts(), selected_id, self._parent)
        )

    def open_account_named(self, name: str) -> CommandDialog:
        """Open Account with the name typed in the entry row."""
        dialog = self.open_account()
        if isinstance(dialog, OpenAccountDialog):
            dialog.name.setText(name)
        return dialog

    def void(self, entry: RegisterRow, currency: str) -> CommandDialog:
        return self._show(VoidEntryDialog(self._controller, entry, currency, self._parent))

    def correct(self, entry: RegisterRow) -> CommandDialog:
        """The dialog that posts entries of this one's kind, filled in to correct it."""
        original = self._entry_command(entry.entry_id)
        accounts = self._accounts.accounts()
        dialog: EntryFormDialog
        if isinstance(original, Deposit | Withdraw):
            kind = (
                DepositOrWithdraw.DEPOSIT
                if isinstance(original, Deposit)
                else DepositOrWithdraw.WITHDRAW
            )
            dialog = EntryDialog(kind, self._controller, accounts, None, self._parent)
        elif isinstance(original, Transfer):
            dialog = TransferDialog(self._controller, accounts, None, self._parent)
        else:
            dialog = SplitEntryDialog(self._controller, accounts, None, self._parent)
        dialog.correct(entry.entry_id, original)
        return self._show(dialog)

    def rename(self, selected_id: str | None) -> CommandDialog:
        dialog = RenameAccountDialog(
            self._controller, self._accounts.accounts(), selected_id, self._parent
        )
        return self._show(dialog)

    def move_account(self, selected_id: str | None) -> CommandDialog:
        dialog = MoveAccountDialog(
            self._controller, self._accounts.accounts(), selected_id, self._parent
        )
        return self._show(dialog)

    def close_account(self, selected_id: str | None) -> CommandDialog:
        dialog = CloseAccountDialog(
            self._controller, self._accounts.accounts(), selected_id, self._parent
        )
        return self._show(dialog)

    def reconcile(
        self, source: ReconcileSource, account: AccountRow, closing: Closing | None
    ) -> CommandDialog:
        return self._show(ReconcileDialog(self._controller, source, account, closing, self._parent))

    def _entry(self, kind: DepositOrWithdraw, selected_id: str | None) -> CommandDialog:
        dialog = EntryDialog(kind, self._controller, self._accounts.accounts(), selected_id,
                             self._parent)  # fmt: skip
        return self._show(dialog)

    def _show(self, dialog: CommandDialog) -> CommandDialog:
        # window-modal and non-blocking: the main loop (and tests) keep running
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(self._on_finished)
        self.current = dialog
        dialog.open()
        return dialog

    def _on_finished(self) -> None:
        self.current = None
