"""OFX/QFX: SGML 1.x and XML 2.x, FITIDs, pending rows, ledger balance, cut-off files."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from app.statements import StatementFileError, detect_format, parse_statements

DATA = Path(__file__).resolve().parents[2] / "data" / "statements"


def _read(name: str) -> bytes:
    return (DATA / name).read_bytes()


def test_sgml_keeps_both_rows_of_a_repeated_fitid_and_says_so() -> None:
    [got] = parse_statements(_read("ofx1_duplicate_fitid.ofx"))
    assert got.format == "ofx" and got.currency == "EUR"
    assert got.account_hint == "DE44500105175407324931"
    assert [(r.bank_id, r.amount) for r in got.rows] == [
        ("A-1", Decimal("-12.50")),
        ("A-1", Decimal("-12.50")),
        ("A-3", Decimal("1500.00")),
    ]
    assert "FITID A-1 appears 2 times in this statement" in got.notes
    assert got.rows[0].payee == "Café Müller & Co"  # cp1252 and an SGML entity
    assert got.rows[0].booking_date == date(2024, 2, 5)
    assert got.closing is not None
    assert (got.closing.amount, got.closing.on) == (Decimal("1975.00"), date(2024, 2, 29))
    assert got.opening is None
    assert [(e.line, e.message) for e in got.errors] == [
        (3, "transaction 3 (line 38): '20240231' is no valid date")
    ]


def test_xml_credit_card_with_a_pending_row() -> None:
    data = _read("ofx2_credit_card_pending.qfx")
    assert detect_format(data) == "ofx"
    [got] = parse_statements(data, file_name="x.qfx")
    assert [(r.amount, r.pending) for r in got.rows] == [
        (Decimal("-45.10"), False),
        (Decimal("200.00"), False),
        (Decimal("-9.99"), True),
    ]
    assert got.rows[0].payee == "Grocery <Main St>"
    assert got.rows[2].bank_id is None
    assert got.closing is not None and got.closing.amount == Decimal("-845.10")
    assert got.notes[0].startswith("OFX credit-card statement")


def test_a_cut_off_ofx_file_is_refused_naming_where_it_ends() -> None:
    with pytest.raises(
        StatementFileError,
        match=r"^line 48: the OFX file ends without </OFX>, inside the "
        r"statement from line 17: it is cut off$",
    ):
        parse_statements(_read("ofx_truncated.ofx"))


def test_an_ofx_file_without_a_statement_is_not_a_statement() -> None:
    with pytest.raises(StatementFileError, match=r"^not a statement: the OFX file holds no"):
        parse_statements(_read("ofx_no_statement.ofx"))


def test_a_transaction_in_another_currency_is_a_row_error() -> None:
    def trn(fitid: str, extra: str) -> str:
        return f"<STMTTRN><DTPOSTED>20240102<TRNAMT>-5.00<FITID>{fitid}{extra}</STMTTRN>"

    body = (
        "<OFX><STMTRS><CURDEF>EUR<BANKTRANLIST>"
        + trn("1", "<CURRENCY><CURRATE>1.1<CURSYM>USD</CURRENCY>")
        + trn("2", "<ORIGCURRENCY><CURRATE>1.1<CURSYM>USD</ORIGCURRENCY>")
        + trn("3", "<CURRENCY><CURRATE>1<CURSYM>EUR</CURRENCY>")
        + "</BANKTRANLIST></STMTRS></OFX>"
    )
    [got] = parse_statements(body.encode())
    assert [r.bank_id for r in got.rows] == ["2", "3"]
    assert [e.message for e in got.errors] == [
        "transaction 1 (line 1): amount in USD, the statement is in EUR"
    ]
