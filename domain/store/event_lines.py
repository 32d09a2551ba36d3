"""A whole book as JSON lines: the lossless plain-text form of ``tallybook-cli export
--format events`` and ``import-events``.

The first line describes the book, each following line is one event exactly as stored, and
the last line closes the file, so a truncated file is told from a whole one::

    {"tallybook_events": 1, "book_id": "…", "created_at": "…", "format_version": 3,
     "head": {"position": 2, "hash": "9f…"}}
    {"position": 1, "stream_id": "account-…", "stream_version": 1, "type": "AccountOpened",
     "schema_version": 1, "data": "{…}", "metadata": "{…}", "recorded_at": 1764…,
     "hash": "3a…", "also_in": null, "fingerprint": "c1…"}
    …
    {"end": true, "events": 2}

``data``, ``metadata`` and ``also_in`` are the stored JSON *texts* (the hash covers those exact
characters), ``recorded_at`` is microseconds since the epoch (UTC), ``hash`` and
``fingerprint`` (the command's, on each of its events; null if not known) are hex.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Sequence
from typing import Any, TextIO

from domain.store.backend import CommandRow, EventRow
from domain.store.base import BookInfo, expand_metadata
from domain.store.copying import RowSource

FORMAT = 1
BATCH = 2000
_EVENT_KEYS = (
    "position", "stream_id", "stream_version", "type", "schema_version", "data", "metadata",
    "recorded_at", "hash", "also_in", "fingerprint",
)  # fmt: skip


class EventLinesError(ValueError):
    """The text is not a whole, well-formed book in JSON lines (says which line, and why)."""


def write_lines(source: RowSource, info: BookInfo, head: tuple[int, bytes], out: TextIO) -> int:
    """Write the book's events up to ``head`` to ``out``; returns how many."""
    upto, digest = head
    header = {
        "tallybook_events": FORMAT,
        "book_id": info.book_id,
        "created_at": info.created_at.isoformat(),
        "format_version": info.format_version,
        "head": {"position": upto, "hash": bytes(digest).hex()},
    }
    out.write(json.dumps(header) + "\n")
    fingerprints: dict[str, str | None] = {}
    position = 0
    while position < upto:
        rows = source.event_rows(position, upto, BATCH)
        if not rows:
            break
        for row in rows:
            command_id = expand_metadata(json.loads(row[6]))["command_id"]
            if command_id not in fingerprints:
                fingerprints.clear()  # a command's events are consecutive: one is enough
                command = source.command_row(command_id)
                found = None if command is None else command[2]
                fingerprints[command_id] = None if found is None else bytes(found).hex()
            values = (*row[:8], bytes(row[8]).hex(), row[9], fingerprints[command_id])
            out.write(json.dumps(dict(zip(_EVENT_KEYS, values, strict=True))) + "\n")
        position = rows[-1][0]
    out.write(json.dumps({"end": True, "events": position}) + "\n")
    return position


class LinesSource:
    """The events of a JSON-lines book, read as :mod:`copying` reads another backend.

    ``info`` and ``head`` come from the first line; :meth:`event_rows` hands out the next
    events in order (checking every field), and raises :class:`EventLinesError` on a line
    that is not an event of this book, or when the file ends before its last line.
    """

    def __init__(self, lines: Iterator[str]) -> None:
        self._lines = enumerate(lines, start=1)
        self._fingerprints: dict[str, bytes | None] = {}
        self._done = False
        number, header = self._next_object("the first line (the book's description)")
        if header.get("tallybook_events") != FORMAT:
            raise EventLinesError(
                f"line {number}: not a Tallybook events file (its first line must say "
                f'"tallybook_events": {FORMAT})'
            )
        try:
            created = dt.datetime.fromisoformat(header["created_at"])
            self.info = BookInfo(int(header["format_version"]), str(header["book_id"]), created)
            head = header["head"]
            self.head = (_count(head["position"], "head position"), bytes.fromhex(head["hash"]))
        except (KeyError, TypeError, ValueError) as exc:
            why = f"line {number}: the book's description is incomplete ({exc})"
            raise EventLinesError(why) from None
        self.read = 0

    def event_rows(self, after: int, upto: int, limit: int) -> list[EventRow]:
        rows: list[EventRow] = []
        while len(rows) < limit and self.read < upto:
            number, value = self._next_object(f"event {self.read + 1}")
            if "end" in value:
                raise EventLinesError(
                    f"line {number}: the file ends after event {self.read}, but its first line "
                    f"says the book has {self.head[0]}: nothing was imported"
                )
            rows.append(self._row(number, value))
        return rows

    def command_row(self, command_id: str) -> CommandRow | None:
        # copying asks once per command, after its events were read: first/last are unused
        return (0, 0, self._fingerprints.pop(command_id, None))

    def fingerprints(self, command_ids: Sequence[str]) -> dict[str, bytes | None]:
        return {c: self._fingerprints.pop(c, None) for c in command_ids}

    def describe(self) -> str:
        return "the events file"

    def _row(self, number: int, value: dict[str, Any]) -> EventRow:
        if tuple(value) != _EVENT_KEYS:
            missing = [k for k in _EVENT_KEYS if k not in value]
            extra = [k for k in value if k not in _EVENT_KEYS]
            why = f"missing {', '.join(missing)}" if missing else f"unknown {', '.join(extra)}"
            raise EventLinesError(f"line {number}: not an event ({why})")
        try:
            position = _count(value["position"], "position")
            if position != self.read + 1:
                raise ValueError(f"position {position} where {self.read + 1} was due")
            texts = [_text(value[k], k) for k in ("stream_id", "type", "data", "metadata")]
            also_in = None if value["also_in"] is None else _text(value["also_in"], "also_in")
            digest = bytes.fromhex(_text(value["hash"], "hash"))
            if len(digest) != 32:
                raise ValueError("hash is not 64 hex digits")
            meta = expand_metadata(json.loads(texts[3]))
            command_id = str(meta["command_id"])
            fingerprint = value["fingerprint"]
            self._fingerprints[command_id] = (
                None if fingerprint is None else bytes.fromhex(_text(fingerprint, "fingerprint"))
            )
            row = (
                position, texts[0], _count(value["stream_version"], "stream_version"), texts[1],
                _count(value["schema_version"], "schema_version"), texts[2], texts[3],
                _count(value["recorded_at"], "recorded_at"), digest, also_in,
            )  # fmt: skip
        except (KeyError, TypeError, ValueError) as exc:
            raise EventLinesError(f"line {number}: {exc}") from None
        self.read = position
        return row

    def finish(self) -> None:
        """Check that every event was read and the closing line follows the last one."""
        if self._done:
            return
        if self.read != self.head[0]:
            raise EventLinesError(f"only {self.read} of the book's {self.head[0]} events were read")
        number, value = self._next_object("the closing line")
        if value != {"end": True, "events": self.head[0]}:
            raise EventLinesError(
                f'line {number}: expected the closing line {{"end": true, "events": '
                f"{self.head[0]}}} after the last event"
            )
        for number, line in self._lines:
            if line.strip():
                raise EventLinesError(f"line {number}: text after the closing line")
        self._done = True

    def _next_object(self, what: str) -> tuple[int, dict[str, Any]]:
        for number, line in self._lines:
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except ValueError as exc:
                raise EventLinesError(f"line {number}: not JSON ({exc})") from None
            if not isinstance(value, dict):
                raise EventLinesError(f"line {number}: not a JSON object")
            return number, value
        raise EventLinesError(f"the file ends before {what}: nothing was imported")


def _count(value: object, what: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"{what} is not a whole number ≥ 0")
    return value


def _text(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{what} is not a string")
    return value
