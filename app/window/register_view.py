"""The register in the centre: the selected account's entries with running balance."""

from __future__ import annotations

import html

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.formatting import money_text
from app.models import register as cols
from app.models.accounts import TYPE_LABEL, AccountsModel
from app.models.register import RegisterModel
from app.models.sources import AccountRow, RegisterRow
from app.window.table_look import set_up_rows

_WIDTHS = {
    cols.COL_DATE: 92,
    cols.COL_PAYEE: 150,
    cols.COL_OTHER: 150,
    cols.COL_AMOUNT: 110,
    cols.COL_BALANCE: 120,
}


class RegisterPanel(QWidget):
    """A title line (account, type, balance) over the register table."""

    entry_selected = Signal(object)  # RegisterRow | None
    event_requested = Signal(int)  # a history position to show: the void of a voided row

    def __init__(
        self,
        model: RegisterModel,
        parent: QWidget | None = None,
        *,
        accounts: AccountsModel | None = None,
        no_accounts_hint: str = "",
    ) -> None:
        """``no_accounts_hint`` replaces "Select an account…" while ``accounts`` shows none in
        the present: a new book's first step is to open one, not to select one."""
        super().__init__(parent)
        self._model = model
        self._accounts = accounts
        self._no_accounts_hint = no_accounts_hint
        self._not_yet = ""  # the chosen account, while the timeline is before it was opened
        self.title = QLabel()
        self.title.setObjectName("registerTitle")
        self.title.setTextFormat(Qt.TextFormat.RichText)
        # an empty book's hint is a sentence: wrapped, it does not widen the register's side
        self.title.setWordWrap(True)
        self.table = QTableView()
        self.table.setObjectName("registerTable")
        self.table.setModel(model)
        set_up_rows(self.table, _WIDTHS, stretch=cols.COL_MEMO)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.table)
        self.table.selectionModel().selectionChanged.connect(self._emit_selected)
        self.table.activated.connect(self._on_activated)
        model.modelReset.connect(self._on_rows_changed)
        model.modelReset.connect(self._show_latest)
        model.rowsInserted.connect(self._on_rows_changed)
        model.rowsRemoved.connect(self._on_rows_changed)
        # lay the rows out now rather than from the view's 0-ms timer, which would repaint
        # the whole table a second time after every timeline move
        model.rowsInserted.connect(self.table.doItemsLayout)
        model.rowsRemoved.connect(self.table.doItemsLayout)
        model.dataChanged.connect(self._on_rows_changed)
        if accounts is not None:
            for changed in (accounts.modelReset, accounts.rowsInserted, accounts.rowsRemoved):
                changed.connect(self._refresh_title)
        self._on_rows_changed()

    def selected_entry(self) -> RegisterRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self._model.row_at(rows[0].row()) if rows else None

    @Slot(QModelIndex)
    def _on_activated(self, index: QModelIndex) -> None:
        row = self._model.row_at(index.row())
        if row is not None:
            self.event_requested.emit(row.voided_by if row.voided_by is not None else row.position)

    @Slot()
    def _emit_selected(self) -> None:
        self.entry_selected.emit(self.selected_entry())

    @Slot()
    def _show_latest(self) -> None:
        # a register is read from its newest entries up
        QTimer.singleShot(0, self.table.scrollToBottom)

    @Slot()
    def _on_rows_changed(self) -> None:
        self._refresh_title()
        self._emit_selected()

    @Slot()
    def _refresh_title(self) -> None:
        self.title.setText(self._title(self._model.account))

    def _no_accounts(self) -> bool:
        # only the present: earlier than the first account, there is nothing to open there
        accounts = self._accounts
        return accounts is not None and accounts.as_of is None and accounts.rowCount() == 0

    def show_not_opened_yet(self, name: str) -> None:
        """Say that the chosen account ``name`` did not exist yet ("" when it does)."""
        self._not_yet = name
        self._refresh_title()

    def _title(self, account: AccountRow | None) -> str:
        if account is None:
            if self._not_yet:
                hint = html.escape(f"{self._not_yet} was not opened yet at this point")
                return f"<span style='font-size: 13pt;'>{hint}</span>"
            if self._no_accounts_hint and self._no_accounts():
                hint = html.escape(self._no_accounts_hint)
                return f"<span style='font-size: 13pt;'>{hint}</span>"
            return "<span style='font-size: 13pt;'>Select an account to see its register</span>"
        balance = money_text(account.balance, account.currency)
        color = "#c0392b" if account.balance < 0 else "palette(text)"
        closed = " · closed" if account.closed else ""
        return (
            f"<span style='font-size: 14pt; font-weight: 600;'>{html.escape(account.name)}</span>"
            f"&nbsp;&nbsp;<span>{TYPE_LABEL[account.account_type]} · {account.currency}"
            f"{closed}</span>&nbsp;&nbsp;&nbsp;<span style='font-size: 13pt; color: {color};'>"
            f"{balance}</span>"
        )
