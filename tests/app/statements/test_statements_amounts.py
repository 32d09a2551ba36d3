"""Amounts are exact Decimals read from the text, whatever marks the bank writes them with."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.statements import parse_statements
from app.statements.amounts import AmountError, parse_amount
from app.statements.dates import detect_date_format, parse_date

STYLES = [
    (".", ""),
    (".", ","),
    (".", " "),
    (".", "'"),
    (",", ""),
    (",", "."),
    (",", " "),
    (",", "\u00a0"),
]
NEGATIVES = ["-{}", "{}-", "({})"]


def write(value: Decimal, decimal: str, thousands: str, negative: str) -> str:
    """``value`` as a bank could print it: grouped in threes, two decimals."""
    units, cents = divmod(abs(int(value * 100)), 100)
    digits = f"{units:,}".replace(",", thousands)
    text = f"{digits}{decimal}{cents:02d}"
    return negative.format(text) if value < 0 else text


amounts = st.integers(min_value=-(10**12), max_value=10**12).map(lambda c: Decimal(c) / 100)


@given(amounts, st.sampled_from(STYLES), st.sampled_from(NEGATIVES))
def test_an_amount_reads_back_exactly_in_its_notation(
    value: Decimal, style: tuple[str, str], negative: str
) -> None:
    assert parse_amount(write(value, *style, negative), *style) == value


@settings(max_examples=60, deadline=None)
@given(
    st.lists(amounts, min_size=1, max_size=30),
    st.sampled_from(STYLES),
    st.sampled_from([",", ";", "\t"]),
)
def test_a_csv_column_of_amounts_is_detected_and_read_back_exactly(
    values: list[Decimal], style: tuple[str, str], delimiter: str
) -> None:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(["Date", "Payee", "Amount"])
    for day, value in enumerate(values):
        writer.writerow(
            [f"2024-01-{day % 28 + 1:02d}", f"payee {day}", write(value, *style, "-{}")]
        )
    [statement] = parse_statements(out.getvalue().encode("utf-8"))
    assert [row.amount for row in statement.rows] == values
    assert not statement.errors


@pytest.mark.parametrize("text", ["1.2.3", "12,34,5", "1..2", "", "-", "12a", "1 2,00", "1e5"])
def test_text_that_is_no_amount_is_refused(text: str) -> None:
    with pytest.raises(AmountError):
        parse_amount(text, ",", ".")


FORMATS = [
    "DD.MM.YYYY",
    "DD/MM/YYYY",
    "MM/DD/YYYY",
    "DD-MM-YY",
    "MM/DD/YY",
    "YYYY-MM-DD",
    "YYYYMMDD",
    "DD MON YYYY",
    "MON DD YYYY",
    "DD MON YY",
]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def _written(day: date, fmt: str) -> str:
    parts = {
        "DD": f"{day.day:02d}",
        "MM": f"{day.month:02d}",
        "YYYY": f"{day.year:04d}",
        "YY": f"{day.year % 100:02d}",
        "MON": MONTHS[day.month - 1],
    }
    sep = next((c for c in fmt if c in "./- "), "")
    return sep.join(parts[p] for p in (fmt.split(sep) if sep else ["YYYY", "MM", "DD"]))


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.dates(min_value=date(1971, 1, 1), max_value=date(2068, 12, 31)), min_size=1, max_size=40
    ),
    st.sampled_from(FORMATS),
)
def test_a_date_column_is_read_back_in_one_format_when_a_day_tells_the_order(
    days: list[date], fmt: str
) -> None:
    """With one day over 12 the order is certain, and every row reads back as written."""
    days = [*days, date(2024, 12, 31)]
    found, tied = detect_date_format([_written(d, fmt) for d in days])
    assert found is not None and found.name == fmt and not tied
    assert [parse_date(_written(d, fmt), found) for d in days] == days
