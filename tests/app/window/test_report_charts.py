"""The Reports window's charts in the real main window: the report's figures drawn exactly,
values on hover, a click to the entries behind a figure, a redraw when the timeline moves."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from app_helpers import household
from PySide6.QtCore import QEvent, QLocale, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QToolTip

from app.models.chart_data import KNOWN_NOW, MONEY_IN, MONEY_OUT, NET, NET_WORTH
from app.window.main_window import MainWindow
from app.window.report_chart import ReportChart
from app.window.report_charts import CHART_TAB, ChartPanel
from app.window.reports_window import ReportsWindow
from domain.model.commands import Command

Window = Callable[[Path], MainWindow]


@pytest.fixture
def window(make_book: Callable[[list[Command]], Path], open_window: Window) -> MainWindow:
    return open_window(make_book(household()))  # nine events; the salary is #8, groceries #9


def _open(window: MainWindow, qtbot: Any, kind: str) -> tuple[ReportsWindow, ChartPanel]:
    reports = window.reports.open(kind)
    panel = window.reports.chart
    assert panel is not None and panel.tabs is not None
    qtbot.waitUntil(lambda: reports.idle and reports.result is not None, timeout=10000)
    panel.tabs.setCurrentIndex(CHART_TAB)
    reports.resize(900, 640)
    qtbot.waitUntil(lambda: bool(panel.chart.shapes()), timeout=5000)
    return reports, panel


def _hover(chart: ReportChart, where: QPoint) -> None:
    """A mouse move over the chart, as the window system sends it (QTest's mouseMove only
    moves the cursor, which the offscreen platform does not turn into an event)."""
    local = QPointF(where)
    event = QMouseEvent(QEvent.Type.MouseMove, local, QPointF(chart.mapToGlobal(where)),
                        Qt.MouseButton.NoButton, Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier)  # fmt: skip
    QApplication.sendEvent(chart, event)


def _centre(chart: ReportChart, index: int) -> QPoint:
    return chart.shapes()[index].center().toPoint()


def test_net_worth_chart_draws_the_reports_figures_and_follows_the_timeline(
    window: MainWindow, qtbot: Any
) -> None:
    reports, panel = _open(window, qtbot, "net-worth")
    result = reports.result
    assert result is not None
    data = panel.chart.data
    assert data is not None and data.shape == "line"
    # one point a month-end, each the net worth the table shows for that date (minor units)
    totals = [(r.section, r.amount) for r in result.rows if r.kind == "total"]
    assert [(p.label, p.minor) for p in data.points] == totals
    # the accounts are opened (with 150.00) on 2024-03-01, the salary and groceries booked then
    assert totals[:3] == [("2024-01-31", 0), ("2024-02-29", 0), ("2024-03-31", 110450)]
    assert len(totals) == 12 and totals[-1] == ("2024-12-31", 110450)
    march = data.labels.index("2024-03-31")
    _hover(panel.chart, _centre(panel.chart, march))
    assert QToolTip.text() == "2024-03-31\nNet worth: €1,104.50"
    assert panel.chart.tooltip_at(_centre(panel.chart, 0)) == "2024-01-31\nNet worth: €0.00"
    greyed: list[bool] = []
    reports.model.dataChanged.connect(lambda *_: greyed.append(panel.chart.stale))
    window.timeline.slider.setValue(7)  # before the salary and the groceries were recorded
    qtbot.waitUntil(lambda: reports.idle and "event #7 of 9" in reports.status.text(),
                    timeout=10000)  # fmt: skip
    moved = panel.chart.data
    assert moved is not None and not panel.chart.stale
    assert greyed[0]  # greyed until the recomputed report came
    assert [p.minor for p in moved.points] == [0, 0] + [15000] * 10
    assert "As known at event #7" in panel.hint.text()


def test_compare_with_now_draws_the_net_worth_known_now_beside_it(
    window: MainWindow, qtbot: Any
) -> None:
    reports, panel = _open(window, qtbot, "net-worth")
    window.timeline.slider.setValue(7)
    qtbot.waitUntil(lambda: reports.idle and "event #7 of 9" in reports.status.text(),
                    timeout=10000)  # fmt: skip
    reports.compare_now.click()
    qtbot.waitUntil(lambda: reports.idle and panel.chart.data is not None
                    and KNOWN_NOW in panel.chart.data.series, timeout=10000)  # fmt: skip
    result, data = reports.result, panel.chart.data
    assert result is not None and data is not None and data.series == (NET_WORTH, KNOWN_NOW)
    totals = [r for r in result.rows if r.kind == "total"]
    assert [p.minor for p in data.points if p.series == NET_WORTH] == [r.amount for r in totals]
    assert [p.minor for p in data.points if p.series == KNOWN_NOW] == [r.other for r in totals]
    march = [i for i, p in enumerate(data.points) if p.label == "2024-03-31"]
    assert [data.points[i].minor for i in march] == [15000, 110450]
    assert "dashed: known now, #9" in panel.hint.text()
    later = panel.chart.shapes()[march[1]].center().toPoint()
    assert panel.chart.tooltip_at(later) == "2024-03-31\nKnown now: €1,104.50"
    with qtbot.waitSignal(panel.entries_shown, timeout=10000):
        qtbot.mouseClick(panel.chart, Qt.MouseButton.LeftButton, pos=later)
    known_now = {panel.entries.item(i).data(Qt.ItemDataRole.UserRole)
                 for i in range(panel.entries.count())}  # fmt: skip
    with qtbot.waitSignal(panel.entries_shown, timeout=10000):
        panel.chart.choose(march[0])
        qtbot.keyClick(panel.chart, Qt.Key.Key_Return)
    known_then = {panel.entries.item(i).data(Qt.ItemDataRole.UserRole)
                  for i in range(panel.entries.count())}  # fmt: skip
    assert known_now - known_then == {8, 9} and max(known_then) <= 7


def test_clicking_a_category_opens_its_register(window: MainWindow, qtbot: Any) -> None:
    reports, panel = _open(window, qtbot, "spending")
    result, data = reports.result, panel.chart.data
    assert result is not None and data is not None and data.shape == "bars"
    lines = [(r.name, r.amount) for r in result.rows if r.kind == "line"]
    assert [(p.label, p.minor) for p in data.points] == lines == [("Groceries", 4550)]
    assert panel.chart.tooltip_at(_centre(panel.chart, 0)) == "Groceries\nSpending: €45.50"
    QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    assert panel.chart.tooltip_at(_centre(panel.chart, 0)) == "Groceries\nSpending: 45,50\xa0€"
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    window.accounts_view.select_account(_account_id(window, "Checking"))
    qtbot.mouseClick(panel.chart, Qt.MouseButton.LeftButton, pos=_centre(panel.chart, 0))
    account = window.accounts_view.selected_account()
    assert account is not None and account.name == "Groceries"


def test_clicking_a_cash_flow_bar_lists_the_entries_behind_it(
    window: MainWindow, qtbot: Any
) -> None:
    reports, panel = _open(window, qtbot, "cash-flow")
    result = reports.result
    data = panel.chart.data
    assert result is not None and data is not None and data.shape == "columns"
    march = {p.series: p.minor for p in data.points if p.label == "2024-03"}
    table = {r.name: r.amount for r in result.rows if r.section == "2024-03"}
    assert (
        march
        == {MONEY_IN: table["Money in"], MONEY_OUT: table["Money out"], NET: table["Net"]}
        == {MONEY_IN: 115000, MONEY_OUT: -4550, NET: 110450}
    )
    index = next(i for i, p in enumerate(data.points) if p.label == "2024-03" and p.series == NET)
    assert panel.chart.tooltip_at(_centre(panel.chart, index)) == "2024-03\nNet: €1,104.50"
    with qtbot.waitSignal(panel.entries_shown, timeout=10000):
        qtbot.mouseClick(panel.chart, Qt.MouseButton.LeftButton,
                         pos=_centre(panel.chart, index))  # fmt: skip
    positions = [panel.entries.item(i).data(Qt.ItemDataRole.UserRole)
                 for i in range(panel.entries.count())]  # fmt: skip
    # the two opening balances (money in, too), the salary and the groceries
    assert positions == [3, 7, 8, 9]
    assert [panel.entries.item(i).text() for i in (2, 3)] == ["#8  Entry posted",
                                                              "#9  Entry posted"]  # fmt: skip
    assert "4 event(s) booked 2024-03-01 to 2024-03-31" in panel.entries_label.text()
    panel.entries.setCurrentRow(3)
    panel.entries.itemActivated.emit(panel.entries.item(3))
    assert window.history_dock.selected_position() == 9
    empty = next(i for i, p in enumerate(data.points) if p.label == "2024-04")
    with qtbot.waitSignal(panel.entries_shown, timeout=10000):
        panel.chart.setFocus()
        panel.chart.choose(empty)
        qtbot.keyClick(panel.chart, Qt.Key.Key_Return)  # the keyboard's way to click
    assert panel.entries.count() == 0 and "0 event(s)" in panel.entries_label.text()


def test_the_chart_tab_is_keyboard_reachable_and_off_for_reports_without_a_chart(
    window: MainWindow, qtbot: Any
) -> None:
    reports, panel = _open(window, qtbot, "net-worth")
    tabs = panel.tabs
    assert tabs is not None
    tabs.setCurrentIndex(0)
    reports.activateWindow()
    qtbot.keyClick(reports, Qt.Key.Key_H, Qt.KeyboardModifier.AltModifier)
    assert tabs.currentIndex() == CHART_TAB
    panel.chart.setFocus()
    qtbot.keyClick(panel.chart, Qt.Key.Key_End)
    data = panel.chart.data
    assert data is not None and panel.chart.current == len(data.points) - 1
    assert panel.chart.accessibleDescription() == "2024-12-31\nNet worth: €1,104.50"
    reports.show_kind("balance-sheet")
    assert not tabs.isTabEnabled(CHART_TAB) and tabs.currentIndex() == 0


def _account_id(window: MainWindow, name: str) -> str:
    model = window.accounts_view.model()
    for _index, line in model.walk():  # type: ignore[attr-defined]
        if line.account is not None and line.account.name == name:
            return str(line.account.account_id)
    raise KeyError(name)
