"""The Reports menu's wiring: the Reports window (made on first use) and the hledger export,
both as known at the timeline's event."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from app.background.chart_jobs import EntriesSource
from app.background.report_jobs import ReportSource
from app.window.actions import Actions
from app.window.history_search_link import HistorySearchLink
from app.window.journal_export import JournalExport
from app.window.report_charts import ChartPanel, attach_chart
from app.window.report_lineage import ReportLineage, attach_lineage
from app.window.reports_window import ReportsWindow
from app.window.window_parts import WindowParts


class ReportsWiring(QObject):
    """Opens reports for the window ``parent``; ``select_account`` and ``show_event`` take
    a report line's lineage (an account's register, an event in the history), and
    ``history_link()`` (called when the window is made) shows the events behind a figure."""

    def __init__(
        self,
        parent: QWidget,
        parts: WindowParts,
        actions: Actions,
        select_account: Callable[[str], object],
        show_event: Callable[[int], None],
        say: Callable[[str], None],
        history_link: Callable[[], HistorySearchLink | None] = lambda: None,
    ) -> None:
        super().__init__(parent)
        self._parent = parent
        self._parts = parts
        self._select_account = select_account
        self._show_event = show_event
        self._history_link = history_link
        self.lineage: ReportLineage | None = None
        self.window: ReportsWindow | None = None
        self.chart: ChartPanel | None = None
        for kind, action in actions.reports.items():
            action.triggered.connect(lambda _=False, kind=kind: self.open(kind))
        self.journal = JournalExport(parts.path, say, parent)
        actions.export_journal.triggered.connect(lambda: self.journal.export(parts.travel.cursor))

    def open(self, kind: str) -> ReportsWindow:
        """Show the Reports window (made on first use) with the report ``kind``."""
        if self.window is None:
            parts = self._parts
            self.window = ReportsWindow(
                ReportSource(parts.path).compute, parts.travel, parts.path.stem, self._parent
            )
            self.window.account_requested.connect(self._select_account)
            self.window.event_requested.connect(self._show_event)
            self.chart = attach_chart(self.window, EntriesSource(parts.path).find)
            self.lineage = attach_lineage(self.window, self._history_link(), self._parent)
        self.window.show_kind(kind)
        return self.window

    def close(self) -> None:
        if self.window is not None:
            self.window.close()
