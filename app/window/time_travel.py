"""The timeline's cursor: which event the views show the books as of."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject, Signal

from domain.store.base import StoredEvent


class TimeTravel(QObject):
    """Holds the cursor (an event position) and the head (the last position in the book).

    At the present the cursor follows the head as events are appended; in the past it stays
    where the user put it while the head grows. ``as_of_changed`` carries what the read-model
    queries take: ``None`` for the present, else the cursor's position.
    """

    cursor_changed = Signal(int)
    head_changed = Signal(int)
    present_changed = Signal(bool)
    as_of_changed = Signal(object)

    def __init__(self, head: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._head = head
        self._cursor = head
        self._present = True

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

    def move_to(self, position: int) -> None:
        """Show the books as of ``position`` (clamped); the head itself is the present."""
        position = max(min(position, self._head), min(1, self._head))
        present = position >= self._head
        if position == self._cursor and present == self._present:
            return
        was_present = self._present
        self._cursor = position
        self._present = present
        self.as_of_changed.emit(self.as_of)
        if was_present != present:
            self.present_changed.emit(present)
        self.cursor_changed.emit(position)

    def step(self, delta: int) -> None:
        self.move_to(self._cursor + delta)

    def to_start(self) -> None:
        self.move_to(1)

    def return_to_present(self) -> None:
        self.move_to(self._head)

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
