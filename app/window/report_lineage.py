"""A report figure's lineage: right-click a line or a total of the Reports window's table (or
the menu key, or Ctrl+B, "behind") → "Show the Events Behind This Figure", and the main
window's history shows exactly the events that make up that figure, their sum (added up in
the search worker) beside it.

A balance sheet's line is its accounts' balance on the report's date: their openings and
every entry and void with a leg on them booked up to then. An income statement's or spending
line is what was booked in the period. Both are as known at the report's event. A parent's
line adds the accounts below it, a section's total the accounts of its lines. Figures that
add some accounts and take away others (the current result, equity's total, the checks, cash
flow, net worth) are no one sum of events: the action is disabled for them and says why.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, QPoint, Qt, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

from app.background.report_jobs import ReportResult
from app.formatting import money_text
from app.models.report_rows import ReportRowsModel
from app.window.history_search_link import HistorySearchLink
from app.window.reports_window import ReportsWindow
from domain.projections.history_filter import HistoryFilter
from domain.projections.lineage import lineage_filter

SUMMED_KINDS = ("balance-sheet", "income-statement", "spending")
TIP = "The history filtered to the events that make up this figure, and their sum"


@dataclass(frozen=True, slots=True)
class Figure:
    """The events behind one figure: their filter, the accounts they are summed on, what
    the figure is ("Groceries €85.20 (2026-01-01 to 2026-12-31, known at #9)")."""

    keep: HistoryFilter
    account_ids: frozenset[str]
    what: str
    currency: str


def figure_at(model: ReportRowsModel, result: ReportResult | None, row: int) -> Figure | str:
    """The figure of the Amount column on ``row``, or why it has no one sum of events."""
    line = model.row_at(row)
    if result is None or model.stale:
        return "The figures are being computed"
    if line is None:
        return "Pick a line or a total"
    kind = result.request.kind
    if kind not in SUMMED_KINDS:
        return "Cash flow and net worth add some movements and take away others: no one sum"
    if line.kind == "check":
        return "A check takes figures from each other: it is no one sum of events"
    ids: list[str] = []
    if line.kind == "line":
        if line.account_id is None:  # the balance sheet's current result
            return "Income less expenses: no one sum of events makes it"
        ids.append(line.account_id)
        below = row + 1  # the lines below it in the tree, rolled up into its figure
        while (following := model.row_at(below)) is not None and following.kind == "line" \
                and following.section == line.section and following.depth > line.depth:  # fmt: skip
            if following.account_id is not None:
                ids.append(following.account_id)
            below += 1
    else:  # a section's total: its lines of that currency
        lines = [model.row_at(r) for r in range(model.rowCount())]
        mine = [r for r in lines if r is not None and r.kind == "line"
                and r.section == line.section and r.currency == line.currency]  # fmt: skip
        if any(r.account_id is None for r in mine):
            return "This total adds income less expenses: no one sum of events makes it"
        ids = [r.account_id for r in mine if r.account_id is not None]
    report = result.report
    keep = lineage_filter(ids, result.known_at, from_day=report.first, to_day=report.last)
    dates = f"on {report.last}" if report.first is None else f"{report.first} to {report.last}"
    amount = money_text(line.amount, line.currency)
    what = f"{line.name} {amount} ({dates}, known at #{result.known_at})"
    return Figure(keep, frozenset(ids), what, line.currency)


class ReportLineage(QObject):
    """The action on ``window``'s table; ``link`` shows the events in ``main``'s history."""

    def __init__(
        self, window: ReportsWindow, link: HistorySearchLink, main: QWidget | None
    ) -> None:
        super().__init__(window)
        self._window, self._link, self._main = window, link, main
        table = window.table
        self.action = QAction("Show the E&vents Behind This Figure", table)
        self.action.setObjectName("showReportLineage")
        self.action.setShortcut(QKeySequence("Ctrl+B"))
        self.action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        table.addAction(self.action)  # its shortcut works while the table has the focus
        self.action.triggered.connect(self.show)
        # a menu of our own: it shows the tooltip of a disabled action (why it is)
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.customContextMenuRequested.connect(self._on_menu)
        table.selectionModel().currentRowChanged.connect(self._update)
        window.computed.connect(self._update)
        window.model.dataChanged.connect(self._update)  # greyed while a report is computed
        self._update()

    def figure(self) -> Figure | str:
        """The current row's figure (or why it has none)."""
        row = self._window.table.currentIndex().row()
        return figure_at(self._window.model, self._window.result, row)

    @Slot()
    def _update(self, *_: object) -> None:
        figure = self.figure()
        self.action.setEnabled(isinstance(figure, Figure))
        tip = TIP if isinstance(figure, Figure) else figure
        self.action.setToolTip(tip)
        self.action.setStatusTip(tip)

    def menu(self) -> QMenu:
        """The context menu for the current row."""
        self._update()
        menu = QMenu(self._window.table)
        menu.setToolTipsVisible(True)
        menu.addAction(self.action)
        return menu

    @Slot(QPoint)
    def _on_menu(self, pos: QPoint) -> None:
        table = self._window.table
        index = table.indexAt(pos)
        if index.isValid():  # a right-click: its row (the menu key: the current row)
            table.setCurrentIndex(index)
        menu = self.menu()
        menu.exec(table.viewport().mapToGlobal(pos))
        menu.deleteLater()

    @Slot()
    def show(self) -> None:
        """Filter the main window's history to the figure's events, and bring it up."""
        figure = self.figure()
        if isinstance(figure, str):
            return
        currency = figure.currency
        self._link.show_lineage(figure.keep, figure.account_ids, figure.what,
                                lambda minor: money_text(minor, currency))  # fmt: skip
        if self._main is not None:
            self._main.raise_()
            self._main.activateWindow()


def attach_lineage(window: ReportsWindow, link: HistorySearchLink | None,
                   main: QWidget | None) -> ReportLineage | None:  # fmt: skip
    """The lineage action on ``window``'s table (None: no history search to show it in)."""
    return None if link is None else ReportLineage(window, link, main)
