"""The book's tables as SQLAlchemy Core definitions, shared by every SQL backend.

Backend-specific DDL (SQLite triggers, pragmas) lives with each backend (``sqlite.ddl``); the
``sqlite_with_rowid`` options below are dialect-prefixed and ignored by other backends.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING

from sqlalchemy import (
    BigInteger,
    Column,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
    UniqueConstraint,
)

if TYPE_CHECKING:
    from domain.store.base import BookInfo

FORMAT_VERSION = 1
"""The on-disk format this code writes; books with a higher one are refused (NewerFormat)."""

metadata = MetaData()

events = Table(
    "events",
    metadata,
    # The global order. Assigned by the store as head + 1 under the write lock (never by an
    # autoincrement) because the position is part of each event's hash.
    Column("position", Integer, primary_key=True, autoincrement=False),
    Column("stream_id", Text, nullable=False),
    Column("stream_version", Integer, nullable=False),
    Column("type", Text, nullable=False),
    Column("schema_version", Integer, nullable=False),
    Column("data", Text, nullable=False),  # compact JSON
    Column("metadata", Text, nullable=False),  # compact JSON: command_id, correlation_id, ...
    Column("recorded_at", BigInteger, nullable=False),  # microseconds since the epoch, UTC
    Column("hash", LargeBinary(32), nullable=False),
    Column("also_in", Text, nullable=True),  # compact JSON list of linked streams, or NULL
    UniqueConstraint("stream_id", "stream_version", name="events_stream_version"),
)

stream_links = Table(
    "stream_links",
    metadata,
    Column("stream_id", Text, nullable=False),
    Column("version", Integer, nullable=False),
    Column("position", Integer, nullable=False),
    PrimaryKeyConstraint("stream_id", "version"),
    sqlite_with_rowid=False,  # the key is the row: half the size of a rowid table + index
)

# No table of stream versions: a stream's version is the highest of its events' and links'
# versions, read from the ends of the events_stream_version index and the stream_links key.

commands = Table(
    "commands",
    metadata,
    # the id as given, or the bytes it spells in base32 or hex (see sqlite/backend.py: command_key)
    Column("command_id", Text, primary_key=True),
    Column("first_position", Integer, nullable=False),
    Column("last_position", Integer, nullable=False),
    # 8 bytes naming the command itself (domain.model.commands.fingerprint), so that the same id
    # sent with another command is refused, not mistaken for a retry. NULL in rows written
    # before Tallybook kept it (the column is added to such books when opened for writing).
    Column("fingerprint", LargeBinary, nullable=True),
    sqlite_with_rowid=False,
)

snapshots = Table(
    "snapshots",
    metadata,
    Column("stream_id", Text, primary_key=True),
    Column("version", Integer, nullable=False),
    Column("code_version", Text, nullable=False),
    Column("state", Text, nullable=False),  # compact JSON
)

book = Table(
    "book",
    metadata,
    Column("key", Text, primary_key=True),
    Column("value", Text, nullable=False),
)

APPEND_ONLY_TABLES = ("events", "stream_links", "commands")
"""Tables whose rows are never updated or deleted (enforced by each backend)."""


def book_rows(like: BookInfo | None = None) -> list[dict[str, str]]:
    """The book table's rows of a new book: a new id, or ``like``'s id and creation time."""
    book_id = str(uuid.uuid4()) if like is None else like.book_id
    created = dt.datetime.now(dt.UTC) if like is None else like.created_at
    return [
        {"key": "format_version", "value": str(FORMAT_VERSION)},
        {"key": "book_id", "value": book_id},
        {"key": "created_at", "value": created.isoformat(timespec="microseconds")},
    ]
