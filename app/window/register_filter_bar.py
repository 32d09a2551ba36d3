"""The register's filter bar: text, booking dates, amount and status over the shown account.

The whole register is filtered in a worker (see ``register_search``); the model then shows
the rows kept, each with its running balance in the whole register. The bar says
"n of N rows"; a field that does not read is named and changes nothing.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.background.register_search import register_filter_job
from app.background.runner import BackgroundTask
from app.models.register import RegisterModel
from app.models.register_filter import STATUSES, RegisterFilter
from app.window.history_filter_bar import BadField, parse_amount, parse_day

_DEBOUNCE_MS = 250


class RegisterFilterBar(QWidget):
    """Emits ``changed(RegisterFilter)`` as the user edits (inactive: every row)."""

    changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("registerFilterBar")
        self.currency = "EUR"  # the shown account's: amounts are read in it
        self.search = self._line("registerSearch", "Filter payee, memo, account…", 3)
        self.search.setClearButtonEnabled(True)
        self.from_date = self._line("registerFromDate", "From date", 1)
        self.from_date.setToolTip("Booking date, YYYY-MM-DD")
        self.to_date = self._line("registerToDate", "To date", 1)
        self.to_date.setToolTip("Booking date, YYYY-MM-DD")
        self.amount_min = self._line("registerAmountMin", "Amount from", 1)
        self.amount_min.setToolTip("The size of the amount (12.50 finds -12.50 too)")
        self.amount_max = self._line("registerAmountMax", "Amount to", 1)
        self.amount_max.setToolTip("The size of the amount (12.50 finds -12.50 too)")
        self.status = QComboBox()
        self.status.setObjectName("registerStatusFilter")
        self.status.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.status.setMinimumContentsLength(9)
        self.status.addItem("Any status", None)
        for status in STATUSES:
            self.status.addItem("not cleared" if status == "—" else status, status)
        self.count = QLabel()
        self.count.setObjectName("registerFilterCount")
        self.clear_button = QToolButton()
        self.clear_button.setText("Clear")
        self.message = QLabel()
        self.message.setObjectName("registerFilterMessage")
        self.message.setStyleSheet("color: #b00020;")
        self.message.setVisible(False)
        self.more = QToolButton()
        self.more.setText("Dates, amounts")
        self.more.setCheckable(True)
        self.more.setToolTip("Filter by booking dates and amounts too")
        # the register's side is narrow at 1024 px: the ranges go on a row of their own
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        layout.setSpacing(2)
        row = QHBoxLayout()
        row.addWidget(self.search, stretch=1)
        for widget in (self.status, self.more, self.count, self.clear_button):
            row.addWidget(widget)
        layout.addLayout(row)
        self.ranges = QWidget()
        second = QHBoxLayout(self.ranges)
        second.setContentsMargins(0, 0, 0, 0)
        for field in (self.from_date, self.to_date, self.amount_min, self.amount_max):
            second.addWidget(field)
        self.ranges.setVisible(False)
        layout.addWidget(self.ranges)
        layout.addWidget(self.message)
        self.more.toggled.connect(self.ranges.setVisible)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(_DEBOUNCE_MS)
        self._timer.timeout.connect(self._emit)
        for line in self._lines():
            line.textChanged.connect(self._timer.start)
        self.status.currentIndexChanged.connect(self._timer.start)
        self.clear_button.clicked.connect(self.clear)

    def _line(self, name: str, placeholder: str, chars: int) -> QLineEdit:
        line = QLineEdit()
        line.setObjectName(name)
        line.setPlaceholderText(placeholder)
        line.setMinimumWidth(self.fontMetrics().horizontalAdvance("2026-12-31") * chars // 2 + 12)
        return line

    def _lines(self) -> list[QLineEdit]:
        return [self.search, self.from_date, self.to_date, self.amount_min, self.amount_max]

    def current_filter(self) -> RegisterFilter:
        """What the fields say; raises :class:`BadField` for one that does not read."""
        text = self.search.text().strip().casefold()
        return RegisterFilter(
            text=text or None,
            from_date=parse_day(self.from_date.text(), "From date"),
            to_date=parse_day(self.to_date.text(), "To date"),
            amount_min=parse_amount(self.amount_min.text(), self.currency, "Amount from"),
            amount_max=parse_amount(self.amount_max.text(), self.currency, "Amount to"),
            status=self.status.currentData(),
        )

    @Slot()
    def clear(self) -> None:
        for line in self._lines():
            line.blockSignals(True)
            line.clear()
            line.blockSignals(False)
        self.status.blockSignals(True)
        self.status.setCurrentIndex(0)
        self.status.blockSignals(False)
        self._timer.stop()
        self._emit()

    @Slot()
    def _emit(self) -> None:
        try:
            keep = self.current_filter()
        except BadField as problem:
            self.message.setText(str(problem))
            self.message.setVisible(True)
            return
        self.message.setVisible(False)
        self.changed.emit(keep)


class RegisterFilterLink(QObject):
    """Runs the bar's filter over the model's account in a worker; the newest answer wins."""

    def __init__(self, bar: RegisterFilterBar, model: RegisterModel, path: Path) -> None:
        super().__init__(bar)
        self._bar, self._model, self._path = bar, model, path
        self._keep = RegisterFilter()
        self._task: BackgroundTask | None = None
        self._running: list[BackgroundTask] = []  # cancelled ones too, till their threads end
        self._asked = 0
        bar.changed.connect(self._on_changed)
        model.filter_outdated.connect(self._ask)
        model.modelReset.connect(self._on_reset)

    @Slot(object)
    def _on_changed(self, keep: RegisterFilter) -> None:
        self._keep = keep
        self._ask()

    @Slot()
    def _on_reset(self) -> None:
        account = self._model.account
        if account is not None:
            self._bar.currency = account.currency
        if not self._model.filtered:
            self._bar.count.setText("")

    @Slot()
    def _ask(self) -> None:
        account = self._model.account
        if self._task is not None:
            self._task.cancel()  # its answer, if any, is dropped below
        if not self._keep.active or account is None:
            self._task = None
            if self._model.filtered:
                self._model.show_rows(None)
            self._bar.count.setText("")
            return
        self._asked += 1
        asked = self._asked
        job = register_filter_job(self._path, account.account_id, self._model.as_of, self._keep)
        task = self._task = BackgroundTask(job, "", "", self._bar, dialog=False)
        self._running.append(task)
        self._bar.count.setText("Filtering…")
        task.finished.connect(lambda result: self._on_found(asked, result))
        task.failed.connect(lambda message: self._bar.count.setText(message))
        task.done.connect(lambda: self._running.remove(task))
        task.start()

    @Slot()
    def stop(self) -> None:
        """Stop the running filters (the window closes)."""
        for task in list(self._running):
            task.cancel_and_wait()

    def _on_found(self, asked: int, result: object) -> None:
        if asked != self._asked or not isinstance(result, tuple):
            return
        rows, total = result
        self._model.show_rows(rows)
        self._bar.count.setText(f"{len(rows):,} of {total:,} rows")
