"""Every event of the book, paged from the history read model (copes with a million events).

Row ``r`` is the event at position ``r + 1``, unless a filter or a sort is shown: then the
rows are the positions it gave (see :meth:`HistoryModel.show_positions`). Rows after the
timeline's cursor are dimmed.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, Qt, Slot

from app.formatting import babel_locale_name, date_text, local_time_text
from app.models import paged, style
from app.models.columns import ModelIndex
from app.models.paged import PagedTableModel
from app.models.sources import HistoryRow, HistorySource
from domain.model.events import EVENT_TYPES
from domain.store.base import StoredEvent

COL_POSITION, COL_RECORDED, COL_BOOKING, COL_TYPE, COL_ACCOUNT, COL_SUMMARY, COL_AUTHOR = range(7)
SORT_KEYS = {
    COL_POSITION: "position", COL_RECORDED: "position",  # recorded times follow positions
    COL_BOOKING: "day", COL_TYPE: "type", COL_AUTHOR: "author",
}  # fmt: skip
"""The columns the history sorts by, and the search index's order for each."""
HISTORY_PAGE_SIZE = 16
RowsAt = Callable[[Sequence[int], str | None], list[HistoryRow]]
"""Positions, Babel locale -> their history rows (in that order)."""


def humanize_type(type_name: str) -> str:
    """``EntryPosted`` → ``Entry posted``."""
    words = re.findall(r"[A-Z][a-z]*", type_name) or [type_name]
    return " ".join([words[0], *(w.lower() for w in words[1:])])


def type_labels() -> list[str]:
    """Every event type as the history and the timeline show it (to size their text)."""
    return [humanize_type(name) for name in EVENT_TYPES]


def wide_times() -> list[str]:
    """Recorded times with the most digits (two-digit months, days and hours, morning and
    evening), as the history shows them: to size the text that shows one."""
    return [
        local_time_text(dt.datetime(2026, month, 28, hour, 58, 58, tzinfo=dt.UTC))
        for month in (10, 11, 12)
        for hour in (10, 11, 22, 23)
    ]


def event_text(row: HistoryRow) -> str:
    """What an event was, in a line: its summary, or its type if it has none."""
    return row.summary or humanize_type(row.type)


class HistoryModel(PagedTableModel[HistoryRow]):
    """All recorded events in position order; grows by inserts as events are appended."""

    _HEADERS = ("#", "Recorded at", "Booking date", "Type", "Account", "Summary", "Author")
    _RIGHT = frozenset({COL_POSITION})

    def __init__(
        self,
        source: HistorySource,
        parent: QObject | None = None,
        *,
        rows_at: RowsAt | None = None,
    ) -> None:
        super().__init__(parent)
        self._source = source
        self._rows_at = rows_at
        self._cursor: int | None = None
        self._row_count = source.event_count()
        self._positions: Sequence[int] | None = None  # None: every event, by position
        self._by_position = True  # the positions shown are in ascending order

    @property
    def filtered(self) -> bool:
        """Whether the rows are a filter's (or a sort's) positions, not every event."""
        return self._positions is not None

    def page_size(self) -> int:
        # a page is described in words, ~0.6 ms an event on a million-event book: a 64-event
        # page for the dozen rows around the cursor took 40-100 ms of a timeline step
        return min(paged.PAGE_SIZE, HISTORY_PAGE_SIZE)  # (tests make pages smaller still)

    def _count(self) -> int:
        return self._source.event_count() if self._positions is None else len(self._positions)

    def _fetch(self, offset: int, limit: int) -> list[HistoryRow]:
        # the summaries' amounts in the user's locale, like every other amount on screen
        if self._positions is None or self._rows_at is None:
            return self._source.history(offset=offset, limit=limit, locale=babel_locale_name())
        return self._rows_at(self._positions[offset : offset + limit], babel_locale_name())

    def show_positions(self, positions: Sequence[int], *, by_position: bool = True) -> None:
        """Show only these events, in this order (``by_position``: ascending positions)."""
        self._positions, self._by_position = positions, by_position
        self._reset_rows()

    def show_all(self) -> None:
        """Every event again, by position."""
        if self._positions is not None:
            self._positions, self._by_position = None, True
            self._reset_rows()

    def row_of(self, position: int) -> int:
        """The row of ``position`` (-1: filtered out)."""
        positions = self._positions
        if positions is None:
            return position - 1
        if self._by_position:
            index = bisect_left(positions, position)
            return index if index < len(positions) and positions[index] == position else -1
        try:  # an array or a list: a scan in C (a million positions: a few ms)
            return positions.index(position)
        except ValueError:
            return -1

    def position_at(self, row: int) -> int | None:
        if not 0 <= row < self._row_count:
            return None
        return row + 1 if self._positions is None else self._positions[row]

    def caption(self, position: int) -> tuple[str, str]:
        """(recorded time in local time, event type) of the event at ``position``: from a
        page already read, else read alone (a page of a million-event book described in words
        took 40-230 ms, at every timeline step)."""
        row = self._cached(position)
        if row is None and self._positions is not None:  # perhaps filtered out: asked alone
            rows = self._rows_at([position], babel_locale_name()) if self._rows_at else []
            row = rows[0] if rows else None
        elif row is None and 0 < position <= self._row_count:
            rows = self._source.history(position - 1, 1, locale=babel_locale_name())
            row = rows[0] if rows else None
        if row is None:
            return "", ""
        return local_time_text(row.recorded_at), humanize_type(row.type)

    def _cached(self, position: int) -> HistoryRow | None:
        """The event at ``position`` if a page read holds it."""
        row = self.row_of(position)
        number, offset = divmod(row, self.page_size())
        page = self._pages.get(number) if row >= 0 else None
        found = page[offset] if page and offset < len(page) else None
        return found if found is not None and found.position == position else None

    def describe(self, position: int) -> str:
        """The summary of the event at ``position`` (its type if it has none), read alone:
        a diff lists events scattered over the whole book, a page each would be slow."""
        page = self._pages.get(self.row_of(position) // self.page_size())
        rows = [r for r in page or () if r.position == position]
        rows = rows or self._source.history(position - 1, 1, locale=babel_locale_name())
        return event_text(rows[0]) if rows else ""

    @property
    def cursor(self) -> int | None:
        return self._cursor

    @Slot(object)
    def set_cursor(self, as_of: int | None) -> None:
        """Dim the rows after ``as_of`` (``None``: the present, nothing dimmed)."""
        old, self._cursor = self._cursor, as_of
        if self._positions is not None:  # the dimmed rows are anywhere: repaint them all
            self._changed(0, self._row_count - 1)
            return
        last = self._row_count
        old_edge = last if old is None else old
        new_edge = last if as_of is None else as_of
        first, end = sorted((old_edge, new_edge))
        if first < end:
            self.dataChanged.emit(
                self.index(first, 0),
                self.index(end - 1, len(self._HEADERS) - 1),
                [Qt.ItemDataRole.ForegroundRole],
            )

    @Slot(list)
    def on_events_appended(self, events: Sequence[StoredEvent]) -> None:
        # append-only: only rows at the end can appear (a filter is asked again instead)
        if self._positions is None:
            self.grow_to(max((event.position for event in events), default=0))

    def data(
        self,
        index: ModelIndex,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if not index.isValid() or not 0 <= index.row() < self._row_count:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.ForegroundRole:
            position = self.position_at(index.row()) or 0
            if self._cursor is not None and position > self._cursor:
                return style.dimmed_brush()
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self.alignment(column)
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        row = self.row_at(index.row())
        if row is None:
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.summary if column == COL_SUMMARY else None
        return self._display(row, column)

    @staticmethod
    def _display(row: HistoryRow, column: int) -> str | None:
        if column == COL_POSITION:
            return str(row.position)
        if column == COL_RECORDED:
            return local_time_text(row.recorded_at)
        if column == COL_BOOKING:
            return date_text(row.booking_date) if row.booking_date else ""
        if column == COL_TYPE:
            return humanize_type(row.type)
        if column == COL_ACCOUNT:
            return row.account
        if column == COL_SUMMARY:
            return row.summary
        if column == COL_AUTHOR:
            return row.author
        return None
