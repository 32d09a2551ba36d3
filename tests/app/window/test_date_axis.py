"""The timeline's booking-date axis in the real main window: the date field and steps cut
the books at the end of a date, as recorded up to the cursor, and the banner says both."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from app_helpers import DAY, balance, household
from PySide6.QtCore import QDate

from app.desktop.book_session import BookSession
from app.window.date_axis import DateUnit, shift
from app.window.main_window import MainWindow
from app.window.play_speeds import SPEEDS, PlayClock
from domain.model.commands import Command, Deposit, OpenAccount, Withdraw

Window = Callable[[Path], MainWindow]


def dated_household() -> list[Command]:
    commands = household()  # Checking 100.00, +1,000.00 and -45.50 on DAY (1 Mar 2024)
    checking, salary, groceries = (c for c in commands[:3] if isinstance(c, OpenAccount))
    return [
        *commands,
        Deposit(account_id=checking.account_id, income_account_id=salary.account_id,
                amount=Decimal("200.00"), booking_date=dt.date(2024, 4, 10)),
        Withdraw(account_id=checking.account_id, expense_account_id=groceries.account_id,
                 amount=Decimal("30.00"), booking_date=dt.date(2024, 5, 10)),
    ]  # fmt: skip


@pytest.fixture
def window(make_book: Callable[[list[Command]], Path], open_window: Window) -> MainWindow:
    return open_window(make_book(dated_household()))


def session_of(window: MainWindow) -> BookSession:
    session = window.findChild(BookSession)
    assert session is not None
    return session


def type_date(window: MainWindow, day: dt.date) -> None:
    field = window.timeline.dates.date_edit
    field.setDate(QDate(day.year, day.month, day.day))
    field.editingFinished.emit()


def test_the_date_field_cuts_the_books_at_the_end_of_that_date(
    window: MainWindow, qtbot: Any
) -> None:
    travel = session_of(window).travel
    assert balance(window, "Checking") == "€1,224.50"
    type_date(window, dt.date(2024, 4, 30))
    assert travel.day == dt.date(2024, 4, 30) and not travel.in_present
    assert balance(window, "Checking") == "€1,254.50"  # May's withdrawal not yet
    text = window.banner.label.text()
    assert window.banner.isVisibleTo(window)
    assert text.startswith(f"Books as of 30 Apr 2024, as recorded up to event #{travel.head} on ")
    assert not window.actions_.deposit.isEnabled()  # the past is read-only
    type_date(window, DAY - dt.timedelta(days=1))  # before any account was opened
    with pytest.raises(KeyError):
        balance(window, "Checking")
    window.timeline.dates.all_dates.trigger()
    assert travel.in_present and balance(window, "Checking") == "€1,224.50"
    assert not window.banner.isVisibleTo(window)


def test_date_steps_move_by_month_day_and_year(window: MainWindow, qtbot: Any) -> None:
    travel, dates = session_of(window).travel, window.timeline.dates
    type_date(window, dt.date(2024, 4, 30))
    dates.earlier.trigger()  # a month back: the end of March
    assert travel.day == dt.date(2024, 3, 31)
    assert balance(window, "Checking") == "€1,054.50"
    assert dates.date_edit.date() == QDate(2024, 3, 31)
    dates.later.trigger()
    dates.later.trigger()
    assert travel.day == dt.date(2024, 5, 31) and balance(window, "Checking") == "€1,224.50"
    dates.unit.setCurrentIndex(dates.unit.findData(DateUnit.DAY))
    dates.earlier.trigger()
    assert travel.day == dt.date(2024, 5, 30)
    dates.unit.setCurrentIndex(dates.unit.findData(DateUnit.YEAR))
    dates.earlier.trigger()
    assert travel.day == dt.date(2023, 5, 30)
    with pytest.raises(KeyError):
        balance(window, "Checking")


def test_the_date_counts_only_what_is_recorded_up_to_the_cursor(
    window: MainWindow, qtbot: Any
) -> None:
    travel = session_of(window).travel
    type_date(window, dt.date(2024, 5, 31))
    travel.move_to(travel.head - 1)  # the May withdrawal is not recorded yet
    assert travel.day == dt.date(2024, 5, 31)
    assert balance(window, "Checking") == "€1,254.50"
    assert f"as recorded up to event #{travel.head - 1} on " in window.banner.label.text()
    window.timeline.actions_.present.trigger()
    assert travel.day is None and travel.in_present


def test_steps_follow_the_next_match_hook(window: MainWindow, qtbot: Any) -> None:
    travel = session_of(window).travel
    travel.move_to(1)
    window.timeline.set_next_match(lambda p, d: p + 3 * d)  # say, a filter keeps every third
    window.timeline.actions_.forward.trigger()
    assert travel.cursor == 4
    window.timeline.set_next_match(lambda p, d: None)  # nothing matches after the cursor
    window.timeline.actions_.forward.trigger()
    assert travel.cursor == 4
    window.timeline.set_next_match(None)
    window.timeline.actions_.forward.trigger()
    assert travel.cursor == 5


def test_play_by_days_steps_the_date_until_its_end(window: MainWindow, qtbot: Any) -> None:
    travel, timeline = session_of(window).travel, window.timeline
    timeline.speed.setCurrentIndex(next(i for i, s in enumerate(SPEEDS) if s.label == "1 year/s"))
    timeline.dates.day_of = lambda _p: dt.date(2024, 3, 1)  # the end: today, or this if later
    seen: list[dt.date | None] = []
    travel.day_changed.connect(seen.append)
    timeline.play()
    qtbot.waitUntil(lambda: len(seen) >= 3, timeout=5000)
    timeline.pause()
    assert seen[0] == dt.date(2024, 3, 1)  # from the first event's date
    days = [b - a for a, b in itertools.pairwise(seen) if a and b]
    assert all(dt.timedelta(days=36) <= d <= dt.timedelta(days=37) for d in days), days


def test_shift_keeps_a_month_end_an_end() -> None:
    assert shift(dt.date(2024, 1, 31), DateUnit.MONTH, 1) == dt.date(2024, 2, 29)
    assert shift(dt.date(2024, 2, 29), DateUnit.YEAR, 1) == dt.date(2025, 2, 28)
    assert shift(dt.date(2024, 3, 15), DateUnit.MONTH, -14) == dt.date(2023, 1, 15)
    assert shift(dt.date(2024, 3, 1), DateUnit.DAY, -1) == dt.date(2024, 2, 29)


def test_a_play_clock_keeps_its_speed_on_average() -> None:
    for speed in SPEEDS:
        clock = PlayClock(speed)
        ticks = round(10_000 / speed.interval_ms)  # ten seconds of ticks
        assert abs(sum(clock.tick() for _ in range(ticks)) - 10 * speed.per_second) <= 1
