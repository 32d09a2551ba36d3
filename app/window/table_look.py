"""What the window's tables share: whole rows selected one at a time, sized columns."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

ScrollHint = QAbstractItemView.ScrollHint


def set_up_rows(
    table: QTableView,
    widths: Mapping[int, int] | None = None,
    stretch: int | None = None,
    *,
    row_height: int = 24,
    grid: bool = False,
) -> None:
    """Select whole rows singly, alternate their colours, hide row numbers; give the columns
    their ``widths`` and let column ``stretch`` take what is left (or leave the sizes to a
    :class:`~app.window.column_fit.ColumnFit`)."""
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.setShowGrid(grid)
    table.setWordWrap(False)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(row_height)
    header = table.horizontalHeader()
    for column, width in (widths or {}).items():
        header.resizeSection(column, width)
    if stretch is not None:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    header.setHighlightSections(False)


def select_row(table: QTableView, row: int, hint: ScrollHint = ScrollHint.EnsureVisible) -> None:
    """Make ``row`` the current and only selected row, and scroll it into view."""
    index = table.model().index(row, 0)
    flags = (
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    )
    table.selectionModel().setCurrentIndex(index, flags)
    table.scrollTo(index, hint)
