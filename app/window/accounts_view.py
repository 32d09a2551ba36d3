"""The accounts tree on the left: types, currencies, accounts under their parents, balances.

The view remembers the account chosen by its id: when the timeline goes back before that
account existed (its row goes away) nothing else is selected in its place, and when the
account is there again (Return to Present) it is selected again. Qt's own choice of a
neighbour for a removed row is undone, so a header or "Net worth" row is never made current.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractItemView, QTreeView, QWidget

from app.formatting import money_text
from app.models import accounts as cols
from app.models.accounts import AccountsModel
from app.models.sources import AccountRow
from app.window.column_fit import ColumnFit

_FIXED = {cols.COL_CURRENCY: ["EUR"]}


class AccountsView(QTreeView):
    """Shows an :class:`AccountsModel`; says which account is selected (or none)."""

    account_selected = Signal(object)  # AccountRow | None

    def __init__(self, model: AccountsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("accountsTable")
        self._model = model
        self._chosen: str | None = None  # the account id people selected
        self._chosen_name = ""
        self._syncing = False
        self._emitted: AccountRow | None = None
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        self.setUniformRowHeights(True)
        self.setAllColumnsShowFocus(True)
        self.setIndentation(14)
        header = self.header()
        header.setStretchLastSection(False)
        header.setHighlightSections(False)
        # the tree already groups by type: its column would only repeat it (and take the
        # room the names need, indented under their parents)
        self.setColumnHidden(cols.COL_TYPE, True)
        # the name takes what the currency and (bold) subtotals leave
        self.columns = ColumnFit(self, header, _FIXED, {cols.COL_NAME: 1}, bold=[cols.COL_BALANCE])
        self.columns.follow(cols.COL_BALANCE, [money_text(-(10**8 - 1), "EUR")])
        # drag an account onto its new parent (or its type's header): see set_editable
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setDragDropOverwriteMode(True)  # onto a row, not between two
        self.setDropIndicatorShown(True)
        self.set_editable(True)
        self.expandAll()
        # View ▸ Show Closed Accounts: the window keeps the choice in its settings
        self.show_closed_action = QAction("Show &Closed Accounts", self)
        self.show_closed_action.setCheckable(True)
        self.show_closed_action.setChecked(model.show_closed)
        self.show_closed_action.toggled.connect(model.set_show_closed)
        self.selectionModel().selectionChanged.connect(self._on_selection_changed)
        model.rowsInserted.connect(self._on_rows_inserted)
        model.syncing.connect(self._on_syncing)
        model.synced.connect(self._on_synced)

    def set_editable(self, editable: bool) -> None:
        """Moving by drag and drop only where the books can change (the present, writable)."""
        self.setDragEnabled(editable)
        self.setAcceptDrops(editable)
        self.viewport().setAcceptDrops(editable)

    def selected_account(self) -> AccountRow | None:
        rows = self.selectionModel().selectedRows()
        return self._model.account_at(rows[0]) if rows else None

    def select_account(self, account_id: str) -> None:
        """Select the account (and remember it) if it is shown."""
        index = self._model.index_of_account(account_id)
        if index.isValid():
            self._choose(self._model.account_at(index))
            self._select(index)

    def select_first_account(self) -> None:
        for _index, line in self._model.walk():
            if line.account is not None:
                self.select_account(line.account.account_id)
                return

    def moveCursor(
        self, cursorAction: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier
    ) -> QModelIndex:
        """The keys step from account to account: a header or total row in the way is
        passed over (made current, it would select nothing and empty the register)."""
        target = super().moveCursor(cursorAction, modifiers)
        if not target.isValid() or self._selectable(target):
            return target
        Action = QAbstractItemView.CursorAction
        # look the way the key goes (End lands on the last row, a total: look up from it)
        forward = cursorAction not in (Action.MoveUp, Action.MovePrevious, Action.MovePageUp,
                                       Action.MoveEnd, Action.MoveLeft)  # fmt: skip
        for step in (forward, not forward):
            found = self._next_selectable(target, down=step)
            if found.isValid():
                return found
        return self.currentIndex()

    def _next_selectable(self, start: QModelIndex, *, down: bool) -> QModelIndex:
        index = start
        while index.isValid() and not self._selectable(index):
            index = self.indexBelow(index) if down else self.indexAbove(index)
        return index

    def _selectable(self, index: QModelIndex | QPersistentModelIndex) -> bool:
        return bool(self._model.flags(index) & Qt.ItemFlag.ItemIsSelectable)

    def _select(self, index: QModelIndex) -> None:
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        self.selectionModel().setCurrentIndex(index, flags)
        self.scrollTo(index)

    @Slot(QModelIndex, int, int)
    def _on_rows_inserted(self, parent: QModelIndex, first: int, last: int) -> None:
        # new rows open expanded, as the whole tree does at first; rows people collapsed stay so
        for row in range(first, last + 1):
            index = self._model.index(row, 0, parent)
            self.expandRecursively(index)

    @Slot()
    def _on_syncing(self) -> None:
        self._syncing = True

    @Slot()
    def _on_synced(self) -> None:
        self._syncing = False
        index = self._model.index_of_account(self._chosen) if self._chosen is not None else None
        if index is not None and index.isValid():
            if not self.selectionModel().isSelected(index):
                self._select(index)
        else:  # the chosen account is not there (yet): nothing instead of a neighbour
            self.selectionModel().clear()
        self._emit_selected()

    @Slot(QItemSelection, QItemSelection)
    def _on_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        if self._syncing:
            return  # Qt's choice while rows go: put right once the sync is done
        self._choose(self.selected_account())
        self._emit_selected()

    def _choose(self, account: AccountRow | None) -> None:
        if account is not None:
            self._chosen, self._chosen_name = account.account_id, account.name

    def chosen_but_missing(self) -> str:
        """The name of the account chosen, if it is not there (the timeline is before it
        was opened); else ""."""
        if self._chosen is None or self._model.account(self._chosen) is not None:
            return ""
        return self._chosen_name

    def _emit_selected(self) -> None:
        account = self.selected_account()
        if account != self._emitted:
            self._emitted = account
            self.account_selected.emit(account)
