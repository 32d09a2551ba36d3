"""The Reports window's own choices: net worth by day, one asset account's cash flow, and a
"known at" of a chosen recording time instead of the timeline's event."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from app_helpers import household
from test_reports_window import _open, _wait

from app.formatting import to_qdate
from app.models.report_rows import shown_rows
from app.window.main_window import MainWindow
from app.window.reports_window import ReportsWindow
from domain.model.commands import Command

Window = Callable[[Path], MainWindow]


@pytest.fixture
def window(make_book: Callable[[list[Command]], Path], open_window: Window) -> MainWindow:
    return open_window(make_book(household()))  # all booked 2024-03-01; nine events


def _totals(reports: ReportsWindow, section: str | None = None) -> list[int]:
    assert reports.result is not None
    return [r.amount for r in reports.result.rows
            if r.kind == "total" and section in (None, r.section)]  # fmt: skip


def _custom(reports: ReportsWindow, qtbot: Any, first: dt.date, last: dt.date) -> None:
    reports.period.setCurrentText("Custom")
    reports.first.setDate(to_qdate(first))
    reports.last.setDate(to_qdate(last))
    _wait(reports, qtbot)


def test_net_worth_by_day_has_a_point_a_day(window: MainWindow, qtbot: Any) -> None:
    reports = _open(window, qtbot, "&Net Worth…")
    assert reports.options.step.isVisibleTo(reports)
    assert not reports.options.account.isVisibleTo(reports)
    _custom(reports, qtbot, dt.date(2024, 2, 28), dt.date(2024, 3, 2))
    assert [s.name for s in reports.result.report.sections] == ["2024-02-29", "2024-03-02"]  # type: ignore[union-attr]
    reports.options.step.setCurrentIndex(reports.options.step.findData("day"))
    _wait(reports, qtbot)
    assert reports.result is not None and reports.result.request.step == "day"
    assert [s.name for s in reports.result.report.sections] == [
        "2024-02-28", "2024-02-29", "2024-03-01", "2024-03-02"]  # fmt: skip
    assert _totals(reports) == [0, 0, 110450, 110450]  # 100 + 50 + 1000 - 45.50
    assert reports.model.rowCount() == len(shown_rows(reports.result.rows))  # and headings


def test_cash_flow_of_one_asset_account(window: MainWindow, qtbot: Any) -> None:
    reports = _open(window, qtbot, "&Cash Flow…")
    reports.day.setDate(to_qdate(dt.date(2024, 3, 1)))
    _wait(reports, qtbot)
    combo = reports.options.account
    assert combo.isVisibleTo(reports) and not reports.options.step.isVisibleTo(reports)
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "All asset accounts", "Checking", "Savings"]  # fmt: skip
    march = [r.amount for r in reports.result.rows if r.section == "2024-03"]  # type: ignore[union-attr]
    assert march == [115000, -4550, 110450]  # in, out, net: both openings and the salary
    combo.setCurrentIndex(combo.findText("Savings"))
    _wait(reports, qtbot)
    assert reports.result is not None and reports.result.report.account_id == combo.currentData()
    assert [r.amount for r in reports.result.rows if r.section == "2024-03"] == [5000, 0, 5000]
    combo.setCurrentIndex(combo.findText("Checking"))
    _wait(reports, qtbot)
    assert [r.amount for r in reports.result.rows if r.section == "2024-03"] == [
        110000, -4550, 105450]  # fmt: skip


def test_known_at_a_recording_time_stays_while_the_timeline_moves(
    window: MainWindow, qtbot: Any
) -> None:
    reports = _open(window, qtbot, "&Balance Sheet…")
    reports.day.setDate(to_qdate(dt.date(2024, 3, 31)))
    _wait(reports, qtbot)
    assert reports.result is not None and reports.result.known_at == 9
    known = reports.known
    assert not known.when.isEnabled()
    known.set_recorded_by(dt.datetime(2000, 1, 1, tzinfo=dt.UTC))  # before the book began
    _wait(reports, qtbot)
    assert known.when.isEnabled()
    assert reports.result.known_at == 0 and _totals(reports) == []  # no account yet
    assert "the last recorded up to 2000-01-01 00:00 UTC" in reports.status.text()
    window.timeline.slider.setValue(5)  # the timeline no longer decides
    _wait(reports, qtbot)
    assert reports.result.known_at == 0
    known.set_recorded_by(dt.datetime.now(dt.UTC) + dt.timedelta(hours=1))
    _wait(reports, qtbot)
    assert reports.result.known_at == 9 and _totals(reports)[0] == 110450
    known.timeline.click()  # back to the timeline's event
    _wait(reports, qtbot)
    assert reports.result.known_at == 5 and reports.result.request.recorded_by is None
    assert "recorded up to" not in reports.status.text()
