"""SQLite's part of the book's schema: append-only triggers, columns added to older books."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Column, Connection

from domain.store import schema


def create_triggers(conn: Connection) -> None:
    """Refuse UPDATE and DELETE on append-only tables, and gaps in event positions."""
    for table in schema.APPEND_ONLY_TABLES:
        for action in ("UPDATE", "DELETE"):
            conn.exec_driver_sql(
                f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} are append-only'); END"
            )
    # position = head + 1, always: a bug can never leave a hole in the chain
    conn.exec_driver_sql(
        "CREATE TRIGGER events_gap_free BEFORE INSERT ON events "
        "WHEN NEW.position IS NOT (SELECT coalesce(max(position), 0) + 1 FROM events) "
        "BEGIN SELECT RAISE(ABORT, 'event positions are gap-free'); END"
    )


def missing_columns(conn: Connection) -> list[tuple[str, Column[Any]]]:
    """(table name, column) of each column a book made by an older Tallybook lacks."""
    missing: list[tuple[str, Column[Any]]] = []
    for table in schema.metadata.sorted_tables:
        present = {row[1] for row in conn.exec_driver_sql(f'PRAGMA table_info("{table.name}")')}
        missing.extend((table.name, c) for c in table.columns if c.name not in present)
    return missing


def add_missing_columns(conn: Connection) -> None:
    """Add the columns a book made by an older Tallybook lacks, inside a write transaction
    (another process may have added them meanwhile). They are nullable: older Tallybooks go
    on reading and writing the book, and nothing else about its format changes."""
    for table, column in missing_columns(conn):
        assert column.nullable, f"{table}.{column.name} cannot be added to existing rows"
        kind = column.type.compile(dialect=conn.dialect)
        conn.exec_driver_sql(f'ALTER TABLE "{table}" ADD COLUMN "{column.name}" {kind}')


def sync_directory(path: Path) -> None:
    """fsync the folder so a newly created book's directory entry survives power loss."""
    if os.name != "posix":
        return
    fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
