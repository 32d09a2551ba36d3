"""Amounts read straight from text into exact ``Decimal`` values, never through ``float``.

A bank writes ``1.234,56``, ``1,234.56``, ``1 234,56``, ``1'234.56``, ``$1,133.94``,
``(12.30)``, ``12,30-`` or ``+31070,11``; :func:`parse_amount` reads each with a known decimal
mark and thousands separator, :func:`detect_separators` picks those from a column's values.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from decimal import Decimal
from functools import lru_cache

SPACES = " \u00a0\u202f"
_CURRENCY = re.compile(r"^[A-Z]{3}\s*|\s*[A-Z]{3}$|[$€£¥]")
_CREDIT_DEBIT = re.compile(r"(?<=[\d\s)])(CR|DR|Cr|Dr)$")
_CORE = re.compile(r"^[0-9.,' \u00a0\u202f]*[0-9][0-9.,' \u00a0\u202f]*$")


class AmountError(ValueError):
    """The text is no amount in the expected notation (the message quotes it)."""


@lru_cache(maxsize=64)
def _plain(decimal: str, thousands: str) -> re.Pattern[str]:
    """The common case (sign, digits grouped by ``thousands``, decimals) as one regex."""
    grouped = rf"|\d{{1,3}}(?:{re.escape(thousands)}\d{{3}})+" if thousands else ""
    return re.compile(rf"^\s*([+-]?)(\d+{grouped})(?:{re.escape(decimal)}(\d*))?\s*$")


def amount_reader(decimal: str, thousands: str) -> Callable[[str], Decimal]:
    """:func:`parse_amount` bound to one notation, for reading a whole column fast."""
    match = _plain(decimal, thousands).match

    def read(text: str) -> Decimal:
        plain = match(text)
        if plain is None:
            return parse_amount(text, decimal, thousands)
        sign, digits, frac = plain.groups()
        if thousands:
            digits = digits.replace(thousands, "")
        return Decimal(f"{sign}{digits}.{frac}" if frac else f"{sign}{digits}")

    return read


def parse_amount(text: str, decimal: str = ".", thousands: str = "") -> Decimal:
    """The exact value of ``text`` with ``decimal`` as decimal mark and ``thousands`` grouping."""
    plain = _plain(decimal, thousands).match(text)
    if plain is not None:  # a fast path for what most rows hold; the rest below
        sign, digits, frac = plain.groups()
        if thousands:
            digits = digits.replace(thousands, "")
        return Decimal(f"{sign}{digits}.{frac}" if frac else f"{sign}{digits}")
    core, negative = _strip_sign(text)
    if not _CORE.match(core):
        raise AmountError(f"{text.strip()!r} is not an amount")
    int_part, sep, frac = core.rpartition(decimal) if decimal in core else (core, "", "")
    if not sep:
        int_part = core
    if not frac.isdigit() and frac:
        raise AmountError(f"{text.strip()!r} is not an amount (with {decimal!r} as decimal mark)")
    digits = _integer_digits(int_part, thousands, text)
    if not digits and not frac:
        raise AmountError(f"{text.strip()!r} is not an amount")
    value = Decimal(f"{digits or '0'}.{frac}" if frac else (digits or "0"))
    return -value if negative else value


def _strip_sign(text: str) -> tuple[str, bool]:
    """The unsigned core of ``text`` and whether it was negative."""
    core = _CURRENCY.sub("", text.strip().replace("\u2212", "-")).strip()
    negative = False
    if (suffix := _CREDIT_DEBIT.search(core)) is not None:  # '12.50 DR', '12.50CR'
        negative = suffix.group(1).upper() == "DR"
        core = core[: suffix.start()].strip()
    if core.startswith("(") and core.endswith(")"):
        core, negative = core[1:-1].strip(), True
    core = _CURRENCY.sub("", core).strip()
    if core[:1] in "+-" and core:
        negative = negative != (core[0] == "-")
        core = core[1:].strip()
    elif core[-1:] in "+-" and core:
        negative = negative != (core[-1] == "-")
        core = core[:-1].strip()
    return _CURRENCY.sub("", core).strip(), negative


def _integer_digits(int_part: str, thousands: str, text: str) -> str:
    """The integer part's digits, checking that any grouping is in threes."""
    if int_part.isdigit() or not int_part:
        return int_part
    seps = SPACES if thousands in SPACES and thousands else thousands
    if not seps:
        raise AmountError(f"{text.strip()!r} is not an amount (no thousands separator expected)")
    groups = re.split("[" + re.escape(seps) + "]", int_part)
    if not all(g.isdigit() for g in groups) or not 1 <= len(groups[0]) <= 3:
        raise AmountError(f"{text.strip()!r} is not an amount")
    if any(len(g) != 3 for g in groups[1:]):
        raise AmountError(f"{text.strip()!r} is not an amount (digit groups are not in threes)")
    return "".join(groups)


def detect_separators(values: Iterable[str], prefer_comma: bool = False) -> tuple[str, str]:
    """The (decimal mark, thousands separator) the values agree on most.

    A value with both marks, or a mark followed by other than three digits, decides; values
    like ``1,234`` are ambiguous and follow ``prefer_comma`` (a ``;``-delimited file) unless
    other values decided.
    """
    votes: Counter[str] = Counter()
    grouping: Counter[str] = Counter()
    for value in values:
        core, _ = _strip_sign(value)
        if not _CORE.match(core):
            continue
        last = max(core.rfind("."), core.rfind(","))
        if "." in core and "," in core:
            votes[core[last]] += 1
            grouping["," if core[last] == "." else "."] += 1
        elif "." in core or "," in core:
            mark = core[last]
            after = len(core) - last - 1
            if core.count(mark) > 1:
                grouping[mark] += 1
                votes["," if mark == "." else "."] += 1
            elif after != 3:
                votes[mark] += 1
            else:
                grouping[mark] += 0  # ambiguous: seen, decides nothing
        for space in SPACES + "'":
            if space in core.strip():
                grouping[space] += 1
    comma = votes[","] > votes["."] if votes else prefer_comma
    decimal = "," if comma else "."
    other = "." if decimal == "," else ","
    if other in grouping:
        thousands = other
    else:
        spaced = [s for s in SPACES + "'" if grouping[s]]
        thousands = spaced[0] if spaced else ""
    return decimal, thousands
