"""The Reports window: one report at a time, for a booking date or period, as known at the
timeline's current event, optionally beside another period or the same report known now.

It gets narrow parts: a function that computes a :class:`ReportRequest` (run in a worker,
:mod:`app.background.runner`) and the timeline's :class:`TimeTravel`.
Moving the timeline recomputes the open report; until the new figures come, the old ones
are greyed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)  # fmt: skip

from app.background.report_jobs import ReportRequest, ReportResult, period_of
from app.background.runner import BackgroundTask, Progress
from app.dialogs.fields import date_edit, edit_date
from app.formatting import to_qdate
from app.models import report_rows as cols
from app.models.report_rows import ReportRowsModel
from app.window import report_document
from app.window.event_list import fill_event_list
from app.window.known_at_control import KnownAtControl
from app.window.report_document import TITLES
from app.window.report_options import ReportOptions
from app.window.table_look import set_up_rows
from app.window.time_travel import TimeTravel
from domain.projections.report_table import write_csv

Compute = Callable[[ReportRequest], ReportResult]
PERIODS = ("Month", "Quarter", "Year", "Custom")
COMPARE = (("none", "No comparison"), ("previous", "Previous period"),
           ("last-year", "Same period last year"))  # fmt: skip
_COMPARABLE = ("income-statement", "spending")


class ReportsWindow(QWidget):
    """A top-level window over one book's reports. ``account_requested(id)`` and
    ``event_requested(position)`` ask the main window to show the entries behind a figure."""

    account_requested = Signal(str)
    event_requested = Signal(int)
    computed = Signal()  # a result is shown (tests wait for it)

    def __init__(
        self, compute: Compute, travel: TimeTravel, book_name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("reportsWindow")
        self._compute, self._travel = compute, travel
        self._book_name = book_name
        self._tasks: set[BackgroundTask] = set()
        self._generation = 0
        self._dated = False  # the dates were set to the book's (or by the user)
        self.result: ReportResult | None = None
        self.model = ReportRowsModel(self)
        self._again = False  # asked for while a computation ran: compute again after it
        self._timer = QTimer(self, singleShot=True, interval=10)  # coalesce several changes
        self._timer.timeout.connect(self._start)
        self._build()
        travel.cursor_changed.connect(self.refresh)
        travel.head_changed.connect(self.refresh)
        self.resize(860, 620)

    # --- construction ----------------------------------------------------------------------

    def _build(self) -> None:
        self.kind = QComboBox()
        for kind, title in TITLES.items():
            self.kind.addItem(title, kind)
        self.period = QComboBox()
        self.period.addItems(PERIODS)
        self.period.setCurrentText("Year")
        self.day = date_edit()
        self.first = date_edit(dt.date(dt.date.today().year, 1, 1))
        self.last = date_edit()
        self.previous_button = QPushButton("◀")
        self.next_button = QPushButton("▶")
        self.previous_button.setToolTip("Previous period (Alt+Left)")
        self.next_button.setToolTip("Next period (Alt+Right)")
        for button in (self.previous_button, self.next_button):
            button.setMaximumWidth(36)
        self.previous_button.setShortcut(QKeySequence("Alt+Left"))
        self.next_button.setShortcut(QKeySequence("Alt+Right"))
        self.compare = QComboBox()
        for key, text in COMPARE:
            self.compare.addItem(text, key)
        self.compare_now = QCheckBox("Compare with &now")
        self.csv_button = QPushButton("Export &CSV…")
        self.pdf_button = QPushButton("Export &PDF…")
        self.print_button = QPushButton("P&rint…")
        self.options, self.known = ReportOptions(), KnownAtControl()
        self.status = QLabel()
        self.status.setObjectName("reportStatus")
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table = QTableView()
        self.table.setObjectName("reportTable")
        self.table.setModel(self.model)
        set_up_rows(self.table, {cols.COL_CURRENCY: 70, cols.COL_AMOUNT: 140, cols.COL_OTHER: 140,
                                 cols.COL_DIFFERENCE: 130, cols.COL_SHARE: 70},
                    stretch=cols.COL_LINE)  # fmt: skip
        self.changes = QListWidget()
        self.changes.setObjectName("reportChanges")
        self.changes_label = QLabel()
        changes_box = QWidget()
        box = QVBoxLayout(changes_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.changes_label)
        box.addWidget(self.changes)
        self.changes_box = changes_box
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(changes_box)
        splitter.setSizes([420, 160])
        row1, row2 = QHBoxLayout(), QHBoxLayout()
        for label, combo in (("&Report:", self.kind), ("P&eriod:", self.period)):
            row1.addWidget(self._label(label, combo))
            row1.addWidget(combo)
        self.day_label = self._label("&In:", self.day)
        self.first_label = self._label("&From:", self.first)
        self.last_label = self._label("&To:", self.last)
        shown: list[QWidget] = [
            self.day_label,
            self.day,
            self.first_label,
            self.first,
            self.last_label,
            self.last,
            self.previous_button,
            self.next_button,
        ]
        for widget in [*shown, self.options]:
            row1.addWidget(widget)
        row1.addStretch(1)
        row2.addWidget(self._label("Co&mpare:", self.compare))
        row2.addWidget(self.compare)
        row2.addWidget(self.compare_now)
        row2.addStretch(1)
        for button in (self.csv_button, self.pdf_button, self.print_button):
            row2.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(row1)
        layout.addLayout(row2)
        layout.addWidget(self.known)
        layout.addWidget(self.status)
        layout.addWidget(splitter, stretch=1)
        for combo in (self.kind, self.period, self.compare):
            combo.currentIndexChanged.connect(self._on_controls_changed)
        for edit in (self.day, self.first, self.last):
            edit.dateChanged.connect(self.refresh)
            edit.editingFinished.connect(self._on_dated)
        self.compare_now.toggled.connect(self._on_controls_changed)
        self.options.changed.connect(self.refresh)
        self.known.changed.connect(self.refresh)
        self.previous_button.clicked.connect(lambda: self.step(-1))
        self.next_button.clicked.connect(lambda: self.step(1))
        self.csv_button.clicked.connect(self.export_csv)
        self.pdf_button.clicked.connect(self.export_pdf)
        self.print_button.clicked.connect(self.print_report)
        self.table.activated.connect(self._on_activated)  # double-click, or Enter
        self.changes.itemActivated.connect(self._on_change_activated)
        self._on_controls_changed()

    @staticmethod
    def _label(text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy)
        return label

    # --- the request -----------------------------------------------------------------------

    def show_kind(self, kind: str) -> None:
        """Show the report ``kind`` (one of ``reports.KINDS``) and bring the window up."""
        self.kind.setCurrentIndex(self.kind.findData(kind))
        self.show()
        self.raise_()
        self.activateWindow()
        self.refresh()

    def request(self) -> ReportRequest:
        """What the controls ask for, as known at the timeline's cursor."""
        kind = str(self.kind.currentData())
        if kind == "balance-sheet":
            first, last = None, edit_date(self.day)
        elif self.period.currentText() == "Custom":
            first, last = edit_date(self.first), edit_date(self.last)
        else:
            first, last = period_of(self.period.currentText(), edit_date(self.day))
        compare = str(self.compare.currentData()) if kind in _COMPARABLE else "none"
        asked = ReportRequest(kind, first, last, self._travel.cursor, compare,
                              self.compare_now.isChecked(), self.period.currentText())  # fmt: skip
        return self.known.apply(self.options.apply(asked))

    def step(self, delta: int) -> None:
        """Move the date (balance sheet: a month) or the period ``delta`` periods on."""
        kind, period = str(self.kind.currentData()), self.period.currentText()
        self._dated = True
        if period == "Custom" and kind != "balance-sheet":
            first, last = edit_date(self.first), edit_date(self.last)
            span = (last - first) + dt.timedelta(days=1)
            self.first.setDate(to_qdate(first + delta * span))
            self.last.setDate(to_qdate(last + delta * span))
            return
        months = {"Year": 12, "Quarter": 3}.get(period, 1) if kind != "balance-sheet" else 1
        day = edit_date(self.day)
        total = day.year * 12 + day.month - 1 + delta * months
        year, month = divmod(total, 12)
        self.day.setDate(to_qdate(dt.date(year, month + 1, min(day.day, 28))))

    @Slot()
    def _on_controls_changed(self) -> None:
        kind = str(self.kind.currentData())
        sheet, custom = kind == "balance-sheet", self.period.currentText() == "Custom"
        self.period.setEnabled(not sheet)
        self.day_label.setText("&On:" if sheet else "&In:")
        for widget in (self.day_label, self.day):
            widget.setVisible(sheet or not custom)
        for widget in (self.first_label, self.first, self.last_label, self.last):
            widget.setVisible(custom and not sheet)
        self.compare.setEnabled(kind in _COMPARABLE and not self.compare_now.isChecked())
        self.options.show_for(kind)
        self.setWindowTitle(f"{TITLES[kind]} — {self._book_name} — Tallybook")
        self.refresh()

    @Slot()
    def _on_dated(self) -> None:
        self._dated = True

    @Slot()
    def refresh(self) -> None:
        """Recompute soon (several changes at once make one computation)."""
        if self.isVisible():
            self.model.set_stale(True)
            self.status.setText("Computing…")
            self._timer.start()

    @property
    def idle(self) -> bool:
        """No computation is waiting or running."""
        return not self._timer.isActive() and not self._tasks and not self._again

    @Slot()
    def _start(self) -> None:
        if self._tasks:  # one at a time: the newest request follows when this one ends
            self._again = True
            return
        self._again = False
        self._generation += 1
        generation, request, compute = self._generation, self.request(), self._compute

        def job(_progress: Progress) -> ReportResult:
            return compute(request)

        task = BackgroundTask(job, "Report", "Computing the report…", self, dialog=False)
        self._tasks.add(task)
        task.finished.connect(lambda result: self._on_result(generation, result))
        task.failed.connect(lambda message: self._on_failed(generation, message))
        task.done.connect(lambda: self._on_done(task))
        task.start()

    def _on_done(self, task: BackgroundTask) -> None:
        self._tasks.discard(task)
        if self._again:
            self._start()

    def _on_result(self, generation: int, result: object) -> None:
        if generation != self._generation or self._again or not isinstance(result, ReportResult):
            return  # a newer request is on its way
        self.result = result
        latest = result.latest_day
        if not self._dated and latest is not None:
            # first shown on the book's last booking date, not today's (often empty) period
            self._dated = True
            if latest < dt.date.today():
                self.day.setDate(to_qdate(latest))
                self.last.setDate(to_qdate(latest))
                self.first.setDate(to_qdate(dt.date(latest.year, 1, 1)))
        compared = bool(result.other_label)
        self.model.set_labels("Known then" if result.request.now else "Amount",
                              result.other_label or "Compared")  # fmt: skip
        self.model.set_rows(result.rows)
        self.options.set_accounts(result.asset_accounts)
        self.table.setColumnHidden(cols.COL_OTHER, not compared)
        self.table.setColumnHidden(cols.COL_DIFFERENCE, not compared)
        self.table.setColumnHidden(cols.COL_SHARE, result.request.kind != "spending")
        self.status.setText(report_document.status_text(result))
        self.status.setToolTip(report_document.provenance_text(result))
        self._show_changes(result)
        self.computed.emit()

    def _on_failed(self, generation: int, message: str) -> None:
        if generation == self._generation and not self._again:
            self.status.setText(f"The report could not be computed: {message}")

    def _show_changes(self, result: ReportResult) -> None:
        self.changes.clear()
        self.changes_box.setVisible(result.request.now)
        if not result.request.now:
            return
        self.changes_label.setText(
            f"{result.changes_total} event(s) recorded after #{result.known_at} change these "
            "figures (Enter or double-click shows one in the history):"
        )
        fill_event_list(self.changes, result.changes)

    # --- lineage ---------------------------------------------------------------------------

    @Slot(QModelIndex)
    def _on_activated(self, index: QModelIndex) -> None:
        row = self.model.row_at(index.row())
        if row is not None and row.account_id:
            self.account_requested.emit(row.account_id)
            window = self.parentWidget()
            if window is not None:  # the register is in the main window: bring it up
                window.raise_()
                window.activateWindow()

    @Slot(QListWidgetItem)
    def _on_change_activated(self, item: QListWidgetItem) -> None:
        self.event_requested.emit(int(item.data(Qt.ItemDataRole.UserRole)))

    # --- export ----------------------------------------------------------------------------

    def _file_name(self, suffix: str) -> str:
        result = self.result
        assert result is not None
        request = result.request
        dates = "_".join(d.isoformat() for d in (request.first, request.last) if d is not None)
        return f"{self._book_name} {TITLES[request.kind]} {dates}.{suffix}"

    def _ask_path(self, title: str, suffix: str, kinds: str) -> Path | None:
        if self.result is None:
            return None
        name, _ = QFileDialog.getSaveFileName(self, title, self._file_name(suffix), kinds)
        return Path(name) if name else None

    @Slot()
    def export_csv(self) -> None:
        path = self._ask_path("Export CSV", "csv", "CSV files (*.csv)")
        if path is None or self.result is None:
            return
        result = self.result
        try:
            # with a byte-order mark: spreadsheets then read the text as UTF-8
            with path.open("w", encoding="utf-8-sig", newline="") as out:
                write_csv(result.rows, out, other_label=result.other_label,
                          with_share=result.request.kind == "spending")  # fmt: skip
        except OSError as exc:
            QMessageBox.warning(self, "Export CSV", f"{path} could not be written: {exc}")
            return
        self.status.setText(f"Exported to {path}")

    @Slot()
    def export_pdf(self) -> None:
        path = self._ask_path("Export PDF", "pdf", "PDF files (*.pdf)")
        if path is None or self.result is None:
            return
        report_document.export_pdf(self.result, self._book_name, path)
        if not path.exists():
            QMessageBox.warning(self, "Export PDF", f"{path} could not be written.")
            return
        self.status.setText(f"Exported to {path}")

    @Slot()
    def print_report(self) -> None:
        if self.result is not None:
            report_document.print_report(self.result, self._book_name, self)

    def closeEvent(self, event: object) -> None:
        self._timer.stop()
        self._again = False
        for task in list(self._tasks):
            task.cancel_and_wait()
        self._tasks.clear()
        super().closeEvent(event)  # type: ignore[arg-type]
