"""EventLog: read-only access to a book's recorded events by position.

What the app's event detail pane and its watcher for other writers need, and the CLI's history:
they hold this, never the store.
"""

from __future__ import annotations

from domain.store.base import EventStore, StoredEvent

_MAX_BATCH = 2000


class EventLog:
    """The events of one open book, read by their gap-free global positions."""

    def __init__(self, store: EventStore) -> None:
        self._store = store

    def head(self) -> int:
        """The position of the last recorded event (0 for an empty book)."""
        return self._store.head()[0]

    def event(self, position: int) -> StoredEvent | None:
        """The event at ``position``, or None if the book has no such event."""
        if position < 1:
            return None
        for event in self._store.read_all(position - 1, position, 1):
            return event
        return None

    def command_positions(self, command_id: str) -> tuple[int, int] | None:
        """(first, last) position of one change's events, from the commands table."""
        return self._store.command_positions(command_id)

    def events_after(self, position: int, limit: int) -> list[StoredEvent]:
        """At most ``limit`` events after ``position``, in order (fewer at the head)."""
        if limit < 1:
            return []
        # positions are gap-free: (position, position + limit] holds at most ``limit`` events
        batch = min(limit, _MAX_BATCH)
        return list(self._store.read_all(max(position, 0), position + limit, batch))
