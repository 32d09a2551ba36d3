"""One event as a person reads it: what changed, on which accounts (by the names they had
then), for how much, when, by whom, and the events it is linked to.

Every lookup is a key seek: the event by position, its change's ends in the commands table,
``rm_voids`` both ways, an account's reconciliation stream; never a walk of the log.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import Connection, select

from domain.model import reconciliation
from domain.model.events import (
    AccountReconciled,
    CommandRedone,
    CommandUndone,
    EntryPosted,
    EntryVoided,
    Event,
    Posting,
    from_data,
)
from domain.projections import queries
from domain.projections.history import describe_events
from domain.projections.tables import rm_voids
from domain.store.base import StoredEvent
from domain.store.schema import events

SMALL_CHANGE = 16
"""A change with at most this many events is read whole for its other entry (a correction
is a void and a posting, perhaps with a reconciliation reopened); an import's is not."""


@dataclass(frozen=True, slots=True)
class Link:
    """Another event this one is related to: ``label`` says how ("Voided by")."""

    label: str
    position: int
    summary: str = ""


@dataclass(frozen=True, slots=True)
class Line:
    """One posting: the account by its name at the event, the signed (debit-positive)
    amount in minor units."""

    account: str
    amount: int
    currency: str


@dataclass(frozen=True, slots=True)
class EventFacts:
    """What the details pane shows of one event (amounts still minor units: the front end
    formats them in its locale)."""

    stored: StoredEvent
    summary: str
    booking_date: dt.date | None
    author: str
    app_version: str
    command_id: str
    fields: tuple[tuple[str, str], ...]  # (label, text): payee, memo, reason, ...
    lines: tuple[Line, ...]
    links: tuple[Link, ...]


class EventSource(Protocol):
    def event(self, position: int) -> StoredEvent | None: ...

    def command_positions(self, command_id: str) -> tuple[int, int] | None: ...


class Querying(Protocol):
    def querying(
        self, as_of: int | None = None
    ) -> AbstractContextManager[tuple[Connection, int]]: ...


def event_facts(
    store: EventSource, read_models: Querying, position: int, locale: str | None = None
) -> EventFacts | None:
    """The facts of the event at ``position`` (None if there is none)."""
    stored = store.event(position)
    if stored is None:
        return None
    event = from_data(stored.type, stored.schema_version, stored.data)
    metadata = stored.metadata
    with read_models.querying() as (conn, checkpoint):
        row = describe_events(conn, [stored], locale)[0] if position <= checkpoint else None
        postings: tuple[Posting, ...] = ()
        if isinstance(event, EntryPosted):
            postings = event.postings
        elif isinstance(event, EntryVoided):  # what the void moves: each posting reversed
            postings = reversed_lines(event.postings)
        ids = {p.account_id for p in postings}
        names = queries.names_by_id(conn, ids, position) if ids else {}
        found = list(_links(conn, store, stored, event))
        summaries = _summaries(conn, store, [link.position for link in found], locale)
    lines = tuple(Line(names.get(p.account_id, p.account_id), p.amount, p.currency)
                  for p in postings)  # fmt: skip
    return EventFacts(
        stored=stored,
        summary=row.summary if row is not None else stored.type,
        booking_date=row.booking_date if row is not None else None,
        author=str(metadata.get("author", "")),
        app_version=str(metadata.get("app_version", "")),
        command_id=str(metadata.get("command_id", "")),
        fields=_fields(event),
        lines=lines,
        links=tuple(Link(k.label, k.position, summaries.get(k.position, "")) for k in found),
    )


def _fields(event: Event) -> tuple[tuple[str, str], ...]:
    if isinstance(event, EntryPosted):
        return (("Entry", event.entry_id), ("Kind", event.kind.value.capitalize()),
                ("Payee", event.payee), ("Memo", event.memo))  # fmt: skip
    if isinstance(event, EntryVoided):
        return (("Entry", event.entry_id), ("Voided on", event.voided_on.isoformat()),
                ("Reason", event.reason))  # fmt: skip
    return ()


def _summaries(
    conn: Connection, store: EventSource, positions: list[int], locale: str | None
) -> dict[int, str]:
    linked = [e for e in (store.event(p) for p in sorted(set(positions))) if e is not None]
    return {r.position: r.summary for r in describe_events(conn, linked, locale)} if linked else {}


def _links(
    conn: Connection, store: EventSource, stored: StoredEvent, event: Event
) -> Iterator[Link]:
    position = stored.position
    if isinstance(event, EntryVoided):
        entry = conn.execute(
            select(rm_voids.c.entry_position).where(rm_voids.c.position == position)
        ).scalar()
        if entry is not None:
            yield Link("Voids", entry)
        yield from _same_change(store, stored, EntryPosted, "Replaced by")
    elif isinstance(event, EntryPosted):
        void = conn.execute(
            select(rm_voids.c.position).where(rm_voids.c.entry_position == position)
        ).scalar()
        if void is not None:
            yield Link("Voided by", void)
            voided = store.event(void)
            if voided is not None:
                yield from _same_change(store, voided, EntryPosted, "Replaced by")
        for link in _same_change(store, stored, EntryVoided, "Corrects"):
            original = conn.execute(
                select(rm_voids.c.entry_position).where(rm_voids.c.position == link.position)
            ).scalar()
            yield Link("Corrects", original if original is not None else link.position)
        yield from _import_of(conn, store, stored)
        yield from _cleared_by(conn, event, position)
    elif isinstance(event, CommandUndone | CommandRedone):
        label = "Undoes" if isinstance(event, CommandUndone) else "Redoes (undoes the undo)"
        yield Link(label, event.first_position)


def _same_change(
    store: EventSource, stored: StoredEvent, kind: type[Event], label: str
) -> Iterator[Link]:
    """The events of ``kind`` in the same (small) change as ``stored``."""
    ends = store.command_positions(str(stored.metadata.get("command_id", "")))
    if ends is None or ends[1] - ends[0] >= SMALL_CHANGE:
        return
    for p in range(ends[0], ends[1] + 1):
        other = store.event(p) if p != stored.position else None
        if other is not None and other.type == kind.type_name():
            yield Link(label, p)


def _import_of(conn: Connection, store: EventSource, stored: StoredEvent) -> Iterator[Link]:
    """The import that posted this entry: the first event of its change (its header)."""
    ends = store.command_positions(str(stored.metadata.get("command_id", "")))
    if ends is None or ends[0] == stored.position:
        return
    kind = conn.execute(select(events.c.type).where(events.c.position == ends[0])).scalar()
    if kind == "StatementImported":
        yield Link("Imported by", ends[0])
    elif kind == "ImportRestored":
        yield Link("Posted again by", ends[0])


def _cleared_by(conn: Connection, event: EntryPosted, position: int) -> Iterator[Link]:
    """The reconciliations that cleared the entry: read from its accounts' reconciliation
    streams (one per account, a statement a month), after the entry's position."""
    name = AccountReconciled.type_name()
    for account_id in dict.fromkeys(p.account_id for p in event.postings):
        rows = conn.execute(
            select(events.c.position, events.c.schema_version, events.c.data)
            .where(events.c.stream_id == reconciliation.stream_id(account_id),
                   events.c.type == name, events.c.position > position)
            .order_by(events.c.position)
        )  # fmt: skip
        for found, version, text in rows:
            done = from_data(name, version, json.loads(text))
            assert isinstance(done, AccountReconciled)
            if any(e.entry_id == event.entry_id for e in done.entries):
                yield Link("Cleared by", found)


def reversed_lines(postings: tuple[Posting, ...]) -> tuple[Posting, ...]:
    """A void's postings as it moves them: each original one reversed."""
    return tuple(Posting(p.account_id, p.currency, -p.amount) for p in postings)
