"""The accounts table on the left: groups, accounts and balances."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, Signal, Slot
from PySide6.QtWidgets import QTableView, QWidget

from app.formatting import money_text
from app.models import accounts as cols
from app.models.accounts import TYPE_LABEL, AccountsModel
from app.models.sources import AccountRow
from app.window.column_fit import ColumnFit
from app.window.table_look import select_row, set_up_rows

_FIXED = {cols.COL_TYPE: list(TYPE_LABEL.values()), cols.COL_CURRENCY: ["EUR"]}


class AccountsView(QTableView):
    """Shows an :class:`AccountsModel`; says which account is selected (or none)."""

    account_selected = Signal(object)  # AccountRow | None

    def __init__(self, model: AccountsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("accountsTable")
        self._model = model
        self.setModel(model)
        set_up_rows(self)
        # the name takes what the type, currency and (bold) subtotals leave
        self.columns = ColumnFit(self, self.horizontalHeader(), _FIXED, {cols.COL_NAME: 1},
                                 bold=[cols.COL_BALANCE])  # fmt: skip
        self.columns.follow(cols.COL_BALANCE, [money_text(-(10**8 - 1), "EUR")])
        self.selectionModel().selectionChanged.connect(self._on_selection_changed)
        model.rowsRemoved.connect(self._emit_selected)
        model.dataChanged.connect(self._emit_selected)

    def selected_account(self) -> AccountRow | None:
        rows = self.selectionModel().selectedRows()
        return self._model.account_at(rows[0].row()) if rows else None

    def select_account(self, account_id: str) -> None:
        row = self._model.row_of(account_id)
        if row >= 0:
            select_row(self, row)

    def select_first_account(self) -> None:
        for row in range(self._model.rowCount()):
            account = self._model.account_at(row)
            if account is not None:
                self.select_account(account.account_id)
                return

    @Slot(QItemSelection, QItemSelection)
    def _on_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._emit_selected()

    @Slot()
    def _emit_selected(self) -> None:
        self.account_selected.emit(self.selected_account())
