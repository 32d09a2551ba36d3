"""Likely matches of an import's new rows: entries already on the account (typed by hand)
with the same amount within a few days, found in the read models."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from domain.model.events import EntryPosted, Event, StatementImported
from domain.model.importing import MATCH_DAYS
from domain.projections.rows import RegisterRow

if TYPE_CHECKING:
    from app.composition import Book

_PAGE = 5000


@dataclass(frozen=True, slots=True)
class Match:
    """A row of the statement and an entry on the account that may be the same money."""

    line: int
    entry: RegisterRow


def possible_matches(book: Book, account_id: str, decided: Sequence[Event]) -> list[Match]:
    """For each new row of a decided import (its events), the entries on the account that
    move the same amount within MATCH_DAYS of its date, not voided and not from a statement
    already; closest date first."""
    header = decided[0]
    assert isinstance(header, StatementImported)
    posted = {e.entry_id: e for e in decided if isinstance(e, EntryPosted)}
    if not header.rows:
        return []
    sign = book.service.account(account_id).account_type.sign
    linked = book.service.imported_rows(account_id).linked
    wanted: dict[int, list[tuple[int, dt.date]]] = {}
    for row in header.rows:
        entry = posted[row.entry_id]
        moved = sum(p.amount for p in entry.postings if p.account_id == account_id)
        wanted.setdefault(sign * moved, []).append((row.line, entry.booking_date))
    found: list[Match] = []
    window = dt.timedelta(days=MATCH_DAYS)
    for register_row in _register(book, account_id):
        rows = wanted.get(register_row.amount)
        if not rows or register_row.is_void or register_row.voided_by is not None:
            continue
        entry_id = register_row.entry_id
        if entry_id in linked or book.service.provenance(entry_id) is not None:
            continue
        found.extend(
            Match(line, register_row)
            for line, day in rows
            if abs(register_row.booking_date - day) <= window
        )

    def closeness(match: Match) -> tuple[int, int, int]:
        day = next(d for line, d in wanted[match.entry.amount] if line == match.line)
        return match.line, abs((match.entry.booking_date - day).days), match.entry.position

    return sorted(found, key=closeness)


def _register(book: Book, account_id: str) -> list[RegisterRow]:
    rows: list[RegisterRow] = []
    count = book.read_models.register_count(account_id)
    for offset in range(0, count, _PAGE):
        rows.extend(book.read_models.register(account_id, offset=offset, limit=_PAGE))
    return rows


def chosen(matches: Sequence[Match]) -> dict[int, str]:
    """Line -> entry id: each row its closest match, each entry for one row at most."""
    taken: set[str] = set()
    picked: dict[int, str] = {}
    for match in matches:
        if match.line not in picked and match.entry.entry_id not in taken:
            picked[match.line] = match.entry.entry_id
            taken.add(match.entry.entry_id)
    return picked
