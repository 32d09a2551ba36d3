"""Copying a book's stored rows from one backend to another, exactly: same positions, data,
metadata, recorded times and hashes (the hash chain is copied, never recomputed).

Links are not part of an event row; they are rebuilt as the store made them: each stream in
an event's ``also_in`` gets the stream's next version. A command's row (its id, first and last
position, fingerprint) is copied once its last event is. Each batch goes to the destination
in one call (``StoreBackend.insert_copied``: PostgreSQL's COPY), with its commands'
fingerprints looked up together, not one query a command.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Generator, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Protocol

from domain.model.errors import StoreError
from domain.store.backend import CommandRow, EventRow, HeadRow, LinkRow, StoreBackend
from domain.store.base import expand_metadata

BATCH = 10_000

CopiedCommand = tuple[str, int, int, bytes | None]
"""(command_id, first_position, last_position, fingerprint) as the commands table holds it."""


class RowSource(Protocol):
    """Where copied rows come from: another backend, or a book in JSON lines."""

    def event_rows(self, after: int, upto: int, limit: int) -> list[EventRow]: ...

    def command_row(self, command_id: str) -> CommandRow | None: ...

    def fingerprints(self, command_ids: Sequence[str]) -> dict[str, bytes | None]:
        """The stored commands among ``command_ids`` and their fingerprints."""
        ...

    def describe(self) -> str: ...


def copy_rows(src: RowSource, dst: StoreBackend, after: int, upto: int) -> HeadRow | None:
    """Inside a write transaction of ``dst`` (whose head is ``after``): copy the events
    ``after`` < position <= ``upto`` of ``src``, their links and commands. Returns the new
    head (None if nothing was copied)."""
    sender = _Sender(dst)
    # closed on the way out, failed or not: a batch being read ahead is waited for then
    batches = contextlib.closing(_batches(src, after, upto))
    try:
        with batches as read:
            return _copy(src, read, dst, after, upto, sender)
    finally:
        sender.close()


def _copy(
    src: RowSource,
    batches: Iterator[list[EventRow]],
    dst: StoreBackend,
    after: int,
    upto: int,
    sender: _Sender,
) -> HeadRow | None:
    versions: dict[str, int] = {}

    def next_version(stream: str) -> int:
        version = versions.get(stream)
        if version is None:  # into an empty book every stream starts at 0: no look needed
            if after:
                sender.settle()  # the connection is the sender's while a batch is in flight
                version = dst.stream_version(stream)
            else:
                version = 0
        version += 1
        versions[stream] = version
        return version

    command: list[object] | None = None  # [id, first, last] of the command being copied
    head: HeadRow | None = None
    for rows in batches:
        if len(rows[0]) != 10:
            rows = [tuple(r[:10]) for r in rows]
        links: list[LinkRow] = []
        done: list[list[object]] = []
        for row in rows:
            if row[2] != next_version(row[1]):
                raise StoreError(f"event {row[0]}: {row[1]} is not at version {row[2] - 1}")
            if row[9]:
                for stream in _streams(row[9]):
                    links.append((stream, next_version(stream), row[0]))
            command_id = _command_id(row[6])
            if command is not None and command[0] == command_id:
                command[2] = row[0]
            else:
                if command is not None:
                    done.append(command)
                command = [command_id, row[0], row[0]]
        position = rows[-1][0]
        if position >= upto and command is not None:  # the last batch: its last command too
            done.append(command)
            command = None
        sender.send(rows, links, _commands(src, done))
        head = (rows[-1][0], rows[-1][8], rows[-1][7])
    if command is not None:  # the source ended before upto
        sender.send([], [], _commands(src, [command]))
    return head


# Every event's metadata and most events' also_in are read: the common compact forms without
# escapes are taken apart directly (a JSON string with no backslash is its text), the rest
# parsed as JSON
_COMPACT_ID = re.compile(r'\{"c":"([^"\\]*)"[,}]')


def _command_id(metadata: str) -> str:
    found = _COMPACT_ID.match(metadata)
    if found is not None:
        return found.group(1)
    return str(expand_metadata(json.loads(metadata))["command_id"])


def _streams(also_in: str) -> list[str]:
    if also_in.startswith('["') and also_in.endswith('"]') and "\\" not in also_in:
        streams = also_in[2:-2].split('","')
        if also_in.count('"') == 2 * len(streams):  # no quote but the ones split at
            return streams
    return [str(s) for s in json.loads(also_in)]


def _batches(src: RowSource, after: int, upto: int) -> Generator[list[EventRow]]:
    """The source's events after ``after`` through ``upto``, a batch at a time; read one batch
    ahead in a thread of its own where the source allows (``reads_aside``: its server
    sends the next batch while this one is written)."""
    if not getattr(src, "reads_aside", False):
        position = after
        while position < upto and (rows := src.event_rows(position, upto, BATCH)):
            yield rows
            position = rows[-1][0]
        return
    with ThreadPoolExecutor(1, "copy-read") as pool:
        ahead = pool.submit(src.event_rows, after, upto, BATCH)
        while rows := ahead.result():
            position = rows[-1][0]
            if position < upto:
                ahead = pool.submit(src.event_rows, position, upto, BATCH)
            yield rows
            if position >= upto:
                return


class _Sender:
    """Hands each batch to ``dst.insert_copied``: in a thread of its own where the backend
    allows (``copies_aside``), so that its server ingests one batch while the next is read and
    prepared here (the wait for the server lets go of the GIL), else at once."""

    def __init__(self, dst: StoreBackend) -> None:
        self._dst = dst
        self._pool = ThreadPoolExecutor(1, "copy") if dst.copies_aside else None
        self._pending: Future[None] | None = None

    def send(
        self, rows: list[EventRow], links: list[LinkRow], commands: list[CopiedCommand]
    ) -> None:
        if self._pool is None:
            self._dst.insert_copied(rows, links, commands)
            return
        self.settle()  # one batch in flight at most: memory stays at two batches
        self._pending = self._pool.submit(self._dst.insert_copied, rows, links, commands)

    def settle(self) -> None:
        """Wait for the batch in flight; its error is raised here."""
        pending, self._pending = self._pending, None
        if pending is not None:
            pending.result()

    def close(self) -> None:
        """Wait for the batch in flight (whatever failed is already on its way up)."""
        if self._pool is None:
            return
        try:
            self.settle()
        finally:
            self._pool.shutdown()


def _commands(src: RowSource, commands: list[list[object]]) -> list[CopiedCommand]:
    found = src.fingerprints([str(c[0]) for c in commands])
    rows: list[CopiedCommand] = []
    for command_id, first, last in commands:
        assert isinstance(command_id, str) and isinstance(first, int) and isinstance(last, int)
        rows.append((command_id, first, last, found.get(command_id)))
    return rows
