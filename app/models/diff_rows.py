"""The Diff window's two tables: every account at two moments, and one account's lines.

Both grey their figures while a newer diff is being computed (:meth:`set_stale`).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any, Protocol

from PySide6.QtCore import QModelIndex, QObject, Qt

from app.background.diff_jobs import DiffAccount
from app.formatting import date_text, money_text
from app.models import style
from app.models.columns import ColumnsTableModel, ModelIndex
from app.models.keyed import KeyedTableModel
from domain.projections.diff import DiffColumns, DiffLine

COL_ACCOUNT, COL_BEFORE, COL_AFTER, COL_DIFFERENCE = range(4)
COL_POSITION, COL_DATE, COL_EVENT, COL_AMOUNT, COL_RUNNING = range(5)


class Lines(Protocol):
    """The lines shown: :class:`DiffColumns`, or any sequence of lines by index."""

    def __len__(self) -> int: ...

    def line(self, index: int) -> DiffLine: ...


Describe = Callable[[int], str]
"""Position -> what the event at that position was, for people."""


def signed_money(minor: int, currency: str) -> str:
    """A change: ``+€12.50``, ``-€3.00``, ``€0.00``."""
    return ("+" if minor > 0 else "") + money_text(minor, currency)


class DiffAccountsModel(KeyedTableModel[DiffAccount]):
    """One row per account open at either moment: before, after and the difference."""

    _HEADERS = ("Account", "Before", "After", "Difference")
    _RIGHT = frozenset({COL_BEFORE, COL_AFTER, COL_DIFFERENCE})

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._stale = False

    def _key(self, row: DiffAccount) -> Hashable:
        return row.account_id

    def set_accounts(self, rows: Sequence[DiffAccount]) -> None:
        """Show ``rows`` (kept in place where they stay: selection and scroll survive)."""
        self.sync(rows)
        self.set_stale(False)

    def set_stale(self, stale: bool) -> None:
        if stale != self._stale:
            self._stale = stale
            last = self.index(len(self._rows) - 1, len(self._HEADERS) - 1)
            if self._rows:
                self.dataChanged.emit(self.index(0, 0), last, [Qt.ItemDataRole.ForegroundRole])

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index.row()) if index.isValid() else None
        if row is None:
            return None
        column = index.column()
        amount = (None, row.before, row.after, row.difference)[column]
        if role == Qt.ItemDataRole.DisplayRole:
            if amount is None:
                return row.path
            if column == COL_DIFFERENCE:
                return signed_money(amount, row.currency)
            return money_text(amount, row.currency)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self.alignment(column)
        if role == Qt.ItemDataRole.ToolTipRole and column == COL_DIFFERENCE:
            return f"{money_text(row.before, row.currency)} → {money_text(row.after, row.currency)}"
        if role == Qt.ItemDataRole.DecorationRole and column == COL_ACCOUNT:
            return style.type_icon(row.account_type)
        if role == Qt.ItemDataRole.ForegroundRole:
            if self._stale:
                return style.dimmed_brush()
            return style.amount_brush(amount) if amount is not None else None
        if role == Qt.ItemDataRole.FontRole and column == COL_DIFFERENCE and row.difference:
            return style.font(bold=True)
        return None


class DiffLinesModel(ColumnsTableModel):
    """The lines of one account between the two moments, with their running sum: the last
    running sum is the account's difference. ``describe`` names each line's event (asked
    only for the rows on screen, and remembered)."""

    _HEADERS = ("#", "Booking date", "Event", "Amount", "Sum")
    _RIGHT = frozenset({COL_POSITION, COL_AMOUNT, COL_RUNNING})

    def __init__(self, describe: Describe, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._describe = describe
        self._described: dict[int, str] = {}
        self._lines: Lines = DiffColumns()
        self._running: Sequence[int] = []
        self._currency = ""
        self._stale = False

    @property
    def total(self) -> int:
        """The sum of every line (0 without lines)."""
        return self._running[-1] if self._running else 0

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._lines)

    def line_at(self, row: int) -> DiffLine | None:
        return self._lines.line(row) if 0 <= row < len(self._lines) else None

    def set_lines(
        self,
        lines: Lines,
        running: Sequence[int],
        currency: str,
        described: Mapping[int, str] | None = None,
    ) -> None:
        """Show another account's lines (or the same one's at other moments), their running
        sums and what is known of their events: a different set of rows, so a reset."""
        assert len(running) == len(lines)
        self.beginResetModel()
        # kept as given (columns, not a row object each: a long span has a line per entry)
        self._lines, self._running, self._currency = lines, running, currency
        self._described = dict(described or {})
        self._stale = False
        self.endResetModel()

    def clear(self) -> None:
        self.set_lines(DiffColumns(), [], "")

    def set_stale(self, stale: bool) -> None:
        if stale != self._stale:
            self._stale = stale
            last = self.index(len(self._lines) - 1, len(self._HEADERS) - 1)
            if self._lines:
                self.dataChanged.emit(self.index(0, 0), last, [Qt.ItemDataRole.ForegroundRole])

    def _event_text(self, line: DiffLine) -> str:
        if line.opening:
            return "Opening balance"
        text = self._described.get(line.position)
        if text is None:
            text = self._described[line.position] = self._describe(line.position)
        return text

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        line = self.line_at(index.row()) if index.isValid() else None
        if line is None:
            return None
        column = index.column()
        amount = {COL_AMOUNT: line.amount, COL_RUNNING: self._running[index.row()]}.get(column)
        if role == Qt.ItemDataRole.DisplayRole:
            if column == COL_POSITION:
                return f"{line.position:,}"
            if column == COL_DATE:
                return date_text(line.booking_date)
            if column == COL_EVENT:
                return self._event_text(line)
            assert amount is not None
            return signed_money(amount, self._currency)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self.alignment(column)
        if role == Qt.ItemDataRole.ForegroundRole:
            if self._stale:
                return style.dimmed_brush()
            return style.amount_brush(amount) if amount is not None else None
        if role == Qt.ItemDataRole.ToolTipRole and column == COL_EVENT:
            return self._event_text(line)
        return None
