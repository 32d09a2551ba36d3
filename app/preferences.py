"""The user's preferences, and the ones in effect in this process (no Qt).

The desktop app loads them from its settings at start and after Edit ▸ Preferences…
(:func:`apply`); the date formatting, the date fields and the entry dialogs read
:func:`current`. The author is not read from here: the launcher gives it to each book's
service, since it is written into the books.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass


class EntryDate(enum.Enum):
    """What date a new entry's dialog starts with."""

    TODAY = "today"
    LAST_USED = "last"


@dataclass(frozen=True, slots=True)
class Preferences:
    """Empty or zero means "as the system has it" (the locale's, or the OS login name)."""

    currency: str = ""  # for new accounts and books; "" is the locale's
    iso_dates: bool = False  # 2024-03-01 instead of the locale's short format
    first_day_of_week: int = 0  # 1 Monday … 7 Sunday (ISO); 0 is the locale's
    entry_date: EntryDate = EntryDate.TODAY
    author: str = ""  # recorded in each new event's metadata; "" is the OS login name


_current = Preferences()
_last_entry_date: dt.date | None = None


def current() -> Preferences:
    return _current


def apply(preferences: Preferences) -> None:
    """Make ``preferences`` the ones in effect (for dialogs and text made from now on)."""
    global _current
    _current = preferences


def remember_entry_date(day: dt.date | None) -> None:
    """The booking date of an entry just recorded: the next entry's, if so preferred (None
    forgets it)."""
    global _last_entry_date
    _last_entry_date = day


def new_entry_date() -> dt.date | None:
    """The date a new entry's dialog starts with (None: today)."""
    if _current.entry_date is EntryDate.LAST_USED:
        return _last_entry_date
    return None
