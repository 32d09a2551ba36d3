"""An import's summary says its balances in the history's locale, like every other amount."""

from __future__ import annotations

from domain.model.events import (
    BalanceMismatch,
    ImportedRow,
    StatementBalance,
    StatementImported,
)
from domain.projections.text import describe


def imported() -> StatementImported:
    row = ImportedRow("i1-1", 2, "", "k", "")
    return StatementImported(
        "i1", "chk", "jan.csv", "ff", "camt053", "EUR", "2024-01-02", "2024-01-31", 3,
        (StatementBalance("closing", "2024-01-31", -32950),), (row,), (), (),
        mismatches=(BalanceMismatch("2024-01-31", -32950, 17050),),
    )  # fmt: skip


def test_an_import_summary_uses_the_locale_for_its_balances() -> None:
    summary = describe(imported(), lambda _a: "Checking", locale="de_DE")[2]
    assert "closing balance -329,50\xa0€" in summary
    assert "the books say 170,50\xa0€, a difference of -500,00\xa0€" in summary
    english = describe(imported(), lambda _a: "Checking", locale="en_US")[2]
    assert "closing balance -€329.50" in english and "EUR" not in english


def test_without_a_locale_the_summary_keeps_the_fixed_form() -> None:
    summary = describe(imported(), lambda _a: "Checking")[2]
    assert "closing balance -329.50 EUR" in summary
