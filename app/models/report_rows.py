"""The open report's rows: section headings, lines, totals and checks, with the comparison.

The columns are fixed (the view hides those a report does not use), and a recomputed report
changes the rows in place: the figures that moved get ``dataChanged``, lines that came or
went are inserted or removed, so a timeline move never resets the model.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from babel.numbers import format_percent
from PySide6.QtCore import QModelIndex, QObject, Qt

from app.formatting import babel_locale, money_text
from app.models import style
from app.models.columns import ColumnsTableModel, ModelIndex
from domain.projections.report_table import TableRow

COL_LINE, COL_CURRENCY, COL_AMOUNT, COL_OTHER, COL_DIFFERENCE, COL_SHARE = range(6)

Key = tuple[str, str, str | None, str, str]


@dataclass(frozen=True, slots=True)
class ShownRow:
    """A heading (``row`` None) or one of the report's rows under its section."""

    key: Key
    heading: str = ""
    row: TableRow | None = None


def shown_rows(rows: list[TableRow]) -> list[ShownRow]:
    """The report's rows with a heading before each section."""
    shown: list[ShownRow] = []
    section: str | None = None
    for r in rows:
        if r.section != section:
            section = r.section
            if section:
                shown.append(ShownRow(("heading", section, None, "", ""), heading=section))
        shown.append(ShownRow((r.kind, r.section, r.account_id, r.name, r.currency), row=r))
    return shown


def share_text(share: Decimal) -> str:
    """A share in the locale's percent format, one decimal ("12.5%")."""
    return str(format_percent(share, "#,##0.0%", locale=babel_locale()))


class ReportRowsModel(ColumnsTableModel):
    """Rows of one report; :meth:`set_rows` updates them in place, :meth:`set_stale` greys
    the figures while a newer report is being computed."""

    _HEADERS = ("Line", "Currency", "Amount", "Compared", "Difference", "Share")
    _RIGHT = frozenset({COL_AMOUNT, COL_OTHER, COL_DIFFERENCE, COL_SHARE})

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[ShownRow] = []
        self._headers = list(self._HEADERS)
        self._stale = False

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def row_at(self, row: int) -> TableRow | None:
        return self._rows[row].row if 0 <= row < len(self._rows) else None

    def set_labels(self, amount: str, other: str) -> None:
        """The amount and comparison columns' headings (say "Known then", "Known now")."""
        if self._headers[COL_AMOUNT] != amount or self._headers[COL_OTHER] != other:
            self._headers[COL_AMOUNT], self._headers[COL_OTHER] = amount, other
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, COL_AMOUNT, COL_OTHER)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._headers[section] if 0 <= section < len(self._headers) else None
        return super().headerData(section, orientation, role)

    @property
    def stale(self) -> bool:
        """The figures are greyed: newer ones are being computed."""
        return self._stale

    def set_stale(self, stale: bool) -> None:
        if stale != self._stale:
            self._stale = stale
            self._changed(0, len(self._rows) - 1)

    def set_rows(self, rows: list[TableRow]) -> None:
        """Show ``rows``: the unchanged start and end of the list stay, the middle is
        replaced by removing and inserting rows, and changed figures are announced."""
        new = shown_rows(rows)
        old = self._rows
        start = 0
        while start < min(len(old), len(new)) and old[start].key == new[start].key:
            start += 1
        end_old, end_new = len(old), len(new)
        while end_old > start and end_new > start and old[end_old - 1].key == new[end_new - 1].key:
            end_old, end_new = end_old - 1, end_new - 1
        if end_old > start:
            self.beginRemoveRows(QModelIndex(), start, end_old - 1)
            del self._rows[start:end_old]
            self.endRemoveRows()
        if end_new > start:
            self.beginInsertRows(QModelIndex(), start, end_new - 1)
            self._rows[start:start] = new[start:end_new]
            self.endInsertRows()
        changed = [i for i, (a, b) in enumerate(zip(self._rows, new, strict=True)) if a != b]
        self._rows = new
        was_stale, self._stale = self._stale, False
        if was_stale:
            self._changed(0, len(new) - 1)
        elif changed:
            self._changed(changed[0], changed[-1])

    def _changed(self, first: int, last: int) -> None:
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(self._HEADERS) - 1))

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        shown, column = self._rows[index.row()], index.column()
        r = shown.row
        if role == Qt.ItemDataRole.DisplayRole:
            if r is None:
                return shown.heading if column == COL_LINE else None
            return self._text(r, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self.alignment(column)
        if role == Qt.ItemDataRole.FontRole and (r is None or r.kind != "line"):
            return style.font(bold=True, italic=r is not None and r.kind == "check")
        if role == Qt.ItemDataRole.ForegroundRole:
            if self._stale:
                return style.dimmed_brush()
            amount = self._amount(r, column) if r is not None else None
            return style.negative_brush() if amount is not None and amount < 0 else None
        if role == Qt.ItemDataRole.BackgroundRole and r is None:
            return style.group_brush()
        if role == Qt.ItemDataRole.ToolTipRole and r is not None and r.account_id:
            return "Double-click to open this account's register"
        return None

    @staticmethod
    def _amount(r: TableRow, column: int) -> int | None:
        return {COL_AMOUNT: r.amount, COL_OTHER: r.other, COL_DIFFERENCE: r.difference}.get(column)

    def _text(self, r: TableRow, column: int) -> str | None:
        if column == COL_LINE:
            return r.indented_name
        if column == COL_CURRENCY:
            return r.currency
        if column == COL_SHARE:
            return None if r.share is None else share_text(r.share)
        amount = self._amount(r, column)
        return None if amount is None else money_text(amount, r.currency)
