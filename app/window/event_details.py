"""The full record of one event, as text for the history dock's detail pane."""

from __future__ import annotations

import json
from typing import Protocol

from app.book_health import BookHealth, breakage_from_error
from app.formatting import local_time_text
from domain.store.base import StoredEvent


class EventSource(Protocol):
    """The part of :class:`domain.application.event_log.EventLog` the detail pane reads."""

    def event(self, position: int) -> StoredEvent | None: ...


def format_event(event: StoredEvent) -> str:
    """Position, stream, times, hash, then the data and metadata as indented JSON."""
    also = ", ".join(event.also_in) or "—"
    lines = [
        f"Event #{event.position} · {event.type} (schema v{event.schema_version})",
        f"Stream     {event.stream_id} · version {event.stream_version}",
        f"Also in    {also}",
        f"Recorded   {local_time_text(event.recorded_at)} (local)",
        f"           {event.recorded_at.isoformat()} (UTC)",
        f"Hash       {event.hash.hex()}",
        "",
        "Data",
        json.dumps(dict(event.data), indent=2, ensure_ascii=False, sort_keys=True),
        "",
        "Metadata",
        json.dumps(dict(event.metadata), indent=2, ensure_ascii=False, sort_keys=True),
    ]
    return "\n".join(lines)


class EventDetails:
    """Reads one event by position from the book's event log and formats it; an event on a
    damaged page says so (and marks the book broken in ``health``)."""

    def __init__(self, events: EventSource, health: BookHealth | None = None) -> None:
        self._events = events
        self._health = health

    def __call__(self, position: int) -> str:
        try:
            event = self._events.event(position)
        except Exception as exc:
            breakage = breakage_from_error(exc)
            if breakage is None:
                raise
            if self._health is not None:
                self._health.mark_broken(breakage)
            return f"Event #{position} cannot be read: {exc}"
        if event is None:
            return f"Event #{position} is not in the book."
        return format_event(event)
