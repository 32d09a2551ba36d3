"""Money: exact minor units, locale-aware round trips, and clear rejections."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.model.errors import InvalidAmount, UnknownCurrency
from domain.model.money import (
    MAX_UNITS,
    Money,
    check_currency,
    decimal_string,
    format_money,
    minor_digits,
    parse_money,
)

CURRENCIES = ["EUR", "USD", "JPY", "BHD", "CHF", "GBP"]
LOCALES = ["en_US", "de_DE", "fr_FR", "de_CH", "en_IN", "ja_JP", "nl_NL"]


@pytest.mark.parametrize(("currency", "digits"), [("JPY", 0), ("EUR", 2), ("BHD", 3)])
def test_minor_digits_follow_iso_4217(currency: str, digits: int) -> None:
    assert minor_digits(currency) == digits


def test_money_is_integer_minor_units() -> None:
    assert Money.of("12.34", "EUR") == Money(1234, "EUR")
    assert Money.of("1.234", "BHD").minor == 1234
    assert Money.of(500, "JPY").minor == 500
    assert Money.of("12.30", "EUR").amount == Decimal("12.30")


@pytest.mark.parametrize(
    ("text", "locale", "expected"),
    [
        ("1.234,56", "de_DE", "1234.56"),
        ("1,234.56", "en_US", "1234.56"),
        ("-1,234.56", "en_US", "-1234.56"),
        ("(20.00)", "en_US", "-20.00"),
        ("€1,234.56", "en_US", "1234.56"),
        ("1234,5", "de_DE", "1234.50"),
        ("0,05", "de_DE", "0.05"),
    ],
)
def test_parse_is_locale_aware(text: str, locale: str, expected: str) -> None:
    assert parse_money(text, "EUR", locale) == Money.of(expected, "EUR")


def test_format_uses_locale_separators() -> None:
    money = Money.of("1234.56", "EUR")
    assert format_money(money, "de_DE", symbol=False) == "1.234,56"
    assert format_money(money, "en_US", symbol=False) == "1,234.56"
    assert format_money(Money.of("1234", "JPY"), "en_US", symbol=False) == "1,234"
    assert "€" in format_money(money, "de_DE")


@given(
    currency=st.sampled_from(CURRENCIES),
    locale=st.sampled_from(LOCALES),
    units=st.integers(min_value=-(10**13), max_value=10**13),
    fraction=st.integers(min_value=0, max_value=999),
)
def test_format_then_parse_round_trips(
    currency: str, locale: str, units: int, fraction: int
) -> None:
    digits = minor_digits(currency)
    minor = units * 10**digits + (fraction % 10**digits if abs(units) < 10**13 else 0)
    money = Money(minor, currency)
    assert parse_money(format_money(money, locale, symbol=False), currency, locale) == money
    assert Money.of(decimal_string(minor, currency), currency) == money


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (0.1, "float"),
        (float("nan"), "float"),
        (Decimal("NaN"), "finite"),
        (Decimal("Infinity"), "finite"),
        ("-Infinity", "finite"),
        ("1.234", "more decimals than EUR allows (2)"),
        ("abc", "not a number"),
        ("1_000", "not a number"),
        ("\u0663", "not a number"),  # an Arabic-Indic three
        ("1.2.3", "not a number"),
        (str(MAX_UNITS + 1), "10^13"),
        (True, "not an amount"),
    ],
)
def test_inexact_or_huge_amounts_are_refused(value: object, reason: str) -> None:
    with pytest.raises(InvalidAmount, match=re.escape(reason)):
        Money.of(value, "EUR")


def test_yen_has_no_decimals() -> None:
    with pytest.raises(InvalidAmount, match="JPY allows \\(0\\)"):
        Money.of("1.5", "JPY")


def test_limit_is_inclusive() -> None:
    assert Money.of(str(MAX_UNITS), "EUR").amount == MAX_UNITS
    assert Money.of(str(-MAX_UNITS), "EUR").amount == -MAX_UNITS


@pytest.mark.parametrize("code", ["EURO", "eur", "XYZ", "", "12"])
def test_unknown_currency_is_refused(code: str) -> None:
    with pytest.raises(UnknownCurrency):
        Money.of("1", code)


@pytest.mark.parametrize(("code", "why"), [("XXX", "no currency"), ("XTS", "testing")])
def test_iso_codes_that_are_not_money_are_refused(code: str, why: str) -> None:
    # Babel lists them as currencies
    with pytest.raises(UnknownCurrency, match=f"{code}.*{why}.*accounts need a real currency"):
        check_currency(code)


@pytest.mark.parametrize("code", ["XAU", "XAG", "XPT", "XPD", "XDR", "XSU", "XUA", "XBA"])
def test_codes_without_minor_unit_take_no_new_accounts_but_stored_amounts_read(
    code: str,
) -> None:
    with pytest.raises(UnknownCurrency, match=f"'{code}' is .*no minor unit in ISO 4217"):
        check_currency(code)
    assert Money.of("1.25", code).minor == 125


@pytest.mark.parametrize(
    ("text", "locale"),
    [
        ("", "en_US"),
        ("12,34.5", "en_US"),
        ("1.2.3", "en_US"),
        ("1,234.567", "en_US"),
        ("ten", "en_US"),
    ],
)
def test_bad_text_is_refused(text: str, locale: str) -> None:
    with pytest.raises(InvalidAmount):
        parse_money(text, "EUR", locale)


def test_mixing_currencies_is_refused() -> None:
    with pytest.raises(InvalidAmount, match="EUR with USD"):
        _ = Money.of("1", "EUR") + Money.of("1", "USD")


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        # beyond the 28 digits of Decimal's default context: must not be rounded away
        ("1.00000000000000000000000000001", "more decimals than EUR allows (2)"),
        ("9999999999999.999999999999999999", "more decimals than EUR allows (2)"),
        ("1E-999999999", "more decimals than EUR allows (2)"),
        ("1E+999999999", "10^13"),
        (Decimal("-1E+30"), "10^13"),
    ],
)
def test_many_digits_are_refused_not_rounded(value: object, reason: str) -> None:
    with pytest.raises(InvalidAmount, match=re.escape(reason)):
        Money.of(value, "EUR")


def test_many_significant_digits_within_the_currency_are_exact() -> None:
    assert Money.of("9999999999999.990000000000000000000000", "EUR").minor == 999999999999999
    assert Money.of("1.234000000000000000000000000000000", "BHD").minor == 1234
    assert Money.of(Decimal("1E+3"), "JPY").minor == 1000
    assert Money.of("0E-40", "EUR").minor == 0
