"""ColumnFit on a plain table: fixed columns sized to their texts, the rest shared by weight."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QTableView

from app.window.column_fit import ColumnFit

DATE, NAME, NOTE, AMOUNT = range(4)


@pytest.fixture
def table(qtbot: Any) -> QTableView:
    model = QStandardItemModel(3, 4)
    model.setHorizontalHeaderLabels(["Date", "Name", "Note", "Amount"])
    for row in range(3):
        for column, text in enumerate(("2024-03-01", "Someone", "", "€1.00")):
            model.setItem(row, column, QStandardItem(text))
    view = QTableView()
    view.setModel(model)
    qtbot.addWidget(view)
    view.resize(700, 300)
    view.show()
    qtbot.waitExposed(view)
    return view


def advance(table: QTableView, text: str) -> int:
    return table.fontMetrics().horizontalAdvance(text)


def test_fixed_columns_fit_their_widest_sample_and_the_shares_fill_the_rest(
    table: QTableView,
) -> None:
    fit = ColumnFit(
        table, table.horizontalHeader(), {DATE: ["2024-12-28"], AMOUNT: ["-€999,999.99"]},
        {NAME: 2, NOTE: 1},
    )  # fmt: skip
    header = table.horizontalHeader()
    assert header.sectionSize(AMOUNT) >= advance(table, "-€999,999.99") + 6
    assert header.sectionSize(AMOUNT) > advance(table, "Amount")
    name, note = header.sectionSize(NAME), header.sectionSize(NOTE)
    assert abs(name - 2 * note) <= 2
    assert sum(header.sectionSize(c) for c in range(4)) == table.viewport().width()
    # wider samples (another currency) widen the column, and the shares give way
    fit.set_samples(AMOUNT, ["-CHF 99,999,999.99"])
    assert header.sectionSize(AMOUNT) >= advance(table, "-CHF 99,999,999.99") + 6
    assert header.sectionSize(NAME) < name
    assert sum(header.sectionSize(c) for c in range(4)) == table.viewport().width()


def test_the_shares_follow_the_views_width(table: QTableView, qtbot: Any) -> None:
    ColumnFit(table, table.horizontalHeader(), {DATE: ["2024-12-28"]}, {NAME: 1, NOTE: 1})
    header = table.horizontalHeader()
    before = header.sectionSize(NAME)
    table.resize(1000, 300)
    qtbot.waitUntil(lambda: header.sectionSize(NAME) > before)
    assert sum(header.sectionSize(c) for c in range(4)) == table.viewport().width()


def test_a_followed_column_grows_with_its_texts_and_never_shrinks(table: QTableView) -> None:
    fit = ColumnFit(table, table.horizontalHeader(), {}, {NAME: 1})
    fit.follow(AMOUNT, ["€0.00"])
    header = table.horizontalHeader()
    model = table.model()
    assert isinstance(model, QStandardItemModel)
    start = header.sectionSize(AMOUNT)
    model.setItem(1, AMOUNT, QStandardItem("€12,345,678,901.00"))
    grown = header.sectionSize(AMOUNT)
    assert grown > start and grown >= advance(table, "€12,345,678,901.00") + 6
    model.setItem(1, AMOUNT, QStandardItem("€1.00"))
    assert header.sectionSize(AMOUNT) == grown  # no column jumping back and forth
    model.appendRow([QStandardItem(t) for t in ("", "", "", "€999,999,999,999,999.00")])
    assert header.sectionSize(AMOUNT) > grown
    assert sum(header.sectionSize(c) for c in range(4)) == table.viewport().width()


def test_text_columns_keep_a_minimum_and_a_scrollbar_comes_when_too_narrow(
    table: QTableView, qtbot: Any
) -> None:
    ColumnFit(table, table.horizontalHeader(), {DATE: ["2024-12-28" * 5]}, {NAME: 1, NOTE: 1})
    table.resize(200, 300)
    header = table.horizontalHeader()
    qtbot.waitUntil(lambda: table.horizontalScrollBar().isVisible())
    assert header.sectionSize(NAME) >= 48 and header.sectionSize(NOTE) >= 48
