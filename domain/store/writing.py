"""New events to rows: versions, links, recorded time and the hash chain."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence

from domain.store.backend import EventRow, HeadRow, LinkRow
from domain.store.base import Metadata, NewEvent, StoredEvent
from domain.store.hashing import event_hash
from domain.store.rows import DECODE, ENCODE, EPOCH


def links_of(event: NewEvent) -> tuple[str, ...]:
    """The streams ``event`` is linked into (each once, never its own); checks the names."""
    for name in (event.stream_id, event.type, *event.also_in):
        if not name or "\x00" in name:
            raise ValueError(f"stream ids and event types must be non-empty text: {name!r}")
    return tuple(dict.fromkeys(s for s in event.also_in if s != event.stream_id))


def _also_text(also: tuple[str, ...]) -> str:
    """The stored text of an event's links: the same few pairs of accounts come again and
    again, so their JSON is kept (bounded: an entry's own streams are new each time)."""
    text = _ALSO_TEXTS.get(also)
    if text is None:
        if len(_ALSO_TEXTS) >= 1024:
            _ALSO_TEXTS.clear()
        text = _ALSO_TEXTS[also] = ENCODE(also)
    return text


_ALSO_TEXTS: dict[tuple[str, ...], str] = {}


def event_rows(
    head: HeadRow,
    events: Sequence[NewEvent],
    plan: list[tuple[str, ...]],
    current: dict[str, int],
    metadata: Metadata,
) -> tuple[list[EventRow], list[LinkRow], list[StoredEvent], dict[str, int], HeadRow]:
    """The rows and links to insert after ``head``, the events as stored, the streams'
    versions after them and the new head. ``plan`` holds each event's :func:`links_of`,
    ``current`` the versions of the streams they touch."""
    position, previous, last_micros = head
    # recorded_at never goes backwards (even if the clock does), so position_at can
    # binary-search it
    micros = max(time.time_ns() // 1000, last_micros)
    recorded = EPOCH + dt.timedelta(microseconds=micros)
    meta = metadata.to_json()
    meta_text = ENCODE(metadata.to_stored())
    versions = dict(current)
    decode = DECODE  # the stored text is compact JSON, as in rows.to_events
    rows: list[EventRow] = []
    links: list[LinkRow] = []
    stored: list[StoredEvent] = []
    for event, also in zip(events, plan, strict=True):
        position += 1
        version = versions.get(event.stream_id, 0) + 1
        versions[event.stream_id] = version
        for stream in also:
            link_version = versions.get(stream, 0) + 1
            versions[stream] = link_version
            links.append((stream, link_version, position))
        schema_version = int(event.schema_version)  # True would be stored as 1
        data_text = ENCODE(event.data)
        also_text = _also_text(also) if also else None
        digest = event_hash(
            previous, position, event.stream_id, version, event.type,
            schema_version, data_text, meta_text, micros, also_text,
        )  # fmt: skip
        rows.append(
            (position, event.stream_id, version, event.type, schema_version,
             data_text, meta_text, micros, digest, also_text)
        )  # fmt: skip
        stored.append(
            StoredEvent(
                position, event.stream_id, version, event.type, schema_version,
                decode(data_text)[0], meta, recorded, digest, also,
            )
        )  # fmt: skip
        previous = digest
    return rows, links, stored, versions, (position, previous, micros)
