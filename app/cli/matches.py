"""Likely matches of an import's new rows: entries already on the account (typed by hand)
with the same amount within a few days, and entries of another account's statement that went
against Uncategorised with the negated amount (a transfer's other side), found in the read
models."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from domain.model.events import EntryPosted, Event, StatementImported
from domain.model.imports import import_id_of
from domain.model.suspense import suspense_names
from domain.model.transfer_sides import MATCH_DAYS
from domain.projections.rows import RegisterRow

if TYPE_CHECKING:
    from app.composition import Book

_PAGE = 5000


@dataclass(frozen=True, slots=True)
class Match:
    """A row of the statement and an entry on the account that may be the same money."""

    line: int
    entry: RegisterRow
    other_side: bool = False  # an entry of another account's import against Uncategorised


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

    found.extend(_other_sides(book, account_id, header, posted, wanted, sign))

    def closeness(match: Match) -> tuple[int, int, int]:
        amount = -match.entry.amount if match.other_side else match.entry.amount
        day = next(d for line, d in wanted[amount] if line == match.line)
        return match.line, abs((match.entry.booking_date - day).days), match.entry.position

    return sorted(found, key=closeness)


def _other_sides(
    book: Book,
    account_id: str,
    header: StatementImported,
    posted: dict[str, EntryPosted],
    wanted: dict[int, list[tuple[int, dt.date]]],
    sign: int,
) -> list[Match]:
    """Entries of other accounts' statements that went against the suspense account with the
    negated amount of a new row, within MATCH_DAYS: the other side of a transfer. Their row in
    the suspense account's register is the match (its amount is the row's, negated, from
    the other account's side)."""
    chart = book.service.chart()
    currency = header.currency
    found: list[Match] = []
    window = dt.timedelta(days=MATCH_DAYS)
    into: dict[str, tuple[str, set[str]]] = {}  # import id -> its account and entries
    suspense_ids = {chart.id_for(n) for n in suspense_names(currency)} - {None}
    for suspense_id in sorted(i for i in suspense_ids if i is not None):
        s_sign = book.service.account(suspense_id).account_type.sign
        for row in _register(book, suspense_id):
            if row.is_void or row.voided_by is not None:
                continue
            # the suspense account took the row's own debit (the other account the opposite)
            key = sign * s_sign * row.amount
            rows = wanted.get(key)
            if not rows:
                continue
            import_id = import_id_of(row.entry_id)
            if import_id is None:
                continue
            if import_id not in into:  # one load per import, not per row
                found_import = book.service.statement_import(import_id)
                into[import_id] = (
                    found_import.account_id if found_import.exists else "",
                    {r.entry_id for r in found_import.rows},
                )
            imported_into, its_entries = into[import_id]
            if imported_into in ("", account_id) or row.entry_id not in its_entries:
                continue
            shown = replace(row, amount=-key)
            found.extend(
                Match(line, shown, other_side=True)
                for line, day in rows
                if abs(row.booking_date - day) <= window
            )
    return found


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
