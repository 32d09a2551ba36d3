"""A copied book's rows sent with COPY: one statement a table and a batch, not one a row
(``PostgresBackend.insert_copied``).

COPY's text format, each row adapted by psycopg's ``write_row`` (in C): measured against
joining the text lines here in Python, it took less of this side's time.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import psycopg

from domain.store.backend import EVENT_COLUMNS, EventRow, LinkRow

COPY_EVENTS = f"COPY events ({', '.join(EVENT_COLUMNS)}) FROM STDIN"
COPY_LINKS = "COPY stream_links (stream_id, version, position) FROM STDIN"
COPY_COMMANDS = "COPY commands (command_id, first_position, last_position, fingerprint) FROM STDIN"


def copy_in(
    raw: psycopg.Connection[Any],
    rows: Sequence[EventRow],
    links: Sequence[LinkRow],
    commands: Sequence[tuple[str, int, int, bytes | None]],
) -> None:
    """COPY the rows into the three tables, in the connection's transaction."""
    with raw.cursor() as cur:
        for sql, values in (
            (COPY_EVENTS, rows),
            (COPY_LINKS, links),
            (COPY_COMMANDS, commands),
        ):
            if values:
                with cur.copy(sql) as copy:
                    for value in values:
                        copy.write_row(value)
