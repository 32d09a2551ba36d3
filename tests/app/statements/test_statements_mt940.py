"""MT940: SWIFT's reversal signs, SWIFT blocks, CP852 text, :86: subfields, cut-off files."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from app.statements import StatementFileError, detect_format, parse_statements

DATA = Path(__file__).resolve().parents[2] / "data" / "statements"


def test_rc_is_negative_rd_positive_and_bad_lines_are_errors() -> None:
    data = (DATA / "mt940_reversals_cp852.sta").read_bytes()
    assert detect_format(data) == "mt940"
    [got] = parse_statements(data)
    assert (got.account_hint, got.currency) == ("DE89370400440532013000", "EUR")
    assert [(r.line, r.amount, r.bank_id) for r in got.rows] == [
        (6, Decimal("-25.50"), "B4030100001"),
        (8, Decimal("-25.50"), "B4030100002"),  # RC: reversal of a credit takes money out
        (10, Decimal("10.00"), "B4030200003"),  # RD: reversal of a debit brings it back
        (12, Decimal("1250"), "B4030300004"),
    ]
    assert got.rows[0].payee == "Stadtwerke Ost" and got.rows[0].memo == "Rechnung 2024-17"
    assert got.rows[3].memo == "Gehalt März: Lohn Februar, Müller & Söhne, Győr"  # CP852
    assert got.rows[1].memo.startswith("reversal: ")
    assert got.rows[0].booking_date == date(2024, 3, 1)
    assert got.opening is not None and got.closing is not None
    assert (got.opening.amount, got.opening.on) == (Decimal("1000.00"), date(2024, 2, 29))
    assert (got.closing.amount, got.closing.on) == (Decimal("2209.00"), date(2024, 3, 3))
    assert [e.message for e in got.errors] == [
        "line 15: '240230' is no valid date (YYMMDD)",
        "line 17: 'GARBAGE' is not an MT940 transaction (:61:)",
    ]
    assert "read as cp852" in got.notes


def test_a_statement_without_its_closing_balance_is_a_cut_off_file() -> None:
    with pytest.raises(
        StatementFileError,
        match=r"^line 2: statement 'STMT240301' ends without its closing balance",
    ):
        parse_statements((DATA / "mt940_truncated.sta").read_bytes())


def test_a_statement_that_does_not_add_up_is_reported_not_fixed() -> None:
    text = ":20:X\n:25:1\n:60F:C240101EUR10,00\n:61:240102D1,00NTRFNONREF\n:62F:C240102EUR8,00\n-\n"
    [got] = parse_statements(text.encode(), format="mt940")
    assert [r.amount for r in got.rows] == [Decimal("-1.00")]
    assert got.closing is not None and got.closing.amount == Decimal("8.00")
    assert got.notes[-1] == (
        "the statement does not add up: closing - opening = -2.00, its "
        "booked rows sum to -1.00 (difference -1.00)"
    )


def test_a_bank_reference_repeated_within_a_statement_is_noted_and_both_rows_kept() -> None:
    text = (
        ":20:X\n:25:1\n:60F:C240101EUR10,00\n:61:240102D1,00NTRFNONREF//R1\n"
        ":61:240102D1,00NTRFNONREF//R1\n:62F:C240102EUR8,00\n-\n"
    )
    [got] = parse_statements(text.encode(), format="mt940")
    assert [r.bank_id for r in got.rows] == ["R1", "R1"]
    assert "bank ids repeated within this statement: R1 (2 times)" in got.notes


def test_an_mt942_interim_report_is_not_a_statement() -> None:
    text = ":20:X\n:25:1\n:28C:1\n:34F:EURD0,\n:13D:2401021200+0100\n:61:240102D1,00NTRFNONREF\n-\n"
    with pytest.raises(StatementFileError, match=r"^line 1: not a statement: an MT942 interim"):
        parse_statements(text.encode(), format="mt940")
