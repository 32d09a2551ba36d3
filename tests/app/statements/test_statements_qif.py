"""QIF: !Account switching, card and cash sections, splits, date order, cut-off files."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from app.statements import StatementFileError, detect_format, parse_statements

DATA = Path(__file__).resolve().parents[2] / "data" / "statements"


def test_each_account_is_a_statement_and_splits_stay_on_their_row() -> None:
    data = (DATA / "qif_multi_account.qif").read_bytes()
    assert detect_format(data) == "qif"
    checking, visa, wallet = parse_statements(data)
    assert [s.account_hint for s in (checking, visa, wallet)] == ["Checking", "Visa", "Wallet"]
    assert [s.notes[0] for s in (checking, visa, wallet)] == [
        "QIF bank account",
        "QIF credit-card account",
        "QIF cash account",
    ]
    assert [(r.line, r.amount) for r in checking.rows] == [
        (16, Decimal("-120.00")),
        (22, Decimal("1500.00")),
    ]
    salary = checking.rows[1]
    assert salary.memo == "[split: Salary:Gross 1,800.00; Salary:Tax (Tax withheld) -300.00]"
    assert "$-300.00" in salary.raw
    assert salary.booking_date == date(2024, 1, 20)
    assert [e.message for e in checking.errors] == [
        "line 31: '2/31/2024' is no valid date (MM/DD/YYYY)",
        "line 35: '1.2.3' is not an amount",
    ]
    assert checking.closing is not None and checking.closing.amount == Decimal("1184.50")
    assert [r.amount for r in visa.rows] == [Decimal("-64.10")]
    assert [r.amount for r in wallet.rows] == [Decimal("-4.20")] and wallet.closing is None


def test_day_first_dates_and_decimal_commas_are_detected() -> None:
    [got] = parse_statements((DATA / "qif_day_first_comma.qif").read_bytes())
    assert [(r.booking_date, r.amount) for r in got.rows] == [
        (date(2024, 1, 31), Decimal("-1234.56")),
        (date(2024, 2, 1), Decimal("2000.00")),
    ]
    assert got.rows[0].payee == "Miete für Januar"


def test_a_record_without_its_closing_caret_at_the_end_is_a_cut_off_file() -> None:
    with pytest.raises(StatementFileError, match=r"^line 45: the file ends inside a record"):
        parse_statements((DATA / "qif_truncated.qif").read_bytes())


def test_a_qif_of_lists_only_is_not_a_statement() -> None:
    with pytest.raises(StatementFileError, match=r"^not a statement: the QIF file has no"):
        parse_statements(b"!Type:Cat\nNFood\nE\n^\n")


def test_qif_dates_with_month_names() -> None:
    [got] = parse_statements(b"!Type:Bank\nD5 Jan 2024\nT-1.00\n^\nD17 Feb 2024\nT2.00\n^\n")
    assert [r.booking_date for r in got.rows] == [date(2024, 1, 5), date(2024, 2, 17)]
    assert "QIF dates read as DD MON YYYY" in got.notes
