"""A report as chart points: exact figures, one currency at a time, and what each stands for."""

from __future__ import annotations

import datetime as dt

import pytest

from app.models.chart_data import MONEY_IN, MONEY_OUT, NET, chart_data, currencies
from app.window.report_chart import nice_step
from domain.projections.reports import Line, Report, Section


def _cash_flow() -> Report:
    sections = []
    for month, (money_in, money_out) in (("2024-01", (1000, -250)), ("2024-02", (0, -75))):
        s = Section(month)
        s.add(Line(None, "in", "EUR", money_in))
        s.add(Line(None, "out", "EUR", money_out))
        s.add(Line(None, "in", "USD", 7))
        s.add(Line(None, "out", "USD", 0))
        sections.append(s)
    return Report("cash-flow", 5, dt.date(2024, 1, 15), dt.date(2024, 2, 10), sections)


def test_cash_flow_points_are_the_months_figures_in_the_chosen_currency() -> None:
    data = chart_data(_cash_flow(), "EUR")
    assert data is not None and data.shape == "columns" and data.labels == ["2024-01", "2024-02"]
    assert [(p.label, p.series, p.minor) for p in data.points] == [
        ("2024-01", MONEY_IN, 1000), ("2024-01", MONEY_OUT, -250), ("2024-01", NET, 750),
        ("2024-02", MONEY_IN, 0), ("2024-02", MONEY_OUT, -75), ("2024-02", NET, -75),
    ]  # fmt: skip
    # the entries behind a month: its dates within the report's period
    assert (data.points[0].first, data.points[0].last) == (dt.date(2024, 1, 15),
                                                           dt.date(2024, 1, 31))  # fmt: skip
    assert (data.points[3].first, data.points[3].last) == (dt.date(2024, 2, 1),
                                                           dt.date(2024, 2, 10))  # fmt: skip
    usd = chart_data(_cash_flow(), "USD")
    assert usd is not None and [p.minor for p in usd.points if p.series == NET] == [7, 7]


def test_spending_charts_the_top_categories_with_their_rolled_up_amounts() -> None:
    s = Section("expenses")
    for line in (Line("home", "Home", "EUR", 100, depth=0, total=350),
                 Line("rent", "Rent", "EUR", 250, "home", depth=1),
                 Line("food", "Food", "EUR", 90, depth=0),
                 Line("trip", "Trip", "USD", 40, depth=0)):  # fmt: skip
        s.add(line)
    report = Report("spending", 3, dt.date(2024, 1, 1), dt.date(2024, 12, 31), [s])
    assert currencies(report) == ["EUR", "USD"]  # the most figures first
    data = chart_data(report)
    assert data is not None and data.currency == "EUR"
    assert [(p.label, p.minor, p.account_id) for p in data.points] == [
        ("Home", 350, "home"), ("Food", 90, "food")]  # fmt: skip


def test_reports_without_a_chart() -> None:
    report = Report("balance-sheet", 1, None, dt.date(2024, 1, 1), [])
    assert chart_data(report) is None


@pytest.mark.parametrize(("span", "step"), [(0, 1), (7, 2), (100_000, 20_000),
                                            (123_456, 50_000), (9_999_999, 2_000_000)])  # fmt: skip
def test_axis_steps_are_one_two_or_five_times_a_power_of_ten(span: int, step: int) -> None:
    assert nice_step(span) == step
