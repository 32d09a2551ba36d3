"""The Reports window in the real main window: opened from the menu, following the timeline,
compared with now, double-clicked to the register, exported to CSV and PDF."""

from __future__ import annotations

import csv
import datetime as dt
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from app_helpers import household
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from app.background.report_jobs import (
    ReportRequest,
    ReportResult,
    ReportSource,
    period_of,
    previous_span,
    same_period_last_year,
)
from app.formatting import to_qdate
from app.models.report_rows import COL_AMOUNT, COL_DIFFERENCE, COL_LINE, COL_OTHER
from app.window import report_document
from app.window.main_window import MainWindow
from app.window.reports_window import ReportsWindow
from app.window.time_travel import TimeTravel
from domain.model.commands import Command

Window = Callable[[Path], MainWindow]


@pytest.fixture
def window(make_book: Callable[[list[Command]], Path], open_window: Window) -> MainWindow:
    return open_window(make_book(household()))  # nine events; the salary is #8, groceries #9


def _menu_action(window: MainWindow, menu_title: str, text: str) -> Any:
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == menu_title)
    return next(a for a in menu.actions() if a.text() == text)


def _open(window: MainWindow, qtbot: Any, text: str) -> ReportsWindow:
    _menu_action(window, "&Reports", text).trigger()
    reports = window.reports.window
    assert reports is not None and reports.isVisible()
    _wait(reports, qtbot)
    return reports


def _wait(reports: ReportsWindow, qtbot: Any) -> None:
    qtbot.waitUntil(lambda: reports.idle and reports.result is not None, timeout=10000)


def _cell(reports: ReportsWindow, name: str, column: int) -> str:
    model = reports.model
    for row in range(model.rowCount()):
        if model.data(model.index(row, COL_LINE)) == name:
            return str(model.data(model.index(row, column)))
    raise KeyError(name)


def _set_day(reports: ReportsWindow, qtbot: Any, day: dt.date) -> None:
    reports.day.setDate(to_qdate(day))
    _wait(reports, qtbot)


def test_the_reports_menu_has_every_kind_with_a_shortcut(window: MainWindow) -> None:
    for number, text in enumerate(["&Balance Sheet…", "&Income Statement…",
                                   "&Spending by Category…", "&Cash Flow…", "&Net Worth…"], 1):
        assert _menu_action(window, "&Reports", text).shortcut().toString() == f"Ctrl+{number}"


def test_income_statement_follows_the_period_and_the_timeline(
    window: MainWindow, qtbot: Any, qtmodeltester: Any
) -> None:
    reports = _open(window, qtbot, "&Income Statement…")
    _set_day(reports, qtbot, dt.date(2024, 3, 15))
    assert reports.period.currentText() == "Year"
    assert _cell(reports, "Salary", COL_AMOUNT) == "€1,000.00"
    assert _cell(reports, "Net result (income − expenses)", COL_AMOUNT) == "€954.50"
    qtmodeltester.check(reports.model)
    reports.compare.setCurrentIndex(reports.compare.findData("last-year"))
    _wait(reports, qtbot)
    assert reports.model.headerData(COL_OTHER, Qt.Orientation.Horizontal) == (
        "Same period last year")  # fmt: skip
    assert (_cell(reports, "Salary", COL_OTHER), _cell(reports, "Salary", COL_DIFFERENCE)) == (
        "€0.00", "€1,000.00")  # fmt: skip
    reports.compare.setCurrentIndex(reports.compare.findData("none"))
    reports.period.setCurrentText("Month")
    _set_day(reports, qtbot, dt.date(2024, 4, 10))  # April: nothing booked
    assert reports.table.isColumnHidden(COL_OTHER)
    reports.compare.setCurrentIndex(reports.compare.findData("previous"))
    _wait(reports, qtbot)
    assert (_cell(reports, "Salary", COL_OTHER), _cell(reports, "Salary", COL_DIFFERENCE)) == (
        "€1,000.00", "-€1,000.00")  # March, before April
    reports.compare.setCurrentIndex(reports.compare.findData("none"))
    _wait(reports, qtbot)
    assert _cell(reports, "Salary", COL_AMOUNT) == "€0.00"
    qtbot.keyClick(reports.previous_button, Qt.Key.Key_Space)  # back to March
    _wait(reports, qtbot)
    assert reports.day.date().month() == 3
    assert _cell(reports, "Salary", COL_AMOUNT) == "€1,000.00"
    window.timeline.slider.setValue(7)  # before the salary was recorded
    qtbot.waitUntil(lambda: "event #7 of 9" in reports.status.text(), timeout=10000)
    assert _cell(reports, "Salary", COL_AMOUNT) == "€0.00"
    qtmodeltester.check(reports.model)


def test_compare_with_now_shows_the_difference_and_the_later_events(
    window: MainWindow, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reports = _open(window, qtbot, "&Income Statement…")
    _set_day(reports, qtbot, dt.date(2024, 3, 15))
    window.timeline.slider.setValue(7)
    qtbot.waitUntil(lambda: "event #7 of 9" in reports.status.text(), timeout=10000)
    reports.compare_now.click()
    _wait(reports, qtbot)
    shown = reports.result
    assert shown is not None and f"hash {shown.known_at_hash[:12]}…" in reports.status.text()
    assert shown.head_hash in reports.status.toolTip()
    assert reports.model.headerData(COL_AMOUNT, Qt.Orientation.Horizontal) == "Known then"
    assert (_cell(reports, "Salary", COL_AMOUNT), _cell(reports, "Salary", COL_OTHER),
            _cell(reports, "Salary", COL_DIFFERENCE)) == ("€0.00", "€1,000.00", "€1,000.00")
    assert not reports.table.isColumnHidden(COL_OTHER)
    positions = [reports.changes.item(i).data(Qt.ItemDataRole.UserRole)
                 for i in range(reports.changes.count())]  # fmt: skip
    assert positions == [8, 9]
    assert reports.changes.item(0).text() == "#8  Entry posted"
    target = tmp_path / "statement.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *_a, **_k: (str(target), "")))  # fmt: skip
    qtbot.mouseClick(reports.csv_button, Qt.MouseButton.LeftButton)
    rows = list(csv.DictReader(target.open(encoding="utf-8-sig", newline="")))
    salary = next(r for r in rows if r["line"] == "Salary")
    assert (salary["amount"], salary["Known now"], salary["difference"]) == (
        "0.00", "1000.00", "1000.00")  # fmt: skip
    groceries = next(r for r in rows if r["line"] == "Groceries")
    assert groceries["difference"] == "45.50"
    pdf = tmp_path / "statement.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *_a, **_k: (str(pdf), "")))  # fmt: skip
    qtbot.mouseClick(reports.pdf_button, Qt.MouseButton.LeftButton)
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 1000
    result = reports.result
    assert result is not None and len(result.head_hash) == 64
    text = report_document.report_document(result, "Test Books").toPlainText()  # Print…'s page
    for wanted in ("Test Books — Income Statement", "as known at event #7",
                   result.known_at_hash, f"book head #9, hash {result.head_hash}", "#8"):
        assert wanted in text


def test_double_clicking_a_line_selects_its_account_and_the_balance_sheet_balances(
    window: MainWindow, qtbot: Any
) -> None:
    reports = _open(window, qtbot, "&Balance Sheet…")
    _set_day(reports, qtbot, dt.date(2024, 12, 31))
    assert _cell(reports, "Checking", COL_AMOUNT) == "€1,054.50"
    assert _cell(reports, "Assets − liabilities − equity", COL_AMOUNT) == "€0.00"
    assert not reports.period.isEnabled()
    model = reports.model
    row = next(r for r in range(model.rowCount()) if model.data(model.index(r, 0)) == "Savings")
    reports.table.setFocus()
    reports.table.setCurrentIndex(model.index(row, COL_LINE))
    qtbot.keyClick(reports.table, Qt.Key.Key_Return)  # as a double-click does
    account = window.accounts_view.selected_account()
    assert account is not None and account.name == "Savings"
    checking = next(r for r in range(model.rowCount())
                    if model.data(model.index(r, 0)) == "Checking")  # fmt: skip
    where = reports.table.visualRect(model.index(checking, COL_LINE)).center()
    # a real double-click: a click, then the double-click event (the view wants both)
    qtbot.mouseClick(reports.table.viewport(), Qt.MouseButton.LeftButton, pos=where)
    qtbot.mouseDClick(reports.table.viewport(), Qt.MouseButton.LeftButton, pos=where)
    account = window.accounts_view.selected_account()
    assert account is not None and account.name == "Checking"


def test_spending_shows_shares_and_follows_a_custom_period(
    window: MainWindow, qtbot: Any
) -> None:
    reports = _open(window, qtbot, "&Spending by Category…")
    _set_day(reports, qtbot, dt.date(2024, 3, 1))
    assert not reports.table.isColumnHidden(5)
    assert _cell(reports, "Groceries", 5) == "100.0%"
    reports.period.setCurrentText("Custom")
    reports.first.setDate(to_qdate(dt.date(2024, 3, 2)))
    reports.last.setDate(to_qdate(dt.date(2024, 3, 31)))
    _wait(reports, qtbot)
    assert _cell(reports, "Groceries", COL_AMOUNT) == "€0.00"


def test_periods() -> None:
    day = dt.date(2024, 11, 17)
    assert period_of("Month", day) == (dt.date(2024, 11, 1), dt.date(2024, 11, 30))
    assert period_of("Quarter", day) == (dt.date(2024, 10, 1), dt.date(2024, 12, 31))
    assert period_of("Year", day) == (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert period_of("Month", dt.date(2024, 2, 3))[1] == dt.date(2024, 2, 29)
    march = (dt.date(2024, 3, 1), dt.date(2024, 3, 31))
    assert previous_span("Month", *march) == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    assert previous_span("Custom", *march) == (dt.date(2024, 1, 30), dt.date(2024, 2, 29))
    assert previous_span("Quarter", dt.date(2024, 1, 1), dt.date(2024, 3, 31)) == (
        dt.date(2023, 10, 1), dt.date(2023, 12, 31))  # fmt: skip
    assert same_period_last_year(dt.date(2024, 2, 1), dt.date(2024, 2, 29)) == (
        dt.date(2023, 2, 1), dt.date(2023, 2, 28))  # fmt: skip


def test_reports_are_computed_off_the_gui_thread_and_failures_are_said(
    make_book: Callable[[list[Command]], Path], qtbot: Any, tmp_path: Path
) -> None:
    path = make_book(household())
    threads: list[threading.Thread] = []

    def compute(request: ReportRequest) -> ReportResult:
        threads.append(threading.current_thread())
        return ReportSource(path).compute(request)

    travel = TimeTravel(9)
    reports = ReportsWindow(compute, travel, "Test Books")
    qtbot.addWidget(reports)
    reports.show_kind("net-worth")
    _wait(reports, qtbot)
    assert threads and threading.main_thread() not in threads
    model = reports.model
    worth = [model.data(model.index(r, COL_AMOUNT)) for r in range(model.rowCount())
             if model.data(model.index(r, COL_LINE)) == "Net worth"]  # fmt: skip
    assert worth[0] == "€0.00" and worth[-1] == "€1,104.50"  # January, then on 1 March
    broken = tmp_path / "not a book.tallybook"
    broken.write_text("hello")
    other = ReportsWindow(ReportSource(broken).compute, travel, "Broken")
    qtbot.addWidget(other)
    other.show_kind("balance-sheet")
    qtbot.waitUntil(lambda: other.idle, timeout=10000)
    assert other.status.text().startswith("The report could not be computed: ")
    assert "Traceback" not in other.status.text()


def test_the_hledger_journal_is_exported_as_known_at_the_timeline(
    window: MainWindow, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "books.journal"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *_a, **_k: (str(target), "")))  # fmt: skip
    action = _menu_action(window, "&Reports", "Export &hledger Journal…")
    action.trigger()
    qtbot.waitUntil(lambda: "written to" in window.status.currentMessage(), timeout=10000)
    journal = target.read_text(encoding="utf-8")
    assert "    income:Salary  -1000.00 EUR\n" in journal
    assert "    expenses:Groceries  45.50 EUR\n" in journal
    window.timeline.slider.setValue(7)
    qtbot.waitUntil(lambda: window.timeline.slider.value() == 7 and not window.timeline._pending)
    action.trigger()
    qtbot.waitUntil(lambda: "up to event #7" in window.status.currentMessage(), timeout=10000)
    earlier = target.read_text(encoding="utf-8")
    assert "income:Salary  -1000.00" not in earlier and "assets:Savings  50.00 EUR" in earlier
    assert not (tmp_path / "books.journal.part").exists()


def test_timeline_moves_while_computing_run_one_computation_at_a_time_ending_at_the_last(
    make_book: Callable[[list[Command]], Path], qtbot: Any
) -> None:
    path = make_book(household())
    running, most = [0], [0]
    lock = threading.Lock()
    started, release = threading.Event(), threading.Event()

    def compute(request: ReportRequest) -> ReportResult:
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        try:
            started.set()
            # held until every move below is made: the moves come while one computes
            assert release.wait(timeout=10)
            return ReportSource(path).compute(request)
        finally:
            with lock:
                running[0] -= 1

    travel = TimeTravel(9)
    reports = ReportsWindow(compute, travel, "Test Books")
    qtbot.addWidget(reports)
    reports.show_kind("balance-sheet")
    qtbot.waitUntil(started.is_set)
    for position in (8, 3, 7, 2, 6, 4, 5):
        travel.move_to(position)
        qtbot.wait(20)
    release.set()
    _wait(reports, qtbot)
    assert most[0] == 1
    assert reports.result is not None and reports.result.known_at == 5
    assert "event #5 of 9" in reports.status.text()
