"""The timeline's play speeds, in events or in booking days a second, and the hook that
lets it step to the next event of a filter."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

NextMatch = Callable[[int, int], int | None]
"""(position, direction +1 or -1) -> the next position to show that way, None if none."""


def every_event(position: int, direction: int) -> int | None:
    """The default: every event is the next one."""
    return position + direction


_FASTEST_TICK_MS = 100  # quicker ticks only repaint more: faster speeds take bigger steps


@dataclass(frozen=True, slots=True)
class Speed:
    label: str
    per_second: float  # events, or days
    by_days: bool = False

    @property
    def interval_ms(self) -> int:
        return max(round(1000 / self.per_second), _FASTEST_TICK_MS)


SPEEDS = (
    Speed("2.5 events/s", 2.5),
    Speed("10 events/s", 10),
    Speed("40 events/s", 40),
    Speed("250 events/s", 250),
    Speed("2,500 events/s", 2500),
    Speed("1 day/s", 1, by_days=True),
    Speed("1 week/s", 7, by_days=True),
    Speed("1 month/s", 30, by_days=True),
    Speed("1 year/s", 365, by_days=True),
)


class PlayClock:
    """How many events (or days) each tick of a speed moves: whole steps, the fractions
    carried to the next tick so the speed holds on average."""

    def __init__(self, speed: Speed) -> None:
        self.speed = speed
        self._owed = 0.0  # a fraction of a step, never money

    def tick(self) -> int:
        self._owed += self.speed.per_second * self.speed.interval_ms / 1000
        steps = int(self._owed)
        self._owed -= steps
        return steps
