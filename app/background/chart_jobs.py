"""The entries behind a chart's point that has no account of its own (a date's net worth, a
month's cash flow): the events with register rows of the accounts it adds up, booked in its
dates, as known at the report's position. Run in a worker, like the reports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from app.composition import Book
from domain.projections import report_queries
from domain.projections.tables import day_number

LIMIT = 1000


@dataclass(frozen=True, slots=True)
class EntriesRequest:
    """Events up to ``known_at`` booked ``first``..``last`` (``first`` None: up to ``last``)
    in the accounts of ``types``."""

    known_at: int
    first: dt.date | None
    last: dt.date
    types: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Entries:
    request: EntriesRequest
    events: list[tuple[int, str]] = field(default_factory=list)  # (position, type), <= LIMIT
    total: int = 0


class EntriesSource:
    """Finds the entries behind a point in the book at ``path`` (opened read-only per call,
    in the calling thread)."""

    def __init__(self, path: Path) -> None:
        self._path = path

    def find(self, request: EntriesRequest) -> Entries:
        first = None if request.first is None else day_number(request.first.isoformat())
        last = day_number(request.last.isoformat())
        with (
            Book.open(self._path, readonly=True) as book,
            book.read_models.querying(request.known_at) as (conn, p),
        ):
            wanted = set(request.types)
            accts = [a[5] for a in report_queries.accounts(conn, p) if a[2] in wanted]
            events, total = report_queries.changes(conn, 0, p, first, last, accts, LIMIT)
        return Entries(request, events, total)
