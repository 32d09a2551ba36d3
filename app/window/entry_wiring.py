"""Puts the entry row under the register and connects it: the selected account, whether the
books can be edited, Split… and Open Account from the row, and Edit in Entry Row."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtGui import QAction, QKeySequence

from app.models.sources import AccountRow
from app.window.command_dialogs import CommandDialogs
from app.window.entry_row import EntryRow
from app.window.register_view import RegisterPanel
from app.window.window_parts import WindowParts
from domain.model.commands import Deposit, Transfer, Withdraw


class EntryRowWiring(QObject):
    """The window's entry row (``row``) and the action that loads an entry into it."""

    def __init__(
        self,
        parts: WindowParts,
        dialogs: CommandDialogs,
        panel: RegisterPanel,
        editable: Callable[[], bool],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        assert parts.payees is not None
        self._parts, self._dialogs, self._panel, self._editable = parts, dialogs, panel, editable
        self.row = EntryRow(parts.controller, parts.accounts, parts.payees)
        panel.add_entry_row(self.row)
        self.row.open_account_requested.connect(dialogs.open_account_named)
        self.edit = QAction("Edit in Entry &Row", panel.table)
        self.edit.setShortcut(QKeySequence("Ctrl+Return"))
        self.edit.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.edit.setStatusTip("Load the entry into the row below the register to correct it")
        self.edit.triggered.connect(self.edit_selected)
        actions = panel.table.actions()  # first in the register's right-click menu
        if actions:
            panel.table.insertAction(actions[0], self.edit)
        else:
            panel.table.addAction(self.edit)

    def set_account(self, account: AccountRow | None) -> None:
        self.row.set_account(account)
        self.update()

    def update(self) -> None:
        """Enabled at the present of a writable book, in an open account's register."""
        account = self._parts.register.account
        self.row.setEnabled(self._editable() and account is not None and not account.closed)
        entry = self._panel.selected_entry()
        self.edit.setEnabled(self.row.isEnabled() and entry is not None
                             and not entry.struck_out and not entry.is_void)  # fmt: skip

    @Slot()
    def edit_selected(self) -> None:
        """Load the selected entry into the row; a split opens Correct Entry's dialog."""
        entry = self._panel.selected_entry()
        if entry is None or not self.edit.isEnabled():
            return
        original = self._parts.entry_command(entry.entry_id)
        if isinstance(original, Deposit | Withdraw | Transfer) and self.row.edit_entry(
            entry.entry_id, original
        ):
            return
        self._dialogs.correct(entry)
