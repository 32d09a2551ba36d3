"""The history dock: every event in a table, and the selected event's full record below.

The table and the timeline stay linked: the cursor's row is selected and scrolled into view;
Enter or a double-click on a row moves the cursor there.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QModelIndex, Qt, QTimer, Slot
from PySide6.QtWidgets import (
    QDockWidget,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.formatting import date_text
from app.models import history as cols
from app.models.history import HistoryModel, type_labels, wide_times
from app.window.column_fit import ColumnFit
from app.window.event_details_view import Details, EventDetailsView
from app.window.table_look import ScrollHint, select_row, set_up_rows
from app.window.time_travel import TimeTravel

EventDetails = Details
"""Position -> the event's readable page and raw record."""

# the accounts and the summary share the room the fixed columns leave
_SHARES = {cols.COL_ACCOUNT: 3, cols.COL_AUTHOR: 1, cols.COL_SUMMARY: 7}


def _fixed_texts() -> dict[int, list[str]]:
    """What the fixed columns can show: every event type, the widest times and dates."""
    days = [dt.date(2026, month, 28) for month in range(1, 13)]  # names differ by locale
    return {
        cols.COL_POSITION: ["9999999"],
        cols.COL_RECORDED: wide_times(),
        cols.COL_BOOKING: [date_text(day) for day in days],
        cols.COL_TYPE: type_labels(),
    }


class HistoryDock(QDockWidget):
    """History table plus detail pane, linked to the timeline's cursor."""

    def __init__(
        self,
        model: HistoryModel,
        travel: TimeTravel,
        details: EventDetails,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("History", parent)
        self.setObjectName("historyDock")
        self._model = model
        self._travel = travel
        self._details = details
        self.table = QTableView()
        self.table.setObjectName("historyTable")
        self.table.setModel(model)
        set_up_rows(self.table, row_height=22, grid=True)
        # the summary, the longest, goes last on screen
        self.table.horizontalHeader().moveSection(cols.COL_AUTHOR, cols.COL_SUMMARY)
        self.columns = ColumnFit(self.table, self.table.horizontalHeader(), _fixed_texts(), _SHARES)
        self.detail = EventDetailsView(details)
        self.detail.event_requested.connect(self._on_link)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        # a quarter for the record, also on a narrow window: the table keeps its summary
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([750, 250])
        self.setWidget(splitter)
        self._splitter = splitter
        self.table.activated.connect(self._on_row_activated)
        self.table.doubleClicked.connect(self._on_row_activated)
        selection = self.table.selectionModel()
        selection.currentRowChanged.connect(self._on_current_row_changed)
        travel.cursor_changed.connect(self._on_cursor_changed)
        # once laid out, show where the books stand: the newest event
        QTimer.singleShot(0, lambda: self.select_position(travel.cursor))

    def set_filter_bar(self, bar: QWidget) -> None:
        """Put the search and filter bar above the table."""
        left = QWidget()
        layout = QVBoxLayout(left)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(bar)
        layout.addWidget(self.table, stretch=1)  # out of the splitter, into the column
        self._splitter.insertWidget(0, left)
        self._splitter.setStretchFactor(0, 3)
        self._splitter.setStretchFactor(1, 1)
        self._splitter.setSizes([750, 250])

    def selected_position(self) -> int | None:
        index = self.table.currentIndex()
        return self._model.position_at(index.row()) if index.isValid() else None

    def select_position(self, position: int) -> None:
        """Select and show the row of ``position`` (without moving the cursor)."""
        row = self._model.row_of(position)
        if not 0 <= row < self._model.rowCount():  # filtered out: no row shows it
            self.table.clearSelection()
            return
        select_row(self.table, row, ScrollHint.PositionAtCenter)

    @Slot(QModelIndex)
    def _on_row_activated(self, index: QModelIndex) -> None:
        position = self._model.position_at(index.row())
        if position is not None:
            self._travel.move_to(position)

    @Slot(QModelIndex, QModelIndex)
    def _on_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        position = self._model.position_at(current.row()) if current.isValid() else None
        self.detail.show_position(position)

    @Slot(int)
    def _on_link(self, position: int) -> None:
        # a related event: shown in the history, and the books as of it, as Enter on its row
        self.select_position(position)
        self._travel.move_to(position)

    @Slot(int)
    def _on_cursor_changed(self, cursor: int) -> None:
        self.select_position(cursor)
