"""The event store's contract: what any backend (SQLite now, PostgreSQL later) provides."""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any

from domain.model.errors import BrokenHistory

Progress = Callable[[int, int], bool]
"""Called with (done, total); returning False cancels the operation."""


@dataclass(frozen=True, slots=True)
class Metadata:
    """Who and what caused an append; stored as JSON beside each event.

    ``fingerprint`` (not stored beside the events; empty: not known) identifies the command
    behind ``command_id`` (see ``domain.model.commands.fingerprint``): the store keeps it with the
    id, and an append under a used id with another fingerprint is refused rather than taken
    for a retry.
    """

    command_id: str
    correlation_id: str = ""
    author: str = ""
    app_version: str = ""
    fingerprint: bytes = b""

    def to_json(self) -> dict[str, str]:
        """The full mapping readers see (``correlation_id`` defaults to the command id)."""
        return {
            "command_id": self.command_id,
            "correlation_id": self.correlation_id or self.command_id,
            "author": self.author,
            "app_version": self.app_version,
        }

    def to_stored(self) -> dict[str, str]:
        """The compact mapping a store keeps: one-letter keys, and no value that
        :func:`expand_metadata` restores (a correlation id equal to the command id, an empty
        author or app version). It is written beside every event, so it is kept small."""
        stored = {"c": self.command_id}
        if self.correlation_id and self.correlation_id != self.command_id:
            stored["r"] = self.correlation_id
        if self.author:
            stored["a"] = self.author
        if self.app_version:
            stored["v"] = self.app_version
        return stored


def expand_metadata(stored: dict[str, Any]) -> dict[str, Any]:
    """The :meth:`Metadata.to_json` mapping of a stored one (compact, or already full)."""
    if "c" not in stored or "command_id" in stored:
        return stored
    command_id = stored["c"]
    return {
        "command_id": command_id,
        "correlation_id": stored.get("r", command_id),
        "author": stored.get("a", ""),
        "app_version": stored.get("v", ""),
    }


@dataclass(frozen=True, slots=True)
class NewEvent:
    """An event to append: its primary stream and any other streams it also belongs to.

    Each stream's version grows by one for every event in it, primary or linked, so an
    aggregate (an account) sees the entries that touch it, and its expected version guards
    them against concurrent writers.
    """

    stream_id: str
    type: str
    schema_version: int
    data: Mapping[str, Any]
    also_in: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """An event as stored: gap-free global position, stream version, time and hash."""

    position: int
    stream_id: str
    stream_version: int
    type: str
    schema_version: int
    data: Mapping[str, Any]
    metadata: Mapping[str, Any]
    recorded_at: dt.datetime  # timezone-aware UTC
    hash: bytes
    also_in: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Snapshot:
    stream_id: str
    version: int
    code_version: str
    state: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class BookInfo:
    format_version: int
    book_id: str
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class VerifyReport:
    """Result of walking the hash chain and checking the book's pages.

    ``problem`` names what happened at ``first_bad_position``: "damaged" (the event cannot be
    read), "altered", "inserted", "removed", "reordered", or "damaged pages" (the chain holds
    but the database engine's own check, named by ``page_check``, found broken pages; its
    findings are in ``page_problems``). ``head_position``/``head_hash`` is the last event
    that checked out, what an auditor writes down (:meth:`head_text`).
    """

    ok: bool
    events: int
    head_position: int
    head_hash: str  # hex
    first_bad_position: int | None = None
    problem: str = ""
    cancelled: bool = False
    details: dict[str, Any] = field(default_factory=dict)
    page_check: str = ""  # the engine's check that ran ("PRAGMA integrity_check"), "" if none
    page_problems: tuple[str, ...] = ()

    def head_text(self) -> str:
        """The head as ``POSITION:HASH``, the form ``verify --expect-head`` takes."""
        return f"{self.head_position}:{self.head_hash}"

    def broken(self) -> BrokenHistory | None:
        """The error a write to this book raises, if the report found it broken."""
        if self.ok or self.cancelled:
            return None
        diagnosis = str(self.details.get("diagnosis", ""))
        return BrokenHistory(self.first_bad_position, f"{self.problem} ({diagnosis})")


class EventStore(ABC):
    """Append-only store of events in streams, with a global order and a hash chain."""

    @abstractmethod
    def info(self) -> BookInfo: ...

    @abstractmethod
    def transaction(self) -> AbstractContextManager[None]:
        """A write transaction (re-entrant): everything inside commits or rolls back together."""

    @abstractmethod
    def append(
        self,
        events: Sequence[NewEvent],
        expected_versions: Mapping[str, int],
        metadata: Metadata,
    ) -> list[StoredEvent]:
        """Append atomically. ``expected_versions`` names every stream touched (0 = new).

        Raises ConcurrencyError and writes nothing if any stream is at another version.
        If ``metadata.command_id`` was stored before, returns those events and writes nothing;
        but raises CommandIdReused if it was stored with a fingerprint and ``metadata``
        brings another one.
        """

    @abstractmethod
    def stream_version(self, stream_id: str) -> int: ...

    def command_positions(self, command_id: str) -> tuple[int, int] | None:
        """(first, last) position of the events ``command_id`` stored; None if it stored
        none, or if this store cannot say (a reader then finds the ends by reading)."""
        return None

    @abstractmethod
    def read_stream(self, stream_id: str, after_version: int = 0) -> Iterator[StoredEvent]:
        """Events of one stream (primary and linked) with version > after_version."""

    @abstractmethod
    def read_all(
        self, after_position: int = 0, to_position: int | None = None, batch_size: int = 2000
    ) -> Iterator[StoredEvent]:
        """All events in global order, fetched in batches (never the whole log in memory)."""

    @abstractmethod
    def position_at(self, when: dt.datetime) -> int:
        """The last position recorded at or before ``when`` (0 if none)."""

    @abstractmethod
    def head(self) -> tuple[int, bytes]:
        """(last position, its hash); (0, genesis hash) for an empty book."""

    @abstractmethod
    def verify(self, progress: Progress | None = None) -> VerifyReport: ...

    @abstractmethod
    def save_snapshot(self, snapshot: Snapshot) -> None: ...

    @abstractmethod
    def load_snapshot(self, stream_id: str) -> Snapshot | None: ...

    @abstractmethod
    def close(self) -> None: ...
