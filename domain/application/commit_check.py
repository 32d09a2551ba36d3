"""A commit that failed after the book had stored the events: acknowledged, not refused.

A book file's read models live in a cache file attached to the book's connection, written in
the command's transaction. SQLite commits each attached file on its own (WAL mode), the book
first: when the book's part is written and the cache's fails (the disk fills up, a file-size
limit), COMMIT reports the error although the events are stored, and a retry would only get
the first run's answer. So they are acknowledged like any others; the cache, rolled back,
catches up from the book with the next command (its checkpoint is behind).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence

from domain.model.errors import StoreError
from domain.store.base import EventStore, StoredEvent


def stored_after_all(store: EventStore, stored: Sequence[StoredEvent]) -> bool:
    """Whether ``stored``, written by a transaction whose commit raised, are in the book:
    the last of them at its position with its hash (another writer's event there is not)."""
    if not stored:
        return False
    last = stored[-1]
    try:
        if store.head()[0] < last.position:
            return False
        found = next(iter(store.read_all(last.position - 1, last.position)), None)
    except StoreError:  # the book cannot even be read now: nothing can be acknowledged
        return False
    return found is not None and found.hash == last.hash


@contextlib.contextmanager
def acknowledging_stored(store: EventStore, stored: Sequence[StoredEvent]) -> Iterator[None]:
    """Around a write transaction: a store error is raised unless the events the
    transaction wrote (``stored``, a list it fills, read when it fails) are in the book after
    all."""
    try:
        yield
    except StoreError:
        if not stored_after_all(store, stored):
            raise
