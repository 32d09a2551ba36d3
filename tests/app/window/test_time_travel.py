"""TimeTravel: the cursor follows the head at the present and stays put in the past."""

from __future__ import annotations

import datetime as dt
from typing import Any

from app.window.time_travel import TimeTravel
from domain.store.base import StoredEvent


def stored(position: int) -> StoredEvent:
    return StoredEvent(position, "s", position, "T", 1, {}, {}, dt.datetime.now(dt.UTC), b"")


def test_starts_at_the_present_on_the_head() -> None:
    travel = TimeTravel(5)
    assert (travel.cursor, travel.head, travel.in_present, travel.as_of) == (5, 5, True, None)


def test_moving_back_enters_the_past_and_moving_to_the_head_returns(qtbot: Any) -> None:
    travel = TimeTravel(5)
    with qtbot.waitSignals([travel.present_changed, travel.as_of_changed, travel.cursor_changed]):
        travel.move_to(2)
    assert (travel.cursor, travel.in_present, travel.as_of) == (2, False, 2)
    travel.step(3)
    assert (travel.cursor, travel.in_present, travel.as_of) == (5, True, None)


def test_moves_are_clamped_to_the_first_and_last_event() -> None:
    travel = TimeTravel(5)
    travel.move_to(-3)
    assert travel.cursor == 1
    travel.move_to(99)
    assert travel.cursor == 5 and travel.in_present


def test_new_events_move_the_cursor_only_at_the_present(qtbot: Any) -> None:
    travel = TimeTravel(5)
    travel.on_events_appended([stored(6)])
    assert (travel.cursor, travel.head) == (6, 6)
    travel.move_to(3)
    with qtbot.assertNotEmitted(travel.cursor_changed):
        travel.on_events_appended([stored(7), stored(8)])
    assert (travel.cursor, travel.head, travel.in_present) == (3, 8, False)


def test_an_empty_book_has_nowhere_to_go() -> None:
    travel = TimeTravel(0)
    travel.step(-1)
    assert (travel.cursor, travel.in_present) == (0, True)
