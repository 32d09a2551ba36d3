"""The Reports window's "Show the Events Behind This Figure": a balance-sheet line, an income
statement's line and total filter the main window's history to exactly their events, and the
bar's sum reads as the figure does; figures that are no one sum have the action disabled."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from app_helpers import DAY, household
from PySide6.QtCore import Qt

from app.composition import Book
from app.formatting import to_qdate
from app.models.history import HistoryModel
from app.models.report_rows import COL_AMOUNT, COL_LINE
from app.window.main_window import MainWindow
from app.window.report_lineage import ReportLineage
from app.window.reports_window import ReportsWindow
from domain.model.commands import Command, Withdraw
from domain.store.base import StoredEvent

Window = Callable[[Path], MainWindow]
LATER = DAY + dt.timedelta(days=40)


@pytest.fixture
def book(make_book: Callable[[list[Command]], Path]) -> Path:
    commands = household()  # Checking opened with 100.00, +1000.00 salary, -45.50 groceries
    checking, groceries = commands[0].account_id, commands[2].account_id
    later = Withdraw(account_id=checking, expense_account_id=groceries, amount=Decimal("12.30"),
                     booking_date=LATER, payee="Bakery")  # fmt: skip
    return make_book([*commands, later])


def _events(path: Path) -> list[StoredEvent]:
    with Book.open(path, readonly=True) as book:
        return list(book.store.read_all())


def _open(window: MainWindow, qtbot: Any, kind: str, day: dt.date) -> ReportsWindow:
    reports = window.reports.open(kind)
    qtbot.waitUntil(lambda: reports.idle and reports.result is not None, timeout=10_000)
    reports.day.setDate(to_qdate(day))
    qtbot.waitUntil(lambda: reports.idle and reports.result is not None
                    and reports.result.report.last >= day, timeout=10_000)  # fmt: skip
    return reports


def _row(reports: ReportsWindow, name: str) -> int:
    model = reports.model
    return next(r for r in range(model.rowCount())
                if str(model.data(model.index(r, COL_LINE))).strip() == name)  # fmt: skip


def _show(window: MainWindow, reports: ReportsWindow, qtbot: Any, name: str) -> tuple[str, str]:
    """Pick the line ``name`` and show its events: (the figure's text, the bar's message)."""
    lineage = window.reports.lineage
    assert isinstance(lineage, ReportLineage)
    row = _row(reports, name)
    reports.table.setCurrentIndex(reports.model.index(row, COL_AMOUNT))
    menu = lineage.menu()  # what a right-click (or the menu key) shows
    assert lineage.action in menu.actions() and lineage.action.isEnabled()
    lineage.action.trigger()
    bar = window.history_search._bar  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: "sum" in bar.message.text(), timeout=10_000)
    return str(reports.model.data(reports.model.index(row, COL_AMOUNT))), bar.message.text()


def _shown(window: MainWindow) -> list[int]:
    model = window.history_dock.table.model()
    assert isinstance(model, HistoryModel)
    return [p for r in range(model.rowCount()) if (p := model.position_at(r)) is not None]


def test_a_balance_sheet_line_shows_its_events_summing_to_it(
    book: Path, open_window: Window, qtbot: Any
) -> None:
    window = open_window(book)
    events = _events(book)
    checking = events[0].data["account_id"]
    reports = _open(window, qtbot, "balance-sheet", DAY)  # before the later withdrawal
    figure, message = _show(window, reports, qtbot, "Checking")
    expected = [e.position for e in events if checking in str(e.data)
                and (e.data.get("booking_date") or str(DAY)) <= str(DAY)]  # fmt: skip
    qtbot.waitUntil(lambda: _shown(window) == expected, timeout=10_000)
    # the opening, its opening-balance entry, the salary and the groceries; not the bakery
    assert len(expected) == 4 and events[-1].position not in expected
    assert message.endswith(f"4 events, sum {figure}"), message
    assert "Checking" in message and str(DAY) in message
    assert window.history_dock.isVisible()


def test_an_income_statement_line_and_total_show_the_periods_events(
    book: Path, open_window: Window, qtbot: Any
) -> None:
    window = open_window(book)
    events = _events(book)
    reports = _open(window, qtbot, "income-statement", LATER)
    reports.period.setCurrentText("Month")  # the later month: the bakery's 12.30 alone
    month = LATER.replace(day=1)
    qtbot.waitUntil(lambda: reports.idle and reports.result is not None
                    and reports.result.request.first == month, timeout=10_000)  # fmt: skip
    later = [e.position for e in events if e.data.get("booking_date") == str(LATER)]
    for name in ("Groceries", "Total expenses"):
        figure, message = _show(window, reports, qtbot, name)
        qtbot.waitUntil(lambda: _shown(window) == later, timeout=10_000)
        assert message.endswith(f"1 event, sum {figure}") and "12.30" in figure, message
        window.history_search._bar.set_message("")  # type: ignore[union-attr]


def test_figures_that_are_no_one_sum_have_the_action_disabled_and_say_why(
    book: Path, open_window: Window, qtbot: Any
) -> None:
    window = open_window(book)
    reports = _open(window, qtbot, "balance-sheet", LATER)
    lineage = window.reports.lineage
    assert isinstance(lineage, ReportLineage)
    model = reports.model
    for row in range(model.rowCount()):
        r = model.row_at(row)
        if r is not None and (r.kind == "check" or (r.account_id is None and r.kind == "line")):
            reports.table.setCurrentIndex(model.index(row, COL_AMOUNT))
            lineage.menu()
            assert not lineage.action.isEnabled()
            assert "no one sum" in lineage.action.toolTip()
    reports.kind.setCurrentIndex(reports.kind.findData("net-worth"))
    qtbot.waitUntil(lambda: reports.idle and reports.result is not None
                    and reports.result.request.kind == "net-worth", timeout=10_000)  # fmt: skip
    reports.table.setCurrentIndex(model.index(1, COL_AMOUNT))
    assert not lineage.action.isEnabled() and "no one sum" in lineage.action.toolTip()
    assert reports.table.contextMenuPolicy() == Qt.ContextMenuPolicy.CustomContextMenu
