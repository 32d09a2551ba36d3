"""The import preview's table: each row of a statement file, what the import would do with it,
its counter-account (editable) and the running balance the new entries would give."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from PySide6.QtCore import QModelIndex, Qt

from app.formatting import date_text, money_text
from app.import_preview import ERROR, MATCH, NEW, ImportPreview, PreviewRow
from app.models import style
from app.models.columns import ColumnsTableModel, ModelIndex

STATUS, DATE, PAYEE, COUNTER, AMOUNT, BALANCE = range(6)
UNCATEGORISED = "Uncategorised"
CATEGORY_ROLE = Qt.ItemDataRole.UserRole + 1  # the counter-account's id ("" = suspense)


class ImportRowsModel(ColumnsTableModel):
    """Rows of an :class:`ImportPreview`; ``names`` maps account ids to what to show.

    With ``link`` the possible matches are linked (no new entry: no balance change), else
    imported as new entries."""

    _HEADERS: ClassVar[tuple[str, ...]] = (
        "Status", "Date", "Payee", "Counter-account", "Amount", "Balance",
    )  # fmt: skip
    _RIGHT: ClassVar[frozenset[int]] = frozenset({AMOUNT, BALANCE})

    def __init__(self, names: Mapping[str, str], parent: Any = None) -> None:
        super().__init__(parent)
        self._names = dict(names)
        self._preview: ImportPreview | None = None
        self._rows: list[PreviewRow] = []
        self._categories: dict[int, str] = {}  # line -> counter-account id
        self._balances: list[int | None] = []
        self._link = True

    # --- what the dialog sets and reads ---------------------------------------------------

    def set_names(self, names: Mapping[str, str]) -> None:
        """The accounts' names again (one was opened)."""
        self._names = dict(names)
        self._changed(0, len(self._rows) - 1, COUNTER)

    def set_preview(self, preview: ImportPreview) -> None:
        self.beginResetModel()
        self._preview = preview
        self._rows = list(preview.rows)
        self._categories = {r.line: r.category_id for r in self._rows if r.category_id}
        self._recompute()
        self.endResetModel()

    def set_link(self, link: bool) -> None:
        self._link = link
        self._recompute()
        self._changed(0, len(self._rows) - 1, BALANCE)

    @property
    def preview(self) -> ImportPreview | None:
        return self._preview

    def categories(self) -> dict[int, str]:
        """Line -> the counter-account chosen for it (rows left Uncategorised are absent)."""
        return {line: c for line, c in self._categories.items() if c}

    def row_at(self, row: int) -> PreviewRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def imported(self, row: PreviewRow) -> bool:
        """Whether the import makes a new entry of ``row``."""
        return row.status == NEW or (row.status == MATCH and not self._link)

    def total(self) -> int:
        """The sum of what the new entries move (holder's sign)."""
        return sum(r.amount or 0 for r in self._rows if self.imported(r))

    def final_balance(self) -> int | None:
        known = [b for b in self._balances if b is not None]
        if known:
            return known[-1]
        return self._preview.balance if self._preview is not None else None

    def set_category(self, row: int, account_id: str, *, same_payee: bool = False) -> int:
        """Give the row (and, with ``same_payee``, every importable row of its payee) the
        counter-account; returns how many rows changed."""
        target = self.row_at(row)
        if target is None:
            return 0
        key = " ".join(target.payee.split()).casefold()
        changed = 0
        for number, other in enumerate(self._rows):
            same = number == row or (
                same_payee and other.status != ERROR
                and " ".join(other.payee.split()).casefold() == key
            )  # fmt: skip
            if same and self._categories.get(other.line, "") != account_id:
                self._categories[other.line] = account_id
                self._changed(number, number, COUNTER)
                changed += 1
        return changed

    # --- the model ------------------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        row = self.row_at(index.row()) if index.isValid() else None
        if row is not None and index.column() == COUNTER and row.status in (NEW, MATCH):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.model() is not self:
            return None
        row = self.row_at(index.row())
        if row is None or not 0 <= index.column() < len(self._HEADERS):
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(index.row(), row, column)
        if role == CATEGORY_ROLE and column == COUNTER:
            return self._categories.get(row.line, "")
        if role == Qt.ItemDataRole.EditRole and column == COUNTER:
            return self._categories.get(row.line, "")
        if role == Qt.ItemDataRole.ToolTipRole:
            return (
                f"May be the entry of {row.detail}" if row.status == MATCH else row.detail or None
            )
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self.alignment(column)
        if role == Qt.ItemDataRole.ForegroundRole:
            if row.status == ERROR:
                return style.negative_brush()
            if row.status not in (NEW, MATCH):
                return style.dimmed_brush()
            if column == AMOUNT and (row.amount or 0) < 0:
                return style.negative_brush()
        if role == Qt.ItemDataRole.FontRole and column == STATUS and row.status in (MATCH, ERROR):
            return style.font(bold=True)
        return None

    def setData(self, index: ModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or index.column() != COUNTER:
            return False
        if not self.flags(index) & Qt.ItemFlag.ItemIsEditable:
            return False
        self.set_category(index.row(), str(value or ""))
        return True

    def _text(self, number: int, row: PreviewRow, column: int) -> str:
        currency = self._preview.currency if self._preview is not None else ""
        if column == STATUS:
            return row.status
        if column == DATE:
            return date_text(row.booking_date) if row.booking_date else ""
        if column == PAYEE:  # a row that does not parse has no payee: say why instead
            return row.detail if row.status == ERROR else row.payee
        if column == COUNTER:
            if row.status == MATCH and self._link:
                return f"linked to {row.detail}"  # no new entry: the one in the books is it
            if not self.imported(row):
                return ""
            category = self._categories.get(row.line, "")
            return self._names.get(category, category) if category else UNCATEGORISED
        if column == AMOUNT:
            return "" if row.amount is None else money_text(row.amount, currency)
        balance = self._balances[number]
        return "" if balance is None else money_text(balance, currency)

    def _recompute(self) -> None:
        preview = self._preview
        balances: list[int | None] = []
        if preview is not None:
            running = preview.balance
            sign = -1 if preview.liability else 1
            for row in self._rows:
                if self.imported(row) and row.amount is not None:
                    running += sign * row.amount
                    balances.append(running)
                else:
                    balances.append(None)
        self._balances = balances

    def _changed(self, first: int, last: int, column: int) -> None:
        if last >= first >= 0:
            self.dataChanged.emit(self.index(first, column), self.index(last, column))
