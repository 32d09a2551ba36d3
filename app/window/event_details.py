"""One event for the history dock's detail pane: as a person reads it (HTML with links to
its related events) and as stored (the raw record)."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from typing import Protocol

from app.book_health import BookHealth, breakage_from_error
from app.formatting import babel_locale_name, date_text, local_time_text, money_text
from app.models.history import humanize_type
from domain.application.event_facts import EventFacts, EventSource, Querying, event_facts
from domain.store.base import StoredEvent

LINK_SCHEME = "event"
"""Links in the readable page are ``event:POSITION``."""


class RawSource(Protocol):
    def event(self, position: int) -> StoredEvent | None: ...


def format_event(event: StoredEvent, previous_hash: bytes | None = None) -> str:
    """Position, stream, times, hashes, then the data and metadata as indented JSON."""
    also = ", ".join(event.also_in) or "—"
    lines = [
        f"Event #{event.position} · {event.type} (schema v{event.schema_version})",
        f"Stream     {event.stream_id} · version {event.stream_version}",
        f"Also in    {also}",
        f"Recorded   {local_time_text(event.recorded_at)} (local)",
        f"           {event.recorded_at.isoformat()} (UTC)",
        f"Hash       {event.hash.hex()}",
        f"Previous   {previous_hash.hex() if previous_hash is not None else '— (the genesis)'}",
        "",
        "Data",
        json.dumps(dict(event.data), indent=2, ensure_ascii=False, sort_keys=True),
        "",
        "Metadata",
        json.dumps(dict(event.metadata), indent=2, ensure_ascii=False, sort_keys=True),
    ]
    return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class DetailsPage:
    """What the pane shows of one event: ``readable`` HTML and the ``raw`` record."""

    readable: str
    raw: str


def _row(label: str, value: str) -> str:
    return f"<tr><th align='left'>{html.escape(label)}</th><td>{html.escape(value)}</td></tr>"


def readable_html(facts: EventFacts) -> str:
    """The facts as a small HTML page (tables, so each value sits in a cell of its own)."""
    stored = facts.stored
    utc = stored.recorded_at.strftime("%Y-%m-%d %H:%M:%S UTC")
    rows = [_row("Change", humanize_type(stored.type))]
    if facts.booking_date is not None:
        rows.append(_row("Booking date", date_text(facts.booking_date)))
    rows += [
        _row("Recorded", f"{local_time_text(stored.recorded_at)} (local)"),
        _row("", utc),
        _row("Author", facts.author or "—"),
        _row("App version", facts.app_version or "—"),
    ]
    rows += [_row(label, value) for label, value in facts.fields if value]
    parts = [
        f"<h3>Event #{stored.position}</h3>",
        f"<p>{html.escape(facts.summary)}</p>",
        f"<table cellspacing='0' cellpadding='2'>{''.join(rows)}</table>",
    ]
    if facts.lines:
        head = "<tr><th align='left'>Account</th><th align='right'>Debit</th>" \
            "<th align='right'>Credit</th></tr>"  # fmt: skip
        body = "".join(
            f"<tr><td>{html.escape(line.account)}</td>"
            f"<td align='right'>{money_text(line.amount, line.currency) if line.amount > 0 else ''}"
            f"</td><td align='right'>"
            f"{money_text(-line.amount, line.currency) if line.amount < 0 else ''}</td></tr>"
            for line in facts.lines
        )
        parts.append(f"<p><table cellspacing='0' cellpadding='2'>{head}{body}</table></p>")
    for link in facts.links:
        summary = f" — {html.escape(link.summary)}" if link.summary else ""
        parts.append(
            f"<p>{html.escape(link.label)} <a href='{LINK_SCHEME}:{link.position}'>"
            f"#{link.position}</a>{summary}</p>"
        )
    return "".join(parts)


class EventDetails:
    """Reads one event by position (its facts from the read models, its record from the
    event log); an event on a damaged page says so (and marks the book broken in
    ``health``)."""

    def __init__(
        self, events: EventSource, read_models: Querying, health: BookHealth | None = None
    ) -> None:
        self._events = events
        self._read_models = read_models
        self._health = health

    def __call__(self, position: int) -> DetailsPage:
        try:
            facts = event_facts(self._events, self._read_models, position, babel_locale_name())
            previous = self._events.event(position - 1) if position > 1 else None
        except Exception as exc:
            breakage = breakage_from_error(exc)
            if breakage is None:
                raise
            if self._health is not None:
                self._health.mark_broken(breakage)
            said = f"Event #{position} cannot be read: {exc}"
            return DetailsPage(f"<p>{html.escape(said)}</p>", said)
        if facts is None:
            said = f"Event #{position} is not in the book."
            return DetailsPage(f"<p>{said}</p>", said)
        raw = format_event(facts.stored, previous.hash if previous is not None else None)
        return DetailsPage(readable_html(facts), raw)
