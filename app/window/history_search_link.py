"""The history's filters and sorting, wired: the bar asks the searcher (a worker), the answers
become the history model's rows, and the timeline stays linked.

A filter only hides rows: the books, the timeline's cursor and what every view computes stay
as they are. Selecting a filtered row (Enter, double-click) still moves the cursor there; a
cursor move selects its row if the filter shows it. Sorting by #, Recorded at, Booking
date, Type or Author asks the index for that order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, Qt, QTimer, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget

from app.background.history_search import HistorySearcher
from app.models.history import COL_POSITION, SORT_KEYS, HistoryModel
from app.window.history_dock import HistoryDock
from app.window.history_filter_bar import HistoryFilterBar
from app.window.time_travel import TimeTravel
from domain.projections.history_filter import HistoryFilter

MoneyText = Callable[[int], str]
"""Minor units -> the amount as the window shows it (the figure's currency)."""


def count_text(shown: int, total: int, *, more: bool = False) -> str:
    """``57 of 1,000,000 events`` (``more``: the count is still being made)."""
    return f"{shown:,}{'+' if more else ''} of {total:,} events"


class HistorySearchLink(QObject):
    """Connects a :class:`HistoryFilterBar` and the history's header to a searcher."""

    def __init__(
        self,
        dock: HistoryDock,
        model: HistoryModel,
        bar: HistoryFilterBar,
        searcher: HistorySearcher,
        travel: TimeTravel,
        window: QWidget,
    ) -> None:
        super().__init__(dock)
        self._dock, self._model, self._bar = dock, model, bar
        self._searcher, self._travel = searcher, travel
        self._keep = HistoryFilter()
        self._order, self._descending = "position", False
        self._lineage: tuple[str, MoneyText] | None = None  # (what, money) of a figure's events
        self._sum_of: frozenset[str] | None = None
        self._matches = self._events = 0
        dock.set_filter_bar(bar)
        header = dock.table.horizontalHeader()
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(COL_POSITION, Qt.SortOrder.AscendingOrder)
        header.sortIndicatorChanged.connect(self._on_sort)
        bar.changed.connect(self._on_filter)
        searcher.indexing.connect(self._on_indexing)
        searcher.first_page.connect(self._on_first_page)
        searcher.matched.connect(self._on_matched)
        searcher.summed.connect(self._on_summed)
        searcher.failed.connect(lambda message: bar.set_message(message, problem=True))
        self._again = QTimer(self)  # new events: ask again, once for a burst of them
        self._again.setSingleShot(True)
        self._again.setInterval(300)
        self._again.timeout.connect(self._ask)
        self._index = QTimer(self)  # new events, no filter: index them soon, off this thread
        self._index.setSingleShot(True)
        self._index.setInterval(1000)
        self._index.timeout.connect(searcher.prepare)
        travel.head_changed.connect(self._on_head_changed)
        self.find = QShortcut(QKeySequence.StandardKey.Find, window)
        self.find.activated.connect(self.focus_search)
        self._show_total()

    @property
    def active(self) -> bool:
        """Whether the history shows a filter's or a sort's rows."""
        return self._keep.active or (self._order, self._descending) != ("position", False)

    @Slot()
    def focus_search(self) -> None:
        self._dock.show()
        self._dock.raise_()
        self._bar.focus_search()

    def show_lineage(self, keep: HistoryFilter, sum_of: frozenset[str], what: str,
                     money: MoneyText) -> None:  # fmt: skip
        """Filter to a figure's events (``what``: "Checking's balance €1,234.56")."""
        self._lineage, self._sum_of = (what, money), sum_of
        self._dock.show()  # asked from another window (Reports), the dock may be hidden
        self._dock.raise_()
        self._bar.show_lineage(keep, f"Events behind {what}: counting…")  # emits changed

    @Slot(object)
    def _on_filter(self, keep: HistoryFilter) -> None:
        if keep.upto is None:  # the fields' own filter, not a figure's
            self._lineage, self._sum_of = None, None
        self._keep = keep
        self._ask()

    @Slot(int, Qt.SortOrder)
    def _on_sort(self, column: int, order: Qt.SortOrder) -> None:
        key = SORT_KEYS.get(column)
        if key is None:  # summaries and accounts are made per page: they do not sort
            header = self._dock.table.horizontalHeader()
            header.blockSignals(True)
            previous = next(c for c, k in SORT_KEYS.items() if k == self._order)
            header.setSortIndicator(previous, self._sort_order())
            header.blockSignals(False)
            return
        self._order, self._descending = key, order == Qt.SortOrder.DescendingOrder
        self._ask()

    def _sort_order(self) -> Qt.SortOrder:
        return Qt.SortOrder.DescendingOrder if self._descending else Qt.SortOrder.AscendingOrder

    def _ask(self) -> None:
        if not self.active:
            self._searcher.cancel()
            self._model.show_all()
            self._show_total()
            self._dock.select_position(self._travel.cursor)
            return
        self._bar.set_count("Searching…")
        self._searcher.search(self._keep, self._order, self._descending, self._sum_of)

    def _show_total(self) -> None:
        total = self._travel.head
        self._bar.set_count(f"{total:,} events")

    @Slot(int)
    def _on_head_changed(self, _head: int) -> None:
        if self.active:
            self._again.start()  # asking again indexes the new events first
        else:
            self._show_total()
            self._index.start()

    @Slot(int, int)
    def _on_indexing(self, done: int, total: int) -> None:
        if done >= total:
            if not self.active:
                self._show_total()
            return
        percent = 100 * done // max(total, 1)
        self._bar.set_count(f"Indexing the history for search… {percent}%")

    @Slot(object, int)
    def _on_first_page(self, positions: Sequence[int], events: int) -> None:
        self._show(positions)
        self._bar.set_count(count_text(len(positions), events, more=True))
        self._events = events

    @Slot(object)
    def _on_matched(self, positions: Sequence[int]) -> None:
        if len(positions) != self._model.rowCount():  # the first page is a prefix of them
            self._show(positions)
        self._matches = len(positions)
        self._bar.set_count(count_text(len(positions), self._events))

    def _show(self, positions: Sequence[int]) -> None:
        self._model.show_positions(positions, by_position=self._order == "position"
                                   and not self._descending)  # fmt: skip
        cursor = self._travel.cursor
        if self._model.row_of(cursor) >= 0:
            self._dock.select_position(cursor)
        else:
            self._dock.table.scrollToTop()

    @Slot(object)
    def _on_summed(self, total: object) -> None:
        if self._lineage is None or not isinstance(total, int):
            return
        what, money = self._lineage
        events = f"{self._matches:,} event{'' if self._matches == 1 else 's'}"
        self._bar.set_message(f"Events behind {what}: {events}, sum {money(total)}")
