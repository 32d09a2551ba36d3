"""Rows to StoredEvents: what the read loop builds is a true, frozen StoredEvent."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from domain.store.base import StoredEvent
from domain.store.rows import EPOCH, to_events


def test_read_events_are_frozen_stored_events_equal_to_built_ones() -> None:
    micros = 1_700_000_000_123_456
    rows = [
        (1, "a", 1, "T", 2, '{"n":[1,"x"]}', '{"c":"c1"}', micros, b"h" * 32, '["b","c"]'),
        (2, "b", 1, "U", 1, "{}", '{"c":"c1"}', micros, b"i" * 32, None),
    ]
    first, second = to_events(rows)
    assert type(first) is StoredEvent and type(second) is StoredEvent
    when = EPOCH + dt.timedelta(microseconds=micros)
    meta = {"command_id": "c1", "correlation_id": "c1", "author": "", "app_version": ""}
    assert first == StoredEvent(
        1, "a", 1, "T", 2, {"n": [1, "x"]}, meta, when, b"h" * 32, ("b", "c")
    )
    assert second.also_in == () and second.recorded_at == when
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.position = 3  # type: ignore[misc]
