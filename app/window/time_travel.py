"""The timeline's cursor: which event the views show the books as of, and on which booking
date (the second axis)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import QObject, Signal

from domain.store.base import StoredEvent


class TimeTravel(QObject):
    """Holds the cursor (an event position) and the head (the last position in the book).

    At the present the cursor follows the head as events are appended; in the past it stays
    where the user put it while the head grows. ``as_of_changed`` carries what the read-model
    queries take: ``None`` for the present, else the cursor's position. A booking date
    (:attr:`day`) cuts the books at the end of that date, counting what is recorded up to
    the cursor; with one set the books are in the past even at the head. Slots on
    ``as_of_changed`` find :attr:`day` already set (``day_changed`` follows).
    """

    cursor_changed = Signal(int)
    head_changed = Signal(int)
    present_changed = Signal(bool)
    as_of_changed = Signal(object)
    day_changed = Signal(object)  # dt.date | None

    def __init__(self, head: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._head = head
        self._cursor = head
        self._present = True
        self._day: dt.date | None = None

    @property
    def head(self) -> int:
        return self._head

    @property
    def cursor(self) -> int:
        return self._cursor

    @property
    def in_present(self) -> bool:
        return self._present

    @property
    def as_of(self) -> int | None:
        return None if self._present else self._cursor

    @property
    def day(self) -> dt.date | None:
        """The booking date the books are cut at (None: every date)."""
        return self._day

    def move_to(self, position: int) -> None:
        """Show the books as of ``position`` (clamped); the head itself is the present."""
        self._move(position, self._day)

    def set_day(self, day: dt.date | None) -> None:
        """Show the books as of the end of ``day`` (None: every date), at the same cursor."""
        self._move(self._cursor, day)

    def _move(self, position: int, day: dt.date | None) -> None:
        position = max(min(position, self._head), min(1, self._head))
        present = position >= self._head and day is None
        if position == self._cursor and present == self._present and day == self._day:
            return
        was_present, old_cursor, old_day = self._present, self._cursor, self._day
        self._cursor, self._present, self._day = position, present, day
        self.as_of_changed.emit(self.as_of)
        if was_present != present:
            self.present_changed.emit(present)
        if day != old_day:
            self.day_changed.emit(day)
        if position != old_cursor or day != old_day:
            self.cursor_changed.emit(position)

    def step(self, delta: int) -> None:
        self.move_to(self._cursor + delta)

    def to_start(self) -> None:
        self.move_to(1)

    def return_to_present(self) -> None:
        self._move(self._head, None)

    def on_events_appended(self, events: Sequence[StoredEvent]) -> None:
        """New events grow the head; the cursor follows only at the present."""
        if events:
            self.set_head(max(event.position for event in events))

    def set_head(self, head: int) -> None:
        if head <= self._head:
            return
        self._head = head
        self.head_changed.emit(head)
        if self._present:
            self._cursor = head
            self.cursor_changed.emit(head)
