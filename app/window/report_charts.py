"""The Reports window's Chart tab: the open report drawn (net worth, spending, cash flow),
redrawn from each result the window computes, greyed while the next one comes.

:func:`attach_chart` puts the report's table and its chart in tabs (Ta&ble, C&hart) where the
table was, so ``reports_window`` needs no change. A clicked category opens its account's
register, as double-clicking its table line does; a clicked date or month lists the entries
behind it (found in a worker), and one of those opens in the history.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)  # fmt: skip

from app.background.chart_jobs import Entries, EntriesRequest
from app.background.report_jobs import ReportResult
from app.background.runner import BackgroundTask, Progress
from app.models.chart_data import BEHIND, CHARTED, KNOWN_NOW, Point, chart_data, currencies
from app.window.event_list import fill_event_list
from app.window.report_chart import ReportChart
from app.window.reports_window import ReportsWindow

FindEntries = Callable[[EntriesRequest], Entries]
CHART_TAB = 1


class ChartPanel(QWidget):
    """The chart with its currency choice and the list of the entries behind a point."""

    account_requested = Signal(str)
    event_requested = Signal(int)
    entries_shown = Signal()  # the entries behind a point are listed (tests wait for it)

    def __init__(self, find_entries: FindEntries | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._find = find_entries
        self._tasks: set[BackgroundTask] = set()
        self._generation = 0
        self.result: ReportResult | None = None
        self.tabs: QTabWidget | None = None  # the table's and the chart's (see attach_chart)
        self.chart = ReportChart()
        self.currency = QComboBox()
        self.currency.setObjectName("chartCurrency")
        self.currency_label = QLabel("C&urrency:")
        self.currency_label.setBuddy(self.currency)
        self.hint = QLabel()
        self.hint.setObjectName("chartHint")
        self.entries = QListWidget()
        self.entries.setObjectName("chartEntries")
        self.entries_label = QLabel()
        self.entries_label.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.hint, stretch=1)
        top.addWidget(self.currency_label)
        top.addWidget(self.currency)
        below = QWidget()
        box = QVBoxLayout(below)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.entries_label)
        box.addWidget(self.entries)
        self.entries_box = below
        below.hide()
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.chart)
        split.addWidget(below)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(split, stretch=1)
        self.currency.currentIndexChanged.connect(self._draw)
        self.chart.point_activated.connect(self._on_point)
        self.entries.itemActivated.connect(self._on_entry_activated)

    def show_result(self, result: ReportResult | None) -> None:
        """Redraw from ``result`` (the window's newest), keeping the chosen currency."""
        self.result = result
        found = currencies(result.report) if result is not None else []
        if found != [self.currency.itemText(i) for i in range(self.currency.count())]:
            chosen = self.currency.currentText()
            self.currency.blockSignals(True)
            self.currency.clear()
            self.currency.addItems(found)
            if chosen in found:
                self.currency.setCurrentText(chosen)
            self.currency.blockSignals(False)
        for widget in (self.currency, self.currency_label):
            widget.setVisible(len(found) > 1)
        self._draw()

    @Slot()
    def _draw(self) -> None:
        result = self.result
        data = None
        if result is not None:
            now = None
            if result.request.now:  # the same report known now: its figures in "other"
                now = {(r.section, r.currency): r.other or 0 for r in result.rows
                       if r.kind == "total"}  # fmt: skip
            data = chart_data(result.report, self.currency.currentText() or None, now)
        self.chart.set_data(data)
        if result is not None and data is not None:
            what = "a category" if data.kind == "spending" else "a point" if (
                data.shape == "line") else "a bar"  # fmt: skip
            known = f"As known at event #{result.known_at}"
            if len(data.series) > 1 and data.shape == "line":
                known += f" (dashed: known now, #{result.head})"
            self.hint.setText(f"{known} · hover for values; click {what} (or ←/→ and Enter) "
                              "for the entries behind it")  # fmt: skip
        self._generation += 1  # a search still running was for the figures before these
        self.entries_box.hide()

    @Slot(object)
    def _on_point(self, point: Point) -> None:
        if point.account_id:
            self.account_requested.emit(point.account_id)
            return
        result = self.result
        if result is None or self._find is None or point.last is None:
            return
        known_at = result.head if point.series == KNOWN_NOW else result.known_at
        request = EntriesRequest(known_at, point.first, point.last,
                                 BEHIND.get(result.report.kind, ("asset",)))  # fmt: skip
        self._generation += 1
        generation, find = self._generation, self._find

        def job(_progress: Progress) -> Entries:
            return find(request)

        task = BackgroundTask(job, "Entries", "Finding the entries…", self, dialog=False)
        self._tasks.add(task)
        task.finished.connect(lambda found: self._on_entries(generation, point, found))
        task.failed.connect(lambda message: self._on_failed(generation, message))
        task.done.connect(lambda: self._tasks.discard(task))
        task.start()

    def _on_entries(self, generation: int, point: Point, found: object) -> None:
        if generation != self._generation or not isinstance(found, Entries):
            return
        self.entries.clear()
        first, last = point.first, found.request.last
        dates = f"booked {first} to {last}" if first is not None else f"booked up to {last}"
        shown = "" if found.total <= len(found.events) else f" (the first {len(found.events)})"
        self.entries_label.setText(
            f"{point.series}, {point.label}: {found.total} event(s) {dates}{shown} "
            "(Enter or double-click shows one in the history):"
        )
        fill_event_list(self.entries, found.events)
        self.entries_box.show()
        self.entries_shown.emit()

    def _on_failed(self, generation: int, message: str) -> None:
        if generation == self._generation:
            self.entries_label.setText(f"The entries could not be found: {message}")
            self.entries.clear()
            self.entries_box.show()

    @Slot(QListWidgetItem)
    def _on_entry_activated(self, item: QListWidgetItem) -> None:
        self.event_requested.emit(int(item.data(Qt.ItemDataRole.UserRole)))

    def cancel(self) -> None:
        """Stop the searches still running (the window is closing)."""
        self._generation += 1
        for task in list(self._tasks):
            task.cancel_and_wait()
        self._tasks.clear()


class _Closing(QObject):
    """Cancels the panel's searches when the window closes."""

    def __init__(self, panel: ChartPanel, parent: QObject) -> None:
        super().__init__(parent)
        self._panel = panel

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Close:
            self._panel.cancel()
        return False


def attach_chart(window: ReportsWindow, find_entries: FindEntries | None) -> ChartPanel:
    """Put ``window``'s table and a chart of its report in tabs; the chart follows every
    result the window shows and its stale grey."""
    table = window.table
    splitter = table.parentWidget()
    assert isinstance(splitter, QSplitter)
    sizes = splitter.sizes()
    tabs = QTabWidget()
    tabs.setObjectName("reportTabs")
    splitter.insertWidget(splitter.indexOf(table), tabs)
    panel = ChartPanel(find_entries)
    tabs.addTab(table, "Ta&ble")
    tabs.addTab(panel, "C&hart")
    splitter.setSizes(sizes)
    panel.tabs = tabs

    def follow_kind() -> None:
        charted = str(window.kind.currentData()) in CHARTED
        tabs.setTabEnabled(CHART_TAB, charted)
        tabs.setTabToolTip(CHART_TAB, "" if charted else "This report has no chart")
        if not charted:
            tabs.setCurrentIndex(0)

    def open_account(account_id: str) -> None:
        window.account_requested.emit(account_id)
        parent = window.parentWidget()
        if parent is not None:  # the register is in the main window: bring it up
            parent.raise_()
            parent.activateWindow()

    window.kind.currentIndexChanged.connect(follow_kind)
    window.computed.connect(lambda: panel.show_result(window.result))
    window.model.dataChanged.connect(lambda *_: panel.chart.set_stale(window.model.stale))
    panel.account_requested.connect(open_account)
    panel.event_requested.connect(window.event_requested)
    window.installEventFilter(_Closing(panel, window))
    follow_kind()
    if window.result is not None:
        panel.show_result(window.result)
    return panel
