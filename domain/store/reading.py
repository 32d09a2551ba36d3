"""Reading the log from a backend in batches: by position, by stream, by time."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

from domain.model.errors import BrokenHistory
from domain.store.backend import StoreBackend
from domain.store.base import StoredEvent
from domain.store.gc_pause import gc_paused
from domain.store.rows import DECODE, to_events

_VERSION = 10  # where a stream row carries its version in the stream, if the backend does

DataRow = tuple[int, str, int, dict[str, Any]]
"""(position, type, schema_version, data) of one event: what a replaying reader needs."""


def events_between(
    backend: StoreBackend,
    errors: AbstractContextManager[None],
    after: int,
    end: Callable[[], int],
    size: int,
) -> Iterator[StoredEvent]:
    """Events with ``after`` < position <= ``end()``, fetched ``size`` at a time (``end`` is
    called when reading starts, as a generator does nothing before its first item)."""
    upto = end()
    position = after
    while position < upto:
        with errors:
            rows = backend.event_rows(position, upto, size)
            if rows and rows[-1][0] != position + len(rows):
                _gap(position, [row[0] for row in rows])
        if not rows:
            return
        yield from to_events(rows)
        position = rows[-1][0]


def data_between(
    backend: StoreBackend,
    errors: AbstractContextManager[None],
    after: int,
    end: Callable[[], int],
    size: int,
) -> Iterator[list[DataRow]]:
    """Batches of (position, type, schema_version, data), ``after`` < position <= ``end()``."""
    upto = end()
    decode = DECODE
    position = after
    while position < upto:
        with errors:
            rows = backend.data_rows(position, upto, size)
            if rows and rows[-1][0] != position + len(rows):
                _gap(position, [row[0] for row in rows])
        if not rows:
            return
        with gc_paused():
            batch = [(p, t, v, decode(d)[0]) for p, t, v, d in rows]
        yield batch
        position = rows[-1][0]


def stream_events(
    backend: StoreBackend,
    errors: AbstractContextManager[None],
    start: Callable[[], None],
    stream_id: str,
    after_version: int,
    size: int,
) -> Iterator[StoredEvent]:
    """Events of one stream with version > ``after_version``, ``size`` versions at a time
    (versions are dense, so a window of versions is exactly one batch); ``start`` is called
    when reading starts."""
    start()
    after = after_version
    while True:
        with errors:
            rows = backend.stream_rows(stream_id, after, after + size)
            events = to_events(rows)
            for i, row in enumerate(rows, after + 1):
                # versions are dense (a backend that returns each row's version in the
                # stream after its columns lets that be checked): a lost link shows here
                if len(row) > _VERSION and row[_VERSION] != i:
                    raise BrokenHistory(
                        row[0],
                        f"removed ({stream_id} jumps from version {i - 1} to "
                        f"{row[_VERSION]} at this event)",
                    )
            for event in events:
                # a stream's index (its links) naming an event that is not in the stream:
                # events were moved under the links, which the hash chain does not cover
                if event.stream_id != stream_id and stream_id not in event.also_in:
                    raise BrokenHistory(
                        event.position,
                        f"misplaced (the event at this position is not in {stream_id}, "
                        "whose index points here)",
                    )
        yield from events
        if len(rows) < size:
            return
        after += size


def _gap(after: int, positions: list[int]) -> None:
    """Raise the break that a batch of positions not following ``after`` one by one shows."""
    expected = after + 1
    for position in positions:
        if position != expected:
            break
        expected += 1
    raise BrokenHistory(expected, f"removed (the event at position {expected} is missing)")


def last_recorded_by(backend: StoreBackend, head: int, target: int) -> int:
    """The last position up to ``head`` recorded at or before ``target`` µs (0 if none).

    Binary search over positions: recorded_at never decreases along the log.
    """
    recorded_at = backend.recorded_at
    low, high = 0, head
    while low < high:
        middle = (low + high + 1) // 2
        micros = recorded_at(middle)
        if micros is not None and micros <= target:
            low = middle
        else:
            high = middle - 1
    return low
