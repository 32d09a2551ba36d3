"""Event rows to :class:`StoredEvent`: the read path's hot loop, shared by every backend."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from domain.store.backend import EventRow
from domain.store.base import StoredEvent, expand_metadata
from domain.store.gc_pause import gc_paused
from domain.store.hashing import event_hash

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_MICROSECOND = dt.timedelta(microseconds=1)
ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode
"""Compact JSON, as the store writes it (the hash covers this text)."""
DECODE = json.JSONDecoder().raw_decode
"""json.loads minus its whitespace handling (stored JSON is compact)."""
_ALSO_CACHE: dict[str, tuple[str, ...]] = {}


def to_micros(when: dt.datetime) -> int:
    if when.tzinfo is None:
        raise ValueError(f"{when!r} has no time zone; recorded times are compared in UTC")
    return (when - EPOCH) // _MICROSECOND


class LazyJson(Mapping[str, Any]):
    """A JSON object parsed on first use: most readers of the log never look at metadata."""

    __slots__ = ("_text", "_value")

    def __init__(self, text: str) -> None:
        self._text = text
        self._value: dict[str, Any] | None = None

    def _get(self) -> dict[str, Any]:
        if self._value is None:
            value = json.loads(self._text)
            if not isinstance(value, dict):
                raise ValueError(f"metadata is not a JSON object: {self._text[:80]!r}")
            self._value = expand_metadata(value)
        return self._value

    def __getitem__(self, key: str) -> Any:
        return self._get()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._get())

    def __len__(self) -> int:
        return len(self._get())

    def __repr__(self) -> str:
        return repr(self._get())


def to_events(rows: Iterable[EventRow]) -> list[StoredEvent]:
    """Rows (in ``EVENT_COLUMNS`` order) to events; the events of one command share metadata
    and time.

    This is the read path's hot loop (hundreds of thousands of events a second): data is
    parsed with ``raw_decode``, metadata lazily, and also_in lists are shared.
    """
    with gc_paused():
        return _decode_rows(rows)


class _Building:
    """A :class:`StoredEvent` under construction: the same slots, without the frozen
    ``__setattr__``, so the read loop fills them with plain attribute stores and then makes
    the object a StoredEvent (``__class__`` assignment between classes of one layout). The
    frozen dataclass's ``__init__`` (ten ``object.__setattr__`` calls) cost four times as
    much, a fifth of reading an event."""

    __slots__ = StoredEvent.__slots__

    def __init__(
        self,
        position: int,
        stream_id: str,
        stream_version: int,
        type_: str,
        schema_version: int,
        data: Any,
        metadata: Mapping[str, Any],
        recorded_at: dt.datetime,
        hash_: bytes,
        also_in: tuple[str, ...],
    ) -> None:
        self.position = position
        self.stream_id = stream_id
        self.stream_version = stream_version
        self.type = type_
        self.schema_version = schema_version
        self.data = data
        self.metadata = metadata
        self.recorded_at = recorded_at
        self.hash = hash_
        self.also_in = also_in


def _decode_rows(rows: Iterable[EventRow]) -> list[StoredEvent]:
    decode = DECODE
    also_cache = _ALSO_CACHE
    out: list[Any] = []
    append = out.append
    build = _Building
    stored = StoredEvent
    timedelta = dt.timedelta
    meta_text: str | None = None
    meta: Mapping[str, Any] = {}
    micros = -1
    recorded = EPOCH
    for row in rows:
        if row[6] != meta_text:
            meta_text = row[6]
            meta = LazyJson(meta_text)
        if row[7] != micros:
            micros = row[7]
            # (days, seconds, µs) positionally: a third cheaper than microseconds=
            recorded = EPOCH + timedelta(0, micros // 1_000_000, micros % 1_000_000)
        also_text = row[9]
        if also_text is None:
            also: tuple[str, ...] = ()
        else:
            also = also_cache.get(also_text) or _parse_also(also_text)
        event = build(
            row[0], row[1], row[2], row[3], row[4], decode(row[5])[0], meta, recorded, row[8],
            also,
        )  # fmt: skip
        event.__class__ = stored  # type: ignore[assignment]
        append(event)
    return out


def _parse_also(text: str) -> tuple[str, ...]:
    also = tuple(json.loads(text))
    if len(_ALSO_CACHE) >= 4096:  # bounded: one entry per combination of linked streams
        _ALSO_CACHE.clear()
    _ALSO_CACHE[text] = also
    return also


def chains(previous: bytes, row: EventRow, position: int) -> bool:
    """Whether ``row``, were it at ``position``, follows a chain ending in ``previous``."""
    try:
        digest = event_hash(
            previous, position, row[1], row[2], row[3], row[4], row[5], row[6], row[7], row[9]
        )
    except (TypeError, AttributeError):  # a tampered row with values of the wrong type
        return False
    return bool(digest == row[8])
