"""Report rows for the views, the PDF and the CSV: comparison columns and formula-safe cells."""

from __future__ import annotations

import csv
import datetime as dt
import io

from domain.projections.report_table import neutralise, table_rows, write_csv
from domain.projections.reports import Line, Report, Section


def _statement(salary: int, rent: int, extra: int = 0) -> Report:
    income, expenses = Section("income"), Section("expenses")
    income.add(Line("sal", "=SUM(A1:A9)", "EUR", salary))
    expenses.add(Line("rent", "Rent", "EUR", rent))
    if extra:
        expenses.add(Line("fees", "-fees", "EUR", extra))
    report = Report("income-statement", 5, dt.date(2015, 1, 1), dt.date(2015, 12, 31),
                    [income, expenses])  # fmt: skip
    report.checks = {"EUR": salary - rent - extra}
    return report


def test_neutralise_prefixes_only_what_starts_like_a_formula() -> None:
    for text in ("=1+1", "+49 30", "-fees", "@SUM", "\tx", "\rx"):
        assert neutralise(text) == "'" + text
    for text in ("Rent", "", "a=b", "12-3"):
        assert neutralise(text) == text


def test_rows_have_lines_totals_and_the_check() -> None:
    rows = table_rows(_statement(300000, 120000))
    assert [(r.kind, r.section, r.name, r.amount) for r in rows] == [
        ("line", "Income", "=SUM(A1:A9)", 300000),
        ("total", "Income", "Total income", 300000),
        ("line", "Expenses", "Rent", 120000),
        ("total", "Expenses", "Total expenses", 120000),
        ("check", "", "Net result (income − expenses)", 180000),
    ]
    assert all(r.other is None and r.difference is None for r in rows)


def test_compare_with_now_differs_by_now_less_then_and_shows_lines_only_now_has() -> None:
    then, now = _statement(300000, 120000), _statement(340000, 0, extra=500)
    rows = {(r.section, r.name): r for r in table_rows(then, now, other_is_now=True)}
    assert (rows[("Income", "=SUM(A1:A9)")].other, rows[("Income", "=SUM(A1:A9)")].difference) == (
        340000, 40000)  # fmt: skip
    assert rows[("Expenses", "Rent")].difference == -120000
    fees = rows[("Expenses", "-fees")]
    assert (fees.amount, fees.other, fees.difference) == (0, 500, 500)
    check = rows[("", "Net result (income − expenses)")]
    assert (check.amount, check.other, check.difference) == (180000, 339500, 159500)


def test_compare_with_previous_period_differs_by_this_less_previous() -> None:
    rows = table_rows(_statement(300000, 120000), _statement(250000, 120000))
    assert rows[0].difference == 50000


def test_csv_neutralises_text_and_keeps_negative_amounts_numbers() -> None:
    then, now = _statement(300000, 120000), _statement(0, 120000, extra=500)
    out = io.StringIO()
    write_csv(table_rows(then, now, other_is_now=True), out, other_label="now")
    table = list(csv.reader(io.StringIO(out.getvalue())))
    assert table[0] == ["section", "kind", "account_id", "line", "currency", "amount", "now",
                        "difference"]  # fmt: skip
    salary = table[1]
    assert salary[3] == "'=SUM(A1:A9)"
    assert salary[5:] == ["3000.00", "0.00", "-3000.00"]  # a negative number, not text
    fees = next(row for row in table if row[2] == "fees")
    assert fees[3] == "'-fees"
    assert fees[5:] == ["0.00", "5.00", "5.00"]


def test_an_account_named_like_a_computed_line_keeps_its_name() -> None:
    def flows(with_account: bool) -> Report:
        section = Section("2024-01")
        section.add(Line(None, "in", "EUR", 500))
        if with_account:
            section.add(Line("acct", "in", "EUR", 7))
        return Report("cash-flow", 1, dt.date(2024, 1, 1), dt.date(2024, 1, 31), [section])

    rows = table_rows(flows(False), flows(True), other_is_now=True)
    assert [(r.account_id, r.name) for r in rows if r.kind == "line"] == [
        (None, "Money in"), ("acct", "in")]  # fmt: skip


def test_a_parent_line_shows_its_rolled_up_amount_indented_over_its_children() -> None:
    def expenses(fuel: int) -> Report:
        section = Section("expenses")
        section.add(Line("car", "Car", "EUR", 1000, depth=0, total=1000 + fuel))
        section.add(Line("fuel", "Fuel", "EUR", fuel, parent_id="car", depth=1))
        return Report("income-statement", 5, dt.date(2015, 1, 1), dt.date(2015, 12, 31),
                      [section])  # fmt: skip

    rows = table_rows(expenses(6430), expenses(5000), other_is_now=True)
    car, fuel, total = rows
    assert (car.indented_name, car.amount, car.other, car.difference) == ("Car", 7430, 6000, -1430)
    assert (fuel.indented_name, fuel.amount, fuel.depth) == ("  Fuel", 6430, 1)
    assert total.kind == "total" and total.amount == 7430  # own amounts: nothing counted twice
