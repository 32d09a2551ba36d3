"""The Diff window: every account's balance at two moments and the difference, and the
lines between them of the account selected, which sum to its difference.

Both are computed in workers (:mod:`app.background.diff_jobs`); while a newer diff is on
its way the figures shown are greyed. Double-clicking a line asks for its event
(``event_requested``): the main window selects it in the history and moves the timeline.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QItemSelection, QModelIndex, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.background.diff_jobs import DiffAccount, DiffResult, LinesResult
from app.background.runner import BackgroundTask, Progress
from app.formatting import date_text, money_text
from app.models import diff_rows as cols
from app.models.diff_rows import DiffAccountsModel, DiffLinesModel, signed_money
from app.window.column_fit import ColumnFit
from app.window.diff_points import PointEdit
from app.window.table_look import set_up_rows
from domain.projections.diff import Moment

_LARGE = 10**8 - 1  # minor units: at least 999,999.99 wide, like the register's amounts


def _dates() -> list[str]:
    return [date_text(dt.date(2026, month, 28)) for month in range(1, 13)]


class Diffs(Protocol):
    """What the window asks (in a worker thread): :class:`app.background.diff_jobs.DiffSource`."""

    def balances(self, first: Moment, second: Moment) -> DiffResult: ...

    def lines(self, first: Moment, second: Moment, account: DiffAccount) -> LinesResult: ...


class DiffWindow(QWidget):
    """A top-level window over one book's diffs; ``computed`` and ``lines_shown`` say a
    result is on screen (tests wait for them)."""

    event_requested = Signal(int)
    computed = Signal()
    lines_shown = Signal()

    def __init__(
        self,
        diffs: Diffs,
        describe: Callable[[int], str],
        book_name: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("diffWindow")
        self.setWindowTitle(f"Diff — {book_name}")
        self._diffs = diffs
        self._tasks: set[BackgroundTask] = set()
        self._generation = 0  # of the balances asked for last; older results are dropped
        self._lines_generation = 0
        self.result: DiffResult | None = None
        self.lines_result: LinesResult | None = None
        self.accounts = DiffAccountsModel(self)
        self.lines = DiffLinesModel(describe, self)
        self._timer = QTimer(self, singleShot=True, interval=10)  # several changes, one diff
        self._timer.timeout.connect(self._start)
        self._build()
        self.resize(900, 640)

    def _build(self) -> None:
        self.first = PointEdit("&From", "diffFrom")
        self.second = PointEdit("&To", "diffTo")
        self.swap = QPushButton("⇄")
        self.swap.setObjectName("diffSwap")
        self.swap.setToolTip("Swap the two points")
        self.swap.setMaximumWidth(40)
        self.only_changed = QCheckBox("Only accounts that &changed")
        self.only_changed.setChecked(True)
        self.status = QLabel()
        self.status.setObjectName("diffStatus")
        self.status.setWordWrap(True)
        self.accounts_table = self._table("diffAccounts", self.accounts)
        # fixed widths, never measured from the rows: a long span has a line per entry
        header = self.accounts_table.horizontalHeader()
        self.accounts_fit = ColumnFit(self.accounts_table, header, {}, {cols.COL_ACCOUNT: 1},
                                      bold=[cols.COL_DIFFERENCE])  # fmt: skip
        self.lines_label = QLabel("Select an account to see the lines that make its difference.")
        self.lines_label.setObjectName("diffLinesLabel")
        self.lines_label.setWordWrap(True)
        self.lines_table = self._table("diffLines", self.lines)
        self.lines_fit = ColumnFit(self.lines_table, self.lines_table.horizontalHeader(),
                                   {cols.COL_POSITION: ["9,999,999"], cols.COL_DATE: _dates()},
                                   {cols.COL_EVENT: 1})  # fmt: skip
        for table in ("accounts", "lines"):
            self._fit_money(table, {"EUR"})
        self.lines_table.setToolTip("Double-click a line to show its event in the history")
        points = QHBoxLayout()
        points.addWidget(self.first)
        points.addWidget(self.swap)
        points.addWidget(self.second)
        points.addStretch(1)
        points.addWidget(self.only_changed)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.lines_label)
        lower_layout.addWidget(self.lines_table, stretch=1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.accounts_table)
        splitter.addWidget(lower)
        splitter.setSizes([300, 300])
        layout = QVBoxLayout(self)
        layout.addLayout(points)
        layout.addWidget(self.status)
        layout.addWidget(splitter, stretch=1)
        for edit in (self.first, self.second):
            edit.changed.connect(self.refresh)
        self.swap.clicked.connect(self._on_swap)
        self.only_changed.toggled.connect(self._show_accounts)
        selection = self.accounts_table.selectionModel()
        selection.selectionChanged.connect(self._on_account_selected)
        self.lines_table.activated.connect(self._on_line_activated)
        self.lines_table.doubleClicked.connect(self._on_line_activated)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Close), self, self.close)

    @staticmethod
    def _table(name: str, model: DiffAccountsModel | DiffLinesModel) -> QTableView:
        table = QTableView()
        table.setObjectName(name)
        table.setModel(model)
        set_up_rows(table, row_height=22, grid=True)
        return table

    def _fit_money(self, table: str, currencies: set[str], largest: int = 0) -> None:
        """The amount columns of ``table`` ("accounts" or "lines") as wide as an amount of as
        many digits as ``largest`` (at least :data:`_LARGE`) in each currency."""
        digits = 10 ** len(str(max(abs(largest), _LARGE))) - 1
        samples = [signed_money(sign * digits, c) for c in sorted(currencies) for sign in (1, -1)]
        fit, columns = ((self.accounts_fit, (cols.COL_BEFORE, cols.COL_AFTER, cols.COL_DIFFERENCE))
                        if table == "accounts" else
                        (self.lines_fit, (cols.COL_AMOUNT, cols.COL_RUNNING)))  # fmt: skip
        for column in columns:
            fit.set_samples(column, samples)

    # --- points ----------------------------------------------------------------------------

    def set_head(self, head: int) -> None:
        for edit in (self.first, self.second):
            edit.set_head(head)

    def compare(self, first: Moment, second: Moment, default_day: dt.date | None = None) -> None:
        """Show the diff of ``first`` and ``second`` (computed in a worker)."""
        self.first.set_moment(first, default_day)
        self.second.set_moment(second, default_day)
        self.show()
        self.raise_()
        self.activateWindow()
        self.refresh()

    def points(self) -> tuple[Moment, Moment]:
        return self.first.moment(), self.second.moment()

    @Slot()
    def _on_swap(self) -> None:
        first, second = self.points()
        self.compare(second, first)

    # --- computing ---------------------------------------------------------------------------

    @property
    def idle(self) -> bool:
        """No computation is waiting or running."""
        return not self._timer.isActive() and not self._tasks

    @Slot()
    def refresh(self) -> None:
        """Compute the diff of the points shown, soon; grey what is shown meanwhile."""
        self.accounts.set_stale(True)
        self.lines.set_stale(True)
        self.status.setText("Computing…")
        self._timer.start()

    @Slot()
    def _start(self) -> None:
        self._generation += 1
        generation, (first, second), diffs = self._generation, self.points(), self._diffs

        def job(_progress: Progress) -> DiffResult:
            return diffs.balances(first, second)

        self._run(job, lambda result: self._on_result(generation, result))

    def _run(self, job: Callable[[Progress], object], done: Callable[[object], None]) -> None:
        task = BackgroundTask(job, "Diff", "Computing the diff…", self, dialog=False)
        self._tasks.add(task)
        task.finished.connect(done)
        task.failed.connect(lambda message: self.status.setText(f"Could not diff: {message}"))
        task.done.connect(lambda: self._tasks.discard(task))
        task.start()

    def _on_result(self, generation: int, result: object) -> None:
        if generation != self._generation or not isinstance(result, DiffResult):
            return  # a newer diff is on its way
        self.result = result
        figures = [f for a in result.accounts for f in (a.before, a.after, a.difference)]
        self._fit_money("accounts", {a.currency for a in result.accounts} or {"EUR"},
                        max(map(abs, figures), default=0))  # fmt: skip
        self._show_accounts()
        changed = sum(1 for a in result.accounts if a.difference)
        first, second = (self._point_text(m, result.head) for m in (result.first, result.second))
        self.status.setText(f"Before: {first}.  After: {second}.  {changed:,} of "
                            f"{len(result.accounts):,} accounts changed.")  # fmt: skip
        self.computed.emit()
        self._show_lines_of_selected()

    @staticmethod
    def _point_text(moment: Moment, head: int) -> str:
        if moment.position == 0 and moment.day is None:
            return "the empty book"
        now = " (now)" if moment.position == head and moment.day is None else ""
        return f"the books as of {moment.describe()}{now}"

    @Slot()
    def _show_accounts(self) -> None:
        if self.result is None:
            return
        shown = [a for a in self.result.accounts
                 if a.difference or not self.only_changed.isChecked()]  # fmt: skip
        self.accounts.set_accounts(shown)
        if shown and not self.accounts_table.selectionModel().hasSelection():
            self.accounts_table.selectRow(0)  # selecting shows its lines

    def selected_account(self) -> DiffAccount | None:
        rows = self.accounts_table.selectionModel().selectedRows()
        return self.accounts.row_at(rows[0].row()) if rows else None

    def select_account(self, account_id: str) -> None:
        for row in range(self.accounts.rowCount()):
            found = self.accounts.row_at(row)
            if found is not None and found.account_id == account_id:
                self.accounts_table.selectRow(row)
                return

    @Slot(QItemSelection, QItemSelection)
    def _on_account_selected(self, _selected: QItemSelection, _old: QItemSelection) -> None:
        self._show_lines_of_selected()

    def _show_lines_of_selected(self) -> None:
        account, result = self.selected_account(), self.result
        self._lines_generation += 1
        if account is None or result is None:
            self.lines.clear()
            return
        if self.lines_result is not None and self._same_lines(self.lines_result, account):
            self.lines.set_stale(False)
            return
        generation, diffs = self._lines_generation, self._diffs
        self.lines.set_stale(True)
        self.lines_label.setText(f"{account.path}: finding the lines…")

        def job(_progress: Progress) -> LinesResult:
            return diffs.lines(result.first, result.second, account)

        self._run(job, lambda found: self._on_lines(generation, account, found))

    def _same_lines(self, shown: LinesResult, account: DiffAccount) -> bool:
        result = self.result
        return (result is not None and shown.account_id == account.account_id
                and (shown.first, shown.second) == (result.first, result.second))  # fmt: skip

    def _on_lines(self, generation: int, account: DiffAccount, found: object) -> None:
        if generation != self._lines_generation or not isinstance(found, LinesResult):
            return
        self.lines_result = found
        # a running sum may go past both balances: a digit more than the largest of them
        largest = 10 * max(abs(account.before), abs(account.after), abs(account.difference))
        self._fit_money("lines", {account.currency}, largest)
        self.lines.set_lines(found.lines, found.running, account.currency, found.described)
        total, currency = self.lines.total, account.currency
        count = f"{len(found.lines):,} line{'' if len(found.lines) == 1 else 's'}"
        sums = "sum to" if len(found.lines) != 1 else "makes"
        check = "its difference ✓" if total == account.difference else (
            f"not its difference {signed_money(account.difference, currency)} ✗")  # fmt: skip
        before, after = money_text(account.before, currency), money_text(account.after, currency)
        self.lines_label.setText(f"{account.path} ({before} → {after}): {count} {sums} "
                                 f"{signed_money(total, currency)}, {check}")  # fmt: skip
        self.lines_shown.emit()

    @Slot(QModelIndex)
    def _on_line_activated(self, index: QModelIndex) -> None:
        line = self.lines.line_at(index.row())
        if line is not None:
            self.event_requested.emit(line.position)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._timer.stop()
        for task in list(self._tasks):
            task.cancel_and_wait()
        self._tasks.clear()
        super().closeEvent(event)
