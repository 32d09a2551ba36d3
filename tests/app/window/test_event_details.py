"""The history dock's detail pane text: one event read through the book's event log."""

from __future__ import annotations

from pathlib import Path

from app_helpers import household

from app.composition import Book
from app.window.event_details import EventDetails


def test_details_show_the_whole_record_of_one_event(tmp_path: Path) -> None:
    with Book.create(tmp_path / "b.tallybook") as book:
        for command in household():
            book.service.execute(command)
        text = EventDetails(book.events)(2)
        event = book.events.event(2)
        assert event is not None
        assert text.startswith(f"Event #2 · {event.type}")
        assert event.hash.hex() in text
        assert EventDetails(book.events)(10) == "Event #10 is not in the book."
