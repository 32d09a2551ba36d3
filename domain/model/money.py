"""Exact money: integer minor units per ISO 4217 currency, locale-aware parsing and formatting.

Floats never enter: a float, NaN, an infinity, a non-zero digit beyond the currency's decimals
(zeros there are the exact value: "1.000" EUR is 1.00 EUR), or an amount beyond +/-10^13 units
is refused with an :class:`InvalidAmount` that says why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Context, Decimal, InvalidOperation
from functools import cache

from babel import Locale, UnknownLocaleError
from babel.numbers import (
    NumberFormatError,
    format_currency,
    get_currency_precision,
    is_currency,
    parse_decimal,
)

from domain.model.errors import InvalidAmount, UnknownCurrency

MAX_UNITS = Decimal(10) ** 13
_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", re.ASCII)
_EXACT = Context(prec=40)  # holds any amount within MAX_UNITS in minor units, exactly
DEFAULT_LOCALE = "en_US"


@cache
def minor_digits(currency: str) -> int:
    """Number of decimals the currency has (JPY 0, EUR 2, BHD 3)."""
    _check_code(currency)
    return int(get_currency_precision(currency))


@cache
def _max_minor(currency: str) -> int:
    """MAX_UNITS in the currency's minor units (an int: compared with every new Money)."""
    return int(MAX_UNITS * 10 ** minor_digits(currency))


_NOT_MONEY = {
    "XXX": "means 'no currency'",
    "XTS": "is reserved for testing",
}
"""ISO 4217 codes that Babel lists but no account can be kept in."""

_NO_MINOR_UNIT = {
    "XAU": "gold",
    "XAG": "silver",
    "XPT": "platinum",
    "XPD": "palladium",
    "XDR": "the IMF's special drawing right",
    "XSU": "the ALBA Sucre",
    "XUA": "the ADB unit of account",
    "XBA": "a bond-market unit",
    "XBB": "a bond-market unit",
    "XBC": "a bond-market unit",
    "XBD": "a bond-market unit",
}
"""ISO 4217 codes with no minor unit ("N.A."): Babel gives them two decimals, which ISO does
not, so no exact amount can be kept in them. Refused for new accounts only; amounts already
stored in one still read (as Babel's two decimals)."""


@cache
def check_currency(currency: str) -> str:
    """Return the code if a new account can be kept in it, else raise UnknownCurrency."""
    _check_code(currency)
    if currency in _NO_MINOR_UNIT:
        raise UnknownCurrency(
            f"{currency!r} is {_NO_MINOR_UNIT[currency]}, which has no minor unit in ISO 4217; "
            "accounts need a currency"
        )
    return currency


@cache
def _check_code(currency: str) -> None:
    """Refuse what is no ISO 4217 currency at all (what no stored amount can be in)."""
    if not isinstance(currency, str) or len(currency) != 3 or not currency.isupper():
        # (cut short: a command line may carry megabytes in the field)
        shown = (
            f"{currency[:20]!r}…"
            if isinstance(currency, str) and len(currency) > 20
            else repr(currency)
        )
        raise UnknownCurrency(f"{shown} is not an ISO 4217 currency code (like EUR or JPY)")
    if currency in _NOT_MONEY:
        raise UnknownCurrency(
            f"{currency!r} {_NOT_MONEY[currency]} in ISO 4217; accounts need a real currency"
        )
    if not is_currency(currency):
        raise UnknownCurrency(f"{currency!r} is not an ISO 4217 currency code")


def _cut(value: object) -> object:
    """A value as a message quotes it: an amount thousands of digits long, cut short."""
    text = str(value)
    return value if len(text) <= 40 else f"{text[:24]}…{text[-8:]} ({len(text)} characters)"


def to_decimal(value: object) -> Decimal:
    """Coerce an exact value (Decimal, int or str) to Decimal; refuse floats and specials."""
    if isinstance(value, float):
        raise InvalidAmount(f"{value!r} is a float; amounts must be exact (use a decimal string)")
    if isinstance(value, bool):
        raise InvalidAmount(f"{value!r} is not an amount")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip())
        except InvalidOperation:
            raise InvalidAmount(f"{_cut(value)!r} is not a number") from None
        # Decimal() also takes "1_000" and non-ASCII digits; an amount in an event or a
        # command file is plain ASCII, so anything else is a typo, not money
        if result.is_finite() and not _PLAIN_NUMBER.fullmatch(value.strip()):
            raise InvalidAmount(
                f"{_cut(value)!r} is not a number (digits, one point, optional sign)"
            )
    else:
        raise InvalidAmount(f"{value!r} ({type(value).__name__}) is not an amount")
    if not result.is_finite():
        raise InvalidAmount(f"{_cut(value)!r} is not a finite amount")
    return result


@dataclass(frozen=True, order=True, slots=True)
class Money:
    """An exact amount: integer minor units of one currency."""

    minor: int
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.minor, int) or isinstance(self.minor, bool):
            raise InvalidAmount(f"minor units must be an integer, not {self.minor!r}")
        if abs(self.minor) > _max_minor(self.currency):
            raise InvalidAmount(
                f"{self.amount} {self.currency} is beyond the limit of ±10^13 units"
            )

    @classmethod
    def of(cls, value: object, currency: str) -> Money:
        """Money from an exact decimal value in major units, e.g. ``Money.of("12.34", "EUR")``."""
        amount = to_decimal(value)
        digits = minor_digits(currency)
        if not amount:
            return cls(0, currency)
        # Decide on the digits themselves: Decimal arithmetic (scaleb) rounds to the context's
        # 28 digits, which would turn "1.000…0001" into 1.00 and overflow on "1E+999999999".
        _, coefficient, exponent = amount.as_tuple()
        assert isinstance(exponent, int)  # finite: to_decimal refused NaN and infinities
        if exponent < -digits:  # more digits after the point than the currency has: zeros?
            trailing_zeros = len(coefficient) - len("".join(map(str, coefficient)).rstrip("0"))
            if exponent + trailing_zeros < -digits:
                raise InvalidAmount(
                    f"{_cut(amount)} has more decimals than {currency} allows ({digits})"
                )
        if amount.copy_abs() > MAX_UNITS:  # copy_abs and comparisons never round
            raise InvalidAmount(f"{_cut(amount)} {currency} is beyond the limit of ±10^13 units")
        # now at most 13 + digits integer digits: exact within _EXACT's precision
        return cls(int(amount.scaleb(digits, context=_EXACT)), currency)

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(0, currency)

    @property
    def amount(self) -> Decimal:
        """The value in major units as an exact Decimal."""
        return Decimal(self.minor).scaleb(-minor_digits(self.currency))

    def __add__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.minor + other.minor, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.minor - other.minor, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.minor, self.currency)

    def _same_currency(self, other: Money) -> None:
        if self.currency != other.currency:
            raise InvalidAmount(f"cannot combine {self.currency} with {other.currency}")

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"


def decimal_string(minor: int, currency: str) -> str:
    """Minor units as a plain decimal string with the currency's decimals ("12.30")."""
    digits = minor_digits(currency)
    return f"{Decimal(minor).scaleb(-digits):.{digits}f}"


def describe(minor: int, currency: str) -> str:
    """Minor units as "12.30 EUR" for messages, like ``str(Money)`` but for any size: a
    balance or a total may add up beyond the limit a single amount must keep."""
    return f"{decimal_string(minor, currency)} {currency}"


def _locale(locale: str | Locale | None) -> Locale:
    if isinstance(locale, Locale):
        return locale
    try:
        return Locale.parse(locale or DEFAULT_LOCALE)
    except (ValueError, UnknownLocaleError):
        return Locale.parse(DEFAULT_LOCALE)


def parse_money(text: str, currency: str, locale: str | Locale | None = None) -> Money:
    """Parse what a person typed (``1.234,56`` in German, ``1,234.56`` in English)."""
    cleaned = text.strip()
    if not cleaned:
        raise InvalidAmount("an amount is required")
    loc = _locale(locale)
    negative = cleaned.startswith(("-", "\u2212")) or (
        cleaned.startswith("(") and cleaned.endswith(")")
    )
    cleaned = cleaned.lstrip("-\u2212(").rstrip(")").strip()
    symbol = loc.currency_symbols.get(currency, currency)
    for token in (currency, symbol):
        cleaned = cleaned.replace(token, "").strip()
    try:
        value = parse_decimal(cleaned, locale=loc, strict=True)
    except NumberFormatError as exc:
        suggestion = f" (did you mean {exc.suggestions[0]}?)" if exc.suggestions else ""
        raise InvalidAmount(
            f"{text.strip()!r} is not an amount in {loc.english_name} format{suggestion}"
        ) from None
    return Money.of(-value if negative else value, currency)


def format_money(money: Money, locale: str | Locale | None = None, *, symbol: bool = True) -> str:
    """Format for people, with the locale's separators and the currency's decimals."""
    loc = _locale(locale)
    if symbol:
        return str(format_currency(money.amount, money.currency, locale=loc))
    # the locale's own currency pattern (lakh grouping in en_IN…) without the symbol;
    # format_currency then applies the currency's ISO decimals
    pattern = loc.currency_formats["standard"].pattern.split(";")[0]
    pattern = pattern.replace("\u00a4", "").strip(" \u00a0\u200e\u200f")
    return str(format_currency(money.amount, money.currency, format=pattern, locale=loc))
