"""The full record of one event, as text for the history dock's detail pane."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Protocol

from app.formatting import local_time_text
from domain.store.base import StoredEvent


class EventReader(Protocol):
    def read_all(
        self, after_position: int = 0, to_position: int | None = None, batch_size: int = 2000
    ) -> Iterator[StoredEvent]: ...


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
    """Reads one event by position from the book's store and formats it."""

    def __init__(self, reader: EventReader) -> None:
        self._reader = reader

    def __call__(self, position: int) -> str:
        for event in self._reader.read_all(position - 1, position, 1):
            if event.position == position:
                return format_event(event)
        return f"Event #{position} is not in the book."
