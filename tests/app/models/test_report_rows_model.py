"""The report rows model: headings, locale-aware money, and updates in place (no resets)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt

from app.models.report_rows import COL_AMOUNT, COL_LINE, COL_SHARE, ReportRowsModel
from domain.projections.report_table import table_rows
from domain.projections.reports import Line, Report, Section


def _spending(*lines: tuple[str, int]) -> Report:
    section = Section("expenses")
    for name, amount in lines:
        section.add(Line(name.lower(), name, "EUR", amount))
    return Report("spending", 3, dt.date(2024, 1, 1), dt.date(2024, 12, 31), [section])


class Signals:
    def __init__(self, model: ReportRowsModel) -> None:
        self.seen: list[tuple[str, Any]] = []
        model.modelReset.connect(lambda: self.seen.append(("reset", None)))
        model.rowsInserted.connect(lambda _p, a, b: self.seen.append(("inserted", (a, b))))
        model.rowsRemoved.connect(lambda _p, a, b: self.seen.append(("removed", (a, b))))
        model.dataChanged.connect(
            lambda a, b, _r=(): self.seen.append(("changed", (a.row(), b.row())))
        )


def _texts(model: ReportRowsModel, column: int) -> list[str]:
    return [str(model.data(model.index(r, column))) for r in range(model.rowCount())]


def test_rows_show_headings_lines_and_totals_in_the_locale(qtmodeltester: Any) -> None:
    model = ReportRowsModel()
    model.set_rows(table_rows(_spending(("Rent", 75000), ("Food", 25000))))
    qtmodeltester.check(model)
    assert _texts(model, COL_LINE) == ["Expenses", "Rent", "Food", "Total expenses"]
    assert _texts(model, COL_AMOUNT) == ["None", "€750.00", "€250.00", "€1,000.00"]
    assert _texts(model, COL_SHARE)[1:3] == ["75.0%", "25.0%"]
    total = model.index(3, COL_LINE)
    assert model.data(total, Qt.ItemDataRole.FontRole).bold()


def test_a_recomputed_report_changes_rows_in_place(qtmodeltester: Any) -> None:
    model = ReportRowsModel()
    model.set_rows(table_rows(_spending(("Rent", 75000), ("Food", 25000))))
    signals = Signals(model)
    model.set_rows(table_rows(_spending(("Rent", 75000), ("Food", 30000))))
    assert signals.seen == [("changed", (1, 3))]  # the lines (their shares moved) and total
    signals.seen.clear()
    model.set_rows(table_rows(_spending(("Rent", 75000), ("Food", 30000))))
    assert signals.seen == []  # the same figures again: nothing to repaint
    model.set_rows(table_rows(_spending(("Rent", 75000), ("Fees", 100), ("Food", 30000))))
    assert ("reset", None) not in signals.seen
    assert ("inserted", (2, 2)) in signals.seen
    assert _texts(model, COL_LINE) == ["Expenses", "Rent", "Fees", "Food", "Total expenses"]
    signals.seen.clear()
    model.set_rows(table_rows(_spending(("Rent", 75000))))
    assert ("removed", (2, 3)) in signals.seen and ("reset", None) not in signals.seen
    assert _texts(model, COL_LINE) == ["Expenses", "Rent", "Total expenses"]
    qtmodeltester.check(model)


def test_stale_figures_are_greyed_until_the_new_ones_come() -> None:
    model = ReportRowsModel()
    model.set_rows(table_rows(_spending(("Rent", 75000))))
    index = model.index(1, COL_AMOUNT)
    assert model.data(index, Qt.ItemDataRole.ForegroundRole) is None
    model.set_stale(True)
    assert model.data(index, Qt.ItemDataRole.ForegroundRole) is not None
    model.set_rows(table_rows(_spending(("Rent", 75000))))
    assert model.data(index, Qt.ItemDataRole.ForegroundRole) is None
