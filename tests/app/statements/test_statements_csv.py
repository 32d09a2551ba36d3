"""CSV statements: detection of the mapping on our own fixtures, bad rows, profiles."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from app.statements import CsvProfile, StatementFileError, detect_csv_profile, parse_statements
from app.statements.amounts import parse_amount
from domain.model.statements import Statement

DATA = Path(__file__).resolve().parents[2] / "data" / "statements"


def _one(name: str, profile: CsvProfile | None = None) -> Statement:
    statements = parse_statements((DATA / name).read_bytes(), file_name=name, profile=profile)
    assert len(statements) == 1
    return statements[0]


def _profile_of(statement: Statement) -> str:
    return statement.notes[0]


def test_a_bom_semicolon_file_with_a_header_block_and_balance_footer() -> None:
    got = _one("csv_bom_semicolon.csv")
    assert [r.amount for r in got.rows] == [
        Decimal("-84.20"),
        Decimal("3210.55"),
        Decimal("-1150.00"),
        Decimal("-3.9"),
    ]
    assert [r.line for r in got.rows] == [5, 6, 7, 8]
    assert got.rows[0].booking_date == date(2024, 3, 1)
    assert got.rows[3].payee == "Bäckerei" and got.rows[3].memo == "Brötchen"
    assert got.rows[1].raw == "04.03.2024;Arbeitgeber GmbH;Gehalt;3.210,55;EUR"
    assert got.opening is not None and got.opening.amount == Decimal("500.00")
    assert got.closing is not None and got.closing.amount == Decimal("2472.45")
    assert got.currency == "EUR" and not got.errors
    assert got.account_hint == "DE02120300000000202051"  # from the title block's 'Konto' line
    assert "utf-8-sig, ';'-delimited, column names on line 4" in _profile_of(got)
    assert "decimal comma and '.' thousands" in _profile_of(got)


def test_latin1_text_bad_dates_and_amounts_are_row_errors_naming_the_line() -> None:
    got = _one("csv_latin1_bad_rows.csv")
    assert [r.payee for r in got.rows] == ["Müller & Söhne", "Löwe", "Tankstelle"]
    assert [(e.line, e.message) for e in got.errors] == [
        (3, "line 3: '31.02.2024' is no valid date (DD.MM.YYYY)"),
        (4, "line 4: '1.2.3' is not an amount (digit groups are not in threes)"),
        (7, "line 7: '31.02.' is not a date DD.MM.YYYY"),
    ]
    assert [r.pending for r in got.rows] == [False, False, True]
    assert "cp1252" in _profile_of(got)


def test_amounts_in_parentheses_are_negative_and_the_running_balance_gives_balances() -> None:
    got = _one("csv_parentheses.csv")
    assert [r.amount for r in got.rows] == [
        Decimal("-4.50"),
        Decimal("1250.00"),
        Decimal("-1200.00"),
        Decimal("0.12"),
    ]
    assert got.opening is not None and got.opening.amount == Decimal("1000.00")
    assert got.closing is not None and got.closing.amount == Decimal("1045.62")
    assert got.closing.on == date(2024, 1, 31)


def test_separate_paid_out_and_paid_in_columns_tab_delimited() -> None:
    got = _one("csv_debit_credit_tabs.csv")
    assert [r.amount for r in got.rows] == [Decimal("-23.10"), Decimal("5.00"), Decimal("-40.00")]
    assert "money out in 'Paid out', money in in 'Paid in'" in _profile_of(got)
    assert any("1 line outside the table skipped" in note for note in got.notes)


def test_a_cut_off_last_row_is_a_row_error_and_an_open_quote_a_file_error() -> None:
    got = _one("csv_truncated_row.csv")
    assert len(got.rows) == 2
    assert [e.line for e in got.errors] == [4]
    with pytest.raises(StatementFileError, match=r"^line 3: a quoted field is never closed"):
        parse_statements((DATA / "csv_truncated_quote.csv").read_bytes())


def test_rows_in_another_currency_are_errors() -> None:
    got = _one("csv_mixed_currency.csv")
    assert got.currency == "EUR" and len(got.rows) == 2
    assert [e.message for e in got.errors] == ["line 3: amount in USD, the statement is in EUR"]


@pytest.mark.parametrize("name", ["not_a_statement.csv", "not_a_statement.bin"])
def test_a_file_that_is_no_statement_is_one_clear_line(name: str) -> None:
    with pytest.raises(StatementFileError, match=r"^not a statement") as caught:
        parse_statements((DATA / name).read_bytes(), file_name=name)
    assert "\n" not in str(caught.value)


def test_ambiguous_dates_follow_the_decimal_mark_and_a_profile_overrides_them() -> None:
    """csv_ambiguous_dates.csv: no day is over 12, so detection says it guessed month-first;
    the documented day-first profile reads the same file as 1 February, 3 April, 5 June."""
    detected = _one("csv_ambiguous_dates.csv")
    assert detected.rows[0].booking_date == date(2024, 1, 2)
    assert any("day-first and month-first alike" in note for note in detected.notes)
    day_first = CsvProfile(
        encoding="utf-8",
        delimiter=",",
        header_line=1,
        date_column=0,
        date_format="DD/MM/YYYY",
        amount_column=2,
        payee_column=1,
        columns=("Date", "Payee", "Amount"),
    )
    got = _one("csv_ambiguous_dates.csv", profile=day_first)
    assert [r.booking_date for r in got.rows] == [
        date(2024, 2, 1),
        date(2024, 4, 3),
        date(2024, 6, 5),
    ]
    assert got.notes == (day_first.describe(),)


def test_a_profile_survives_json_and_reads_the_file_as_detection_did() -> None:
    detected = _one("csv_bom_semicolon.csv")
    profile, guesses = detect_csv_profile((DATA / "csv_bom_semicolon.csv").read_bytes())
    assert guesses == () and profile.describe() == detected.notes[0]
    saved = json.loads(json.dumps(profile.to_json()))
    assert CsvProfile.from_json(saved) == profile
    assert _one("csv_bom_semicolon.csv", CsvProfile.from_json(saved)) == detected
    with pytest.raises(ValueError, match="unknown CSV profile keys: colour"):
        CsvProfile.from_json({**saved, "colour": "red"})
    with pytest.raises(ValueError, match="date format"):
        CsvProfile.from_json({**saved, "date_format": "someday"})


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"date_column": "Datum"}, "date_column must be a column number"),
        ({"amount_column": -1}, "amount_column must be a column number"),
        ({"payee_column": True}, "payee_column must be a column number"),
        ({"header_line": 0}, "header_line must be a line number"),
        ({"memo_columns": [1, "x"]}, "memo_columns must be column numbers"),
        ({"delimiter": ";;"}, "is not one character"),
        ({"encoding": "klingon"}, "unknown encoding 'klingon'"),
        ({"decimal": 5}, "decimal must be text"),
        ({"columns": [1]}, "columns must be texts"),
        ({"date_column": None}, "date_column is needed"),
    ],
)
def test_a_profile_from_json_with_a_wrong_value_is_one_value_error(
    change: dict[str, object], message: str
) -> None:
    saved = detect_csv_profile((DATA / "csv_bom_semicolon.csv").read_bytes())[0].to_json()
    with pytest.raises(ValueError, match=message):
        CsvProfile.from_json({**saved, **change})


@pytest.mark.parametrize(
    ("format", "message"),
    [
        ("ofx", r"^not a statement: no <OFX> element"),
        ("qif", r"^not a statement: no QIF !Type or !Account header"),
        ("mt940", r"^not a statement: no MT940 :20: line"),
        ("camt053", r"^line 1: the XML is broken or cut off"),
        ("pdf", r"^unknown statement format 'pdf'"),
    ],
)
def test_a_csv_read_as_another_format_is_refused_in_that_formats_words(
    format: str, message: str
) -> None:
    with pytest.raises(StatementFileError, match=message):
        parse_statements((DATA / "csv_parentheses.csv").read_bytes(), format=format)


def test_utf16_with_a_bom_and_an_empty_file() -> None:
    text = "Date;Payee;Amount\n2024-05-01;Shop;-1,50\n"
    [got] = parse_statements(text.encode("utf-16"))
    assert [r.amount for r in got.rows] == [Decimal("-1.50")]
    with pytest.raises(StatementFileError, match=r"^the file is empty$"):
        parse_statements(b" \n")


def test_dates_scattered_over_columns_are_no_table() -> None:
    text = "a;b;c\n2024-01-01;x;1,00\nx;2024-01-02;1,00\ny;z;2024-01-03;\nq;r;1,00\n"
    with pytest.raises(StatementFileError, match=r"^line 2: no column holds dates in most rows"):
        parse_statements(text.encode())


def test_a_table_thousands_of_columns_wide_is_refused_at_once() -> None:
    row = ";".join(["2024-01-01", "-1,00", *(["x"] * 5000)])
    with pytest.raises(StatementFileError, match=r"^line 1: 5002 columns: no bank statement"):
        parse_statements(("\n".join([row] * 3000)).encode())


@pytest.mark.parametrize(
    "text",
    [
        "Date,Payee,Amount\n2024-01-02,Shop,-1.50,\n2024-01-03,Cafe,-2.00,\n",
        "Date,Payee,Amount,\n2024-01-02,Shop,-1.50\n2024-01-03,Cafe,-2.00\n",
    ],
    ids=["rows-end-with-a-delimiter", "header-ends-with-a-delimiter"],
)
def test_a_trailing_delimiter_on_the_rows_or_the_header_keeps_the_names(text: str) -> None:
    [got] = parse_statements(text.encode())
    assert [(r.payee, r.amount) for r in got.rows] == [
        ("Shop", Decimal("-1.50")),
        ("Cafe", Decimal("-2.00")),
    ]
    assert "payee in 'Payee'" in got.notes[0]


def test_a_soll_haben_column_signs_amounts_that_are_never_negative() -> None:
    got = _one("csv_soll_haben.csv")
    assert [r.amount for r in got.rows] == [
        Decimal("-84.20"),
        Decimal("3210.55"),
        Decimal("-3.90"),
    ]
    assert "debit/credit mark in 'Soll/Haben'" in got.notes[0]
    assert got.currency is None and not got.errors  # 'Valuta' is the value date, not a currency


@pytest.mark.parametrize(
    ("text", "value"),
    [("12.50 DR", "-12.50"), ("12.50CR", "12.50"), ("1,234.00 Dr", "-1234.00")],
)
def test_cr_and_dr_after_an_amount_sign_it(text: str, value: str) -> None:
    assert parse_amount(text, ".", ",") == Decimal(value)


def test_month_names_in_dates_are_read_and_a_bad_one_is_a_row_error() -> None:
    got = _one("csv_month_names.csv")
    assert [(r.booking_date, r.amount) for r in got.rows] == [
        (date(2024, 1, 5), Decimal("-23.10")),
        (date(2024, 1, 17), Decimal("1500.00")),
        (date(2024, 2, 2), Decimal("-120.00")),
    ]
    assert [e.message for e in got.errors] == [
        "line 4: '31 Feb 2024' is no valid date (DD MON YYYY)"
    ]
    assert "date in 'Transaction Date' as DD MON YYYY" in got.notes[0]


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("5-Jan-24", date(2024, 1, 5)),
        ("Jan 5, 2024", date(2024, 1, 5)),
        ("3. März 2024", date(2024, 3, 3)),
        ("12 déc. 2023", date(2023, 12, 12)),
        ("Sept 30th 2023", date(2023, 9, 30)),
    ],
)
def test_a_month_name_in_several_languages(text: str, day: date) -> None:
    from app.statements.dates import detect_date_format, parse_date

    found, tied = detect_date_format([text])
    assert found is not None and not tied
    assert parse_date(text, found) == day
    assert (
        CsvProfile.from_json(
            {
                **detect_csv_profile(b"Date,Amount\n2024-01-01,1.00\n")[0].to_json(),
                "date_format": found.name,
            }
        ).date
        == found
    )


def test_excels_sep_line_names_the_delimiter() -> None:
    """Without the sep line, ';' and ',' would split these lines equally well."""
    text = "sep=,\nDate,Note;Extra,Amount\n2024-01-02,a;b,-1.50\n2024-01-03,c;d,-2.00\n"
    [got] = parse_statements(text.encode())
    assert [r.amount for r in got.rows] == [Decimal("-1.50"), Decimal("-2.00")]
    assert "','-delimited, column names on line 2" in got.notes[0]


def test_withdrawal_and_deposit_amount_columns_are_a_pair_and_account_name_no_payee() -> None:
    text = (
        "Date,Account Name,Description,Withdrawal Amount,Deposit Amount,Balance\n"
        "01/15/2024,Checking,Grocer,12.00,,88.00\n"
        "01/16/2024,Checking,Refund,,5.00,93.00\n"
    )
    [got] = parse_statements(text.encode())
    assert [(r.payee, r.amount) for r in got.rows] == [
        ("Grocer", Decimal("-12.00")),
        ("Refund", Decimal("5.00")),
    ]
    assert got.closing is not None and got.closing.amount == Decimal("93.00")


def test_a_fee_column_with_fees_is_pointed_out() -> None:
    text = "Date,Description,Amount,Fee\n2024-01-02,FX,-10.00,0.50\n2024-01-03,Shop,-1.00,0.00\n"
    [got] = parse_statements(text.encode())
    assert [r.amount for r in got.rows] == [Decimal("-10.00"), Decimal("-1.00")]
    assert "'Fee' holds fees that are not in the amounts: check them" in got.notes
    [zero] = parse_statements(text.replace("0.50", "0.00").encode())
    assert not any("fees" in note for note in zero.notes)


def test_a_table_row_without_a_date_is_an_error_not_a_skipped_line() -> None:
    text = "Buchungstag;Text;Betrag\n01.03.2024;Miete;-500,00\n;Vorgemerkt;-12,00\nSumme;;-512,00\n"
    [got] = parse_statements(text.encode())
    assert [r.amount for r in got.rows] == [Decimal("-500.00")]
    assert [e.message for e in got.errors] == ["line 3: no date in 'Buchungstag'"]
    assert "1 line outside the table skipped (titles, notes, footers)" in got.notes
