"""``diff BOOK --from P --to Q``: each account's balance at two positions, and the events
between that make the difference."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from app.cli.book_files import open_readable
from app.cli.output import complain, emit
from domain.model.money import decimal_string
from domain.projections.diff import balance_changes
from domain.projections.rows import PATH_SEPARATOR, account_paths

_PAGE = 1000


def cmd_diff(args: argparse.Namespace) -> int:
    book = open_readable(args.book)
    try:
        head = book.store.head()[0]
        start, end = args.from_position, head if args.to_position is None else args.to_position
        if not 0 <= start <= end <= head:
            complain(f"--from {start} --to {end}: need 0 <= from <= to <= head ({head})")
            return 1
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
