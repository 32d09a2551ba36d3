"""The SQLite backend: one book file (connection, errors, schema extras, backup, rows)."""

from domain.store.sqlite.store import SqliteEventStore

__all__ = ["SqliteEventStore"]
