"""The register in the centre: the selected account's entries with running balance."""

from __future__ import annotations

import datetime as dt
import html

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.formatting import date_text, money_text
from app.models import register as cols
from app.models.accounts import TYPE_LABEL, AccountsModel
from app.models.register import COL_STATUS, NOT_CLEARED, RegisterModel
from app.models.sources import AccountRow, RegisterRow
from app.window.column_fit import ColumnFit
from app.window.entry_row import EntryRow
from app.window.table_look import set_up_rows

# the text columns share the room the date, the amounts and the status leave
_SHARES = {cols.COL_PAYEE: 3, cols.COL_MEMO: 2, cols.COL_OTHER: 3}
_LARGE = 10**8 - 1  # minor units: amounts up to 999,999.99 EUR, or a digit more than the balance
_STATUSES = ("reconciled", "cleared", NOT_CLEARED)


def _dates() -> list[str]:
    # the last day of each month (names and digits differ by locale)
    return [date_text(dt.date(2026, month, 28)) for month in range(1, 13)]


class RegisterPanel(QWidget):
    """A title line (account, type, balance) over the register table."""

    entry_selected = Signal(object)  # RegisterRow | None
    event_requested = Signal(int)  # a history position to show: the void of a voided row

    def set_filter_bar(self, bar: QWidget) -> None:
        """Put the filter bar between the title and the table."""
        self._layout.insertWidget(1, bar)

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
        set_up_rows(self.table)
        self.columns = ColumnFit(
            self.table, self.table.horizontalHeader(),
            {cols.COL_DATE: _dates(), COL_STATUS: _STATUSES}, _SHARES,
        )  # fmt: skip
        self._fit_money()
        layout = self._layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.table)
        self.table.selectionModel().selectionChanged.connect(self._emit_selected)
        self.table.activated.connect(self._on_activated)
        model.modelReset.connect(self._fit_money)
        model.modelReset.connect(self._on_rows_changed)
        model.modelReset.connect(self._show_latest)
        model.rowsInserted.connect(self._on_rows_changed)
        model.rowsRemoved.connect(self._on_rows_changed)
        # lay the rows out now rather than from the view's 0-ms timer, which would repaint
        # the whole table a second time after every timeline move
        model.rowsInserted.connect(self.table.doItemsLayout)
        model.rowsRemoved.connect(self.table.doItemsLayout)
        model.dataChanged.connect(self._on_rows_changed)
        # a register shown at its newest entry stays there while the window is laid out again
        # or entries are added; scrolled up, it stays where the user put it
        self._at_newest = True
        bar = self.table.verticalScrollBar()
        bar.valueChanged.connect(self._on_scrolled)
        bar.rangeChanged.connect(self._on_range_changed)
        if accounts is not None:
            for changed in (accounts.modelReset, accounts.rowsInserted, accounts.rowsRemoved):
                changed.connect(self._refresh_title)
        self._on_rows_changed()

    def add_entry_row(self, row: EntryRow) -> None:
        """Put the entry row under the table, its fields under the table's columns."""
        self._layout.addWidget(row)
        row.align_to(self.table.horizontalHeader())

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
    def _fit_money(self) -> None:
        # as wide as a large amount in the account's currency (its symbol and decimals)
        account = self._model.account
        currency, balance = (account.currency, account.balance) if account else ("EUR", 0)
        samples = [money_text(-max(_LARGE, 10 ** len(str(abs(balance))) - 1), currency)]
        for column in (cols.COL_AMOUNT, cols.COL_BALANCE):
            self.columns.set_samples(column, samples)

    @Slot()
    def _show_latest(self) -> None:
        # a register is read from its newest entries up
        self._at_newest = True
        QTimer.singleShot(0, self.table.scrollToBottom)

    @Slot(int)
    def _on_scrolled(self, value: int) -> None:
        self._at_newest = value >= self.table.verticalScrollBar().maximum()

    @Slot(int, int)
    def _on_range_changed(self, _minimum: int, maximum: int) -> None:
        if self._at_newest:
            self.table.verticalScrollBar().setValue(maximum)

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
