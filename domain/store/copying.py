"""Copying a book's stored rows from one backend to another, exactly: same positions, data,
metadata, recorded times and hashes (the hash chain is copied, never recomputed).

Links are not part of an event row; they are rebuilt as the store made them: each stream in
an event's ``also_in`` gets the stream's next version. A command's row (its id, first and last
position, fingerprint) is copied once its last event is.
"""

from __future__ import annotations

import json
from typing import Protocol

from domain.model.errors import StoreError
from domain.store.backend import CommandRow, EventRow, HeadRow, LinkRow, StoreBackend
from domain.store.base import expand_metadata

BATCH = 2000


class RowSource(Protocol):
    """Where copied rows come from: another backend, or a book in JSON lines."""

    def event_rows(self, after: int, upto: int, limit: int) -> list[EventRow]: ...

    def command_row(self, command_id: str) -> CommandRow | None: ...

    def describe(self) -> str: ...


def copy_rows(src: RowSource, dst: StoreBackend, after: int, upto: int) -> HeadRow | None:
    """Inside a write transaction of ``dst`` (whose head is ``after``): copy the events
    ``after`` < position <= ``upto`` of ``src``, their links and commands. Returns the new
    head (None if nothing was copied)."""
    versions: dict[str, int] = {}

    def next_version(stream: str) -> int:
        version = versions.get(stream)
        if version is None:  # into an empty book every stream starts at 0: no look needed
            version = dst.stream_version(stream) if after else 0
        version += 1
        versions[stream] = version
        return version

    command: list[object] | None = None  # [id, first, last] of the command being copied
    head: HeadRow | None = None
    position = after
    while position < upto:
        rows: list[EventRow] = [tuple(r[:10]) for r in src.event_rows(position, upto, BATCH)]
        if not rows:
            break
        links: list[LinkRow] = []
        done: list[list[object]] = []
        for row in rows:
            if row[2] != next_version(row[1]):
                raise StoreError(f"event {row[0]}: {row[1]} is not at version {row[2] - 1}")
            for stream in json.loads(row[9]) if row[9] else ():
                links.append((stream, next_version(stream), row[0]))
            command_id = expand_metadata(json.loads(row[6]))["command_id"]
            if command is not None and command[0] == command_id:
                command[2] = row[0]
            else:
                if command is not None:
                    done.append(command)
                command = [command_id, row[0], row[0]]
        dst.insert_events(rows, links)
        _copy_commands(src, dst, done)
        position = rows[-1][0]
        head = (rows[-1][0], rows[-1][8], rows[-1][7])
    if command is not None:
        _copy_commands(src, dst, [command])
    return head


def _copy_commands(src: RowSource, dst: StoreBackend, commands: list[list[object]]) -> None:
    rows: list[tuple[str, int, int, bytes | None]] = []
    for command_id, first, last in commands:
        assert isinstance(command_id, str) and isinstance(first, int) and isinstance(last, int)
        row = src.command_row(command_id)
        rows.append((command_id, first, last, None if row is None else row[2]))
    if rows:
        dst.insert_commands(rows)
