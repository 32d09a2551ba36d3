"""How the filter bars read their fields: dates, local times, amounts, and what they refuse."""

from __future__ import annotations

import datetime as dt

import pytest

from app.window.history_filter_bar import BadField, parse_amount, parse_day, parse_moment


def test_dates_read_as_iso_and_refuse_anything_else() -> None:
    assert parse_day(" 2024-02-29 ", "From") == dt.date(2024, 2, 29)
    assert parse_day("", "From") is None
    with pytest.raises(BadField, match="From: '2023-02-29' is not a date"):
        parse_day("2023-02-29", "From")


def test_recorded_times_are_local_unless_they_say_their_offset() -> None:
    local = dt.datetime(2024, 3, 1, 12, 30).astimezone()
    assert parse_moment("2024-03-01 12:30", "R", end=False) == local.astimezone(dt.UTC)
    assert parse_moment("2024-03-01T12:30+02:00", "R", end=False) == dt.datetime(
        2024, 3, 1, 10, 30, tzinfo=dt.UTC
    )
    start = parse_moment("2024-03-01", "R", end=False)
    end = parse_moment("2024-03-01", "R", end=True)
    assert start is not None and end is not None
    assert end - start == dt.timedelta(days=1, microseconds=-1)  # the whole local day
    with pytest.raises(BadField, match="R: 'noon' is not a time"):
        parse_moment("noon", "R", end=True)


def test_amounts_are_sizes_in_minor_units_of_the_currency() -> None:
    assert parse_amount("1,234.50", "EUR", "A") == 123450
    assert parse_amount("-12.5", "EUR", "A") == 1250
    assert parse_amount("1500", "JPY", "A") == 1500
    assert parse_amount("", "EUR", "A") is None
    with pytest.raises(BadField, match="more decimals than EUR"):
        parse_amount("1.234", "EUR", "A")
    with pytest.raises(BadField, match="'12x' is not an amount"):
        parse_amount("12x", "EUR", "A")
