"""Books on a PostgreSQL server (``postgresql://`` addresses), wired like book files.

The shared log is on the server; the read models stay local, in the user's cache as for a
file: a local SQLite copy of the log (``copy_from``: same positions and hashes) caught up
from the server at open and on :func:`catch_up`, with the usual read-model cache on it. The
copy only ever holds committed events, so the read models may lag the server, never lead it.
"""

from __future__ import annotations

import contextlib
import hashlib
from pathlib import Path

from domain.model.errors import NotABook
from domain.projections import ReadModels
from domain.projections.location import read_models_dir
from domain.store.postgres.store import PostgresEventStore
from domain.store.sqlite import SqliteEventStore


def open_shared(address: str, *, create_if_missing: bool, readonly: bool) -> PostgresEventStore:
    """The book at ``address`` (created first if asked and missing). Opened first: a writer
    role may not create schemas (CREATE SCHEMA IF NOT EXISTS checks that right first)."""
    try:
        return PostgresEventStore.open(address, readonly=readonly)
    except NotABook:
        if not create_if_missing or readonly:
            raise
    with contextlib.suppress(FileExistsError):  # another client may create it first
        return PostgresEventStore.create(address)
    return PostgresEventStore.open(address, readonly=readonly)


def local_copy_path(shared: PostgresEventStore) -> Path:
    """Where this user keeps the local copy of the shared book's log."""
    where = hashlib.sha256(shared.address.encode()).hexdigest()[:16]
    return read_models_dir() / f"{shared.info().book_id}-shared-{where}.tallybook"


def open_local_copy(shared: PostgresEventStore) -> SqliteEventStore:
    """The local copy of the shared log, caught up (made anew if it is not a prefix of it)."""
    path = local_copy_path(shared)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        local = SqliteEventStore.open(path)
        try:
            local.copy_from(shared)
            return local
        except Exception:
            local.close()
            path.unlink()  # derived data: rebuilt from the server
    local = SqliteEventStore.create(path, like=shared.info())
    try:
        local.copy_from(shared)
    except BaseException:
        local.close()
        raise
    return local


def catch_up(shared: PostgresEventStore, local: SqliteEventStore, models: ReadModels) -> int:
    """Bring the local copy and its read models up to the server's head; returns it."""
    head = local.copy_from(shared)
    models.catch_up()
    return head
