"""Locale-aware text for money, dates and times, shared by the models and dialogs.

The Qt default locale (the system's unless a test sets another) decides; Babel does the money.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal
from functools import cache, lru_cache

from babel import Locale, UnknownLocaleError
from babel.numbers import format_decimal
from PySide6.QtCore import QDate, QDateTime, QLocale, Qt, QTime

from app import preferences
from domain.model.errors import DomainError
from domain.model.money import DEFAULT_LOCALE, Money, format_money


def babel_locale_name() -> str:
    """The Babel name (``de_DE``) of Qt's default locale; ``en_US`` for the C locale."""
    name = QLocale().name()
    return DEFAULT_LOCALE if name in ("", "C", "POSIX") else name


@cache
def _babel_locale(name: str) -> Locale:
    try:
        return Locale.parse(name)
    except (ValueError, UnknownLocaleError):
        return Locale.parse(DEFAULT_LOCALE)


def babel_locale() -> Locale:
    """The Babel locale matching Qt's default locale (parsed once per name)."""
    return _babel_locale(babel_locale_name())


def money_text(minor: int, currency: str, *, symbol: bool = True) -> str:
    """The app's one money format: the current locale's (``-€1,234.50`` in en_US,
    ``-1.234,50 €`` in de_DE), exact, the currency's decimals and symbol placement.

    Every amount on screen goes through here (or :func:`amount_text`), so one amount never
    shows two ways (``€170.50`` beside ``-329.50 EUR``)."""
    return _money_text(minor, currency, symbol, babel_locale_name())


@lru_cache(maxsize=8192)
def _money_text(minor: int, currency: str, symbol: bool, locale_name: str) -> str:
    # Babel takes ~50 µs an amount and the views ask again on every repaint (a timeline move
    # repaints every visible balance): remembered per locale, so a locale change still shows
    return format_money(Money(minor, currency), _babel_locale(locale_name), symbol=symbol)


def amount_text(amount: Decimal, currency: str | None) -> str:
    """A decimal amount (a statement's) as :func:`money_text` shows it; without a currency
    known, the locale's plain number with the digits given (exact: no float on the way)."""
    if currency:
        try:
            return money_text(Money.of(amount, currency).minor, currency)
        except DomainError:  # more decimals than the currency has: say it as it was read
            pass
    exponent = amount.as_tuple().exponent
    digits = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    pattern = "#,##0" + ("." + "0" * digits if digits else "")  # the digits read, all kept
    return str(format_decimal(amount, format=pattern, locale=babel_locale()))


# how the domain's messages say an amount: ``describe`` gives "-8523.98 EUR"
_MESSAGE_AMOUNT = re.compile(r"(?<![\w.,])(-?\d+(?:\.\d+)?) ([A-Z]{3})\b")


def localised_amounts(message: str) -> str:
    """A refusal from the books with its amounts (``-8523.98 EUR``) as the screen shows
    money (``-€8,523.98``); an amount that is not one for its currency stays as written."""

    def local(match: re.Match[str]) -> str:
        try:
            money = Money.of(Decimal(match[1]), match[2])
        except (DomainError, ArithmeticError):
            return match[0]
        return money_text(money.minor, money.currency)

    return _MESSAGE_AMOUNT.sub(local, message)


def warm_up() -> None:
    """Load the current locale's money formats (the first amount formatted loads them)."""
    money_text(0, "EUR")


def to_qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(day: QDate) -> dt.date:
    return dt.date(day.year(), day.month(), day.day())


def _is_c_locale() -> bool:
    return QLocale().name() in ("", "C", "POSIX")


def date_format() -> str:
    """The locale's short date format with a four-digit year (ISO for the C locale, or when
    the preferences ask for ISO dates)."""
    if preferences.current().iso_dates:
        return "yyyy-MM-dd"
    return locale_date_format()


def locale_date_format() -> str:
    """The locale's short date format with a four-digit year (ISO for the C locale)."""
    if _is_c_locale():
        return "yyyy-MM-dd"
    fmt = QLocale().dateFormat(QLocale.FormatType.ShortFormat)
    return fmt if "yyyy" in fmt else fmt.replace("yy", "yyyy")


def first_day_of_week() -> Qt.DayOfWeek:
    """The first day of a calendar's week: the preferences', else the locale's."""
    day = preferences.current().first_day_of_week
    return Qt.DayOfWeek(day) if day else QLocale().firstDayOfWeek()


def date_text(day: dt.date) -> str:
    """A booking date in the locale's short format."""
    return QLocale().toString(to_qdate(day), date_format())


def local_time_text(moment: dt.datetime) -> str:
    """A UTC moment shown in the local time zone, short locale format with seconds."""
    local = moment.astimezone()
    qt_moment = QDateTime(to_qdate(local.date()), QTime(local.hour, local.minute, local.second))
    if _is_c_locale() or preferences.current().iso_dates:
        fmt = "yyyy-MM-dd HH:mm:ss"
    else:
        fmt = QLocale().timeFormat(QLocale.FormatType.ShortFormat)
        fmt = f"{date_format()} {fmt if ':ss' in fmt else fmt.replace(':mm', ':mm:ss')}"
    return QLocale().toString(qt_moment, fmt)


def remaining_text(totals: Mapping[str, int]) -> tuple[str, bool]:
    """What a split's lines leave to balance, per currency (minor units, debits positive),
    and whether they balance: ``Remaining to balance: €0.00 ✓`` or ``… -€12.50``."""
    off = {currency: minor for currency, minor in totals.items() if minor}
    if not totals:
        return "Remaining to balance: —", False
    if not off:
        zero = " · ".join(money_text(0, c) for c in sorted(totals))
        return f"Remaining to balance: {zero} ✓", True
    shown = " · ".join(money_text(-m, c) for c, m in sorted(off.items()))
    return f"Remaining to balance: {shown}", False
