"""The append-only, hash-chained event store."""

from domain.store.base import (
    BookInfo,
    EventStore,
    Metadata,
    NewEvent,
    Snapshot,
    StoredEvent,
    VerifyReport,
)

__all__ = [
    "BookInfo",
    "EventStore",
    "Metadata",
    "NewEvent",
    "Snapshot",
    "StoredEvent",
    "VerifyReport",
]
