"""``diff BOOK --from P --to Q``: each account's balance at two positions, and the events
between that make the difference."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from app.cli.book_files import open_readable
from app.cli.output import complain, emit
from app.composition import Book
from domain.model.money import decimal_string
from domain.projections.diff import Moment, balance_changes, diff_balances, diff_lines
from domain.projections.rows import PATH_SEPARATOR, account_paths

_PAGE = 1000


def cmd_diff(args: argparse.Namespace) -> int:
    book = open_readable(args.book)
    try:
        head = book.store.head()[0]
        (start, first_day), (end, second_day) = args.from_point, args.to_point
        start, end = head if start is None else start, head if end is None else end
        if not 0 <= start <= end <= head:
            complain(f"--from {start} --to {end}: need 0 <= from <= to <= head ({head})")
            return 1
        if first_day is not None or second_day is not None:
            first, second = Moment(start, first_day), Moment(end, second_day)
            emit(sys.stdout, dated_diff(book, first, second))
            return 0
        before = {row.account_id: row for row in book.read_models.accounts(start)}
        after = book.read_models.accounts(end)
        types = {row.account_id: row.account_type for row in after}
        currency = {row.account_id: row.currency for row in after}
        summaries: dict[int, str] = {}
        events: list[dict[str, Any]] = []
        offset = start
        while offset < end:
            page = book.events.events_after(offset, min(_PAGE, end - offset))
            if not page:
                break
            summaries = {r.position: r.summary for r in book.read_models.history(offset, _PAGE)}
            for stored in page:
                changes = balance_changes(stored, types)
                events.append({
                    "position": stored.position,
                    "type": stored.type,
                    "summary": summaries.get(stored.position, ""),
                    "changes": {a: decimal_string(v, currency[a]) for a, v in changes.items()},
                })  # fmt: skip
            offset = page[-1].position
        accounts = []
        paths = account_paths(after)
        for row in after:
            old = before[row.account_id].balance if row.account_id in before else 0
            accounts.append({
                "id": row.account_id,
                "name": row.name,
                "path": PATH_SEPARATOR.join(paths[row.account_id]),
                "currency": row.currency,
                "before": decimal_string(old, row.currency),
                "after": decimal_string(row.balance, row.currency),
                "difference": decimal_string(row.balance - old, row.currency),
            })  # fmt: skip
    finally:
        book.close()
    emit(sys.stdout, {"from": start, "to": end, "accounts": accounts, "events": events})
    return 0


def _point(moment: Moment) -> int | str:
    return moment.position if moment.day is None else f"{moment.position}@{moment.day}"


def dated_diff(book: Book, first: Moment, second: Moment) -> dict[str, Any]:
    """The diff of two points, one of them dated: the rows counted at one and not the
    other, gathered by event."""
    reads = book.read_models
    accounts: list[dict[str, Any]] = []
    changes: dict[int, dict[str, int]] = {}
    with reads.querying() as (conn, _):
        diffs = diff_balances(conn, first, second)
        paths = account_paths([d.account for d in diffs])
        for diff in diffs:
            row = diff.account
            for line in diff_lines(conn, first, second, row.opened_position):
                moved = changes.setdefault(line.position, {})
                moved[row.account_id] = moved.get(row.account_id, 0) + line.amount
            accounts.append({
                "id": row.account_id,
                "name": row.name,
                "path": PATH_SEPARATOR.join(paths[row.account_id]),
                "currency": row.currency,
                "before": decimal_string(diff.before, row.currency),
                "after": decimal_string(diff.after, row.currency),
                "difference": decimal_string(diff.difference, row.currency),
            })  # fmt: skip
    currency = {d.account.account_id: d.account.currency for d in diffs}
    events = []
    for position in sorted(changes):
        described = reads.history_row(position)
        events.append({
            "position": position,
            "type": described.type if described else "",
            "summary": described.summary if described else "",
            "changes": {a: decimal_string(v, currency[a]) for a, v in changes[position].items()},
        })  # fmt: skip
    return {"from": _point(first), "to": _point(second), "accounts": accounts, "events": events}
