"""Dates in a bank's notation: ``DD.MM.YYYY``, ``MM/DD/YY``, ``YYYY-MM-DD``, ``YYYYMMDD``...

One format holds for a whole column: :func:`detect_date_format` tries day-first and month-first
over every value and keeps the one more values are valid in (a tie, as when no day is over 12,
follows the caller's hint); :func:`parse_date` then reads each value with it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from typing import NamedTuple

_GENERIC = re.compile(r"^(\d{1,4})([./ _-])(\d{1,2})\2(\d{1,4})\.?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_TIME = re.compile(r"[ T]\d{1,2}:\d{2}.*$")
_DATE_LIKE = re.compile(
    r"^\d{1,4}[./-]\d{1,4}[./-]\d{0,4}\.?$|^\d{8}$|^\d\d? \d\d \d+$|^\d\d_\d+_\d+$"
)
# A month written as a word: '05 Jan 2024', '5-Jan-24', 'Jan 5, 2024', '3. März 2024'. They are
# rewritten as '05 01 2024' (day first: separator ' ') or '01_05_2024' (month first: '_').
_DAY_NAMED = re.compile(r"^(\d{1,2})\.?[ -]*([^\W\d_]{3,9})\.?[ ,-]*(\d{2,4})$")
_NAMED_DAY = re.compile(r"^([^\W\d_]{3,9})\.?[ -]*(\d{1,2})(?:st|nd|rd|th)?,?[ -]*(\d{2,4})$")
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            "jan january januar janv janvier januari",
            "feb february februar fev fevr févr février februari",
            "mar march mär mrz märz mars mrt maart",
            "apr april avr avril",
            "may mai mei",
            "jun june juni juin",
            "jul july juli juil juillet",
            "aug august aout août augustus",
            "sep sept september septembre",
            "oct october okt oktober octobre",
            "nov november novembre",
            "dec december dez dezember déc décembre",
        ],
        start=1,
    )
    for name in names.split()
}


class DateError(ValueError):
    """The text is no valid date in the column's format."""


class DateFormat(NamedTuple):
    """Which part is the day, month and year, the separator and the year's digits."""

    order: str
    """"DMY", "MDY" or "YMD"."""
    sep: str
    """".", "/", "-" or "" (YYYYMMDD)."""
    year_digits: int

    @property
    def name(self) -> str:
        """The format as people write it, e.g. ``DD.MM.YYYY`` or ``MON DD YYYY``."""
        named = self.sep in (" ", "_")
        part = {"D": "DD", "M": "MON" if named else "MM", "Y": "Y" * self.year_digits}
        return (" " if named else self.sep).join(part[letter] for letter in self.order)

    @classmethod
    def from_name(cls, name: str) -> DateFormat:
        """The format written as :attr:`name` gives it."""
        sep = next((c for c in name if c in "./- "), "")
        parts = name.split(sep) if sep else [name[:4], name[4:6], name[6:]]
        if sorted(p[:1] for p in parts) != ["D", "M", "Y"] or len(parts) != 3:
            raise ValueError(f"{name!r} is not a date format like DD.MM.YYYY")
        order = "".join(p[0] for p in parts)
        if sep == " ":
            if "MON" not in parts or order not in ("DMY", "MDY"):
                raise ValueError(f"{name!r} is not a date format like DD MON YYYY")
            sep = " " if order == "DMY" else "_"
        year = next(p for p in parts if p[0] == "Y")
        return cls(order, sep, len(year))


@lru_cache(maxsize=8192)
def clean(text: str) -> str:
    """The date part of a cell: no time of day, no spaces around, a month name as its number."""
    cell = _TIME.sub("", text.strip()).strip()
    if cell[:1].isdigit() and (match := _DAY_NAMED.match(cell)):
        month = _MONTHS.get(match.group(2).lower())
        if month:
            return f"{int(match.group(1)):02d} {month:02d} {match.group(3)}"
    elif cell[:1].isalpha() and (match := _NAMED_DAY.match(cell)):
        month = _MONTHS.get(match.group(1).lower())
        if month:
            return f"{month:02d}_{int(match.group(2)):02d}_{match.group(3)}"
    return cell


def full_date(text: str) -> bool:
    """A whole date (day, month and year) in some notation, valid or not."""
    cell = clean(text)
    return bool(_GENERIC.match(cell) or _COMPACT.match(cell))


@lru_cache(maxsize=8192)
def looks_like_date(text: str) -> bool:
    """Digits and date separators only: a date, or a broken one (``31.02.``, ``2024-13-01``)."""
    return bool(_DATE_LIKE.match(clean(text)))


def _full_year(year: int, digits: int) -> int:
    if digits > 2:
        return year
    return 2000 + year if year < 70 else 1900 + year


@lru_cache(maxsize=8192)
def parse_date(text: str, fmt: DateFormat) -> date:
    """The date ``text`` gives in ``fmt`` (cached: a statement's dates repeat)."""
    cell = clean(text)
    if fmt.sep:
        match = _GENERIC.match(cell)
        if not match or match.group(2) != fmt.sep:
            raise DateError(f"{text.strip()!r} is not a date {fmt.name}")
        parts = dict(zip(fmt.order, (match.group(1), match.group(3), match.group(4)), strict=True))
    else:
        match = _COMPACT.match(cell)
        if not match:
            raise DateError(f"{text.strip()!r} is not a date {fmt.name}")
        parts = dict(zip("YMD", match.groups(), strict=True))
    if (len(parts["Y"]) > 2) != (fmt.year_digits > 2) or len(parts["D"]) > 2:
        raise DateError(f"{text.strip()!r} is not a date {fmt.name}")
    try:
        return date(_full_year(int(parts["Y"]), len(parts["Y"])), int(parts["M"]), int(parts["D"]))
    except ValueError:
        raise DateError(f"{text.strip()!r} is no valid date ({fmt.name})") from None


def detect_date_format(
    values: Iterable[str], prefer_day_first: bool = False
) -> tuple[DateFormat | None, bool]:
    """The format most values are valid in, and whether day- and month-first tied."""
    valid: Counter[DateFormat] = Counter()
    for value, times in Counter(clean(value) for value in values).items():
        cell = value
        if _COMPACT.match(cell):
            valid[DateFormat("YMD", "", 4)] += times
            continue
        match = _GENERIC.match(cell)
        if not match:
            continue
        first, sep, _, third = match.groups()
        digits = 4 if len(third) > 2 else 2
        if sep in (" ", "_"):  # the month was a name: the order is known
            candidates = [DateFormat("DMY" if sep == " " else "MDY", sep, digits)]
        elif len(first) == 4:
            candidates = [DateFormat("YMD", sep, 4)]
        elif sep == ".":  # nobody writes month-first with dots
            candidates = [DateFormat("DMY", sep, digits)]
        else:
            candidates = [DateFormat("DMY", sep, digits), DateFormat("MDY", sep, digits)]
        for fmt in candidates:
            try:
                parse_date(cell, fmt)
            except DateError:
                continue
            valid[fmt] += times
    if not valid:
        return None, False
    best = max(valid.values())
    tied = [fmt for fmt, count in valid.items() if count == best]
    if len(tied) == 1:
        return tied[0], False
    tied.sort(key=lambda f: (f.order != ("DMY" if prefer_day_first else "MDY"), f.order))
    return tied[0], True
