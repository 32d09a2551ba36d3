"""The subcommands that read a book: ``balances``, ``history`` and ``verify``."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from app.cli.book_files import BookUnusable, open_readable
from app.cli.history_filter import filter_from_args
from app.cli.output import complain, emit
from domain.model.errors import BookError
from domain.model.money import decimal_string
from domain.projections.history_filter import find_account
from domain.projections.rows import PATH_SEPARATOR, account_paths

if TYPE_CHECKING:
    from domain.store.base import StoredEvent

_HISTORY_PAGE = 1000


def cmd_balances(args: argparse.Namespace) -> int:
    book = open_readable(args.book)
    try:
        head = book.store.head()[0]
        as_of = head if args.as_of is None else args.as_of
        if not 0 <= as_of <= head:
            complain(f"--as-of {as_of} is outside 0..{head}")
            return 1
        rows = book.read_models.accounts(as_of)
        paths = account_paths(rows)
        accounts = [
            {
                "id": row.account_id,
                "name": row.name,
                "path": PATH_SEPARATOR.join(paths[row.account_id]),
                "parent_id": row.parent_id,
                "type": row.account_type.value,
                "currency": row.currency,
                "balance": decimal_string(row.balance, row.currency),
                "closed": row.closed,
            }
            for row in rows
        ]
    finally:
        book.close()
    emit(sys.stdout, {"as_of": as_of, "head": head, "accounts": accounts})
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from app import maintenance

    if args.receipt is not None or args.write_receipt is not None:
        from app.cli.receipt_command import cmd_verify_receipt

        return cmd_verify_receipt(args)
    # read-only and the store alone: verification must not depend on the read models
    try:
        report = maintenance.verify(args.book, expect_head=args.expect_head)
    except BookError as exc:
        raise BookUnusable(str(exc)) from exc
    head = {"position": report.head_position, "hash": report.head_hash}
    if report.ok:
        emit(
            sys.stdout,
            {
                "ok": True,
                "events": report.events,
                "head": head,
                "expect_head": report.head_text(),
                "page_check": report.page_check,
            },
        )
        return 0
    emit(
        sys.stdout,
        {
            "ok": False,
            "events": report.events,
            "first_bad_position": report.first_bad_position,
            "problem": report.problem,
            "message": str(report.details.get("message", report.problem)),
            "page_check": report.page_check,
        },
    )
    return 1


def cmd_history(args: argparse.Namespace) -> int:
    book = open_readable(args.book)
    try:
        account_id = None
        if args.account is not None:
            account_id = find_account(book.read_models.accounts(), args.account)
            if account_id is None:
                complain(f"--account {args.account!r}: no account has this id or name")
                return 1
        keep = filter_from_args(args, account_id)
        offset = args.from_position - 1
        remaining = args.limit
        while remaining is None or remaining > 0:
            # --limit counts the events kept: with a filter, read whole pages
            whole = remaining is None or keep.active
            page = _HISTORY_PAGE if whole else min(remaining, _HISTORY_PAGE)
            events = book.events.events_after(offset, page)
            if not events:
                break
            rows = {r.position: r for r in book.read_models.history(offset, page)}
            summaries = {position: r.summary for position, r in rows.items()}
            for stored in events:
                if remaining == 0 or not keep.matches(stored, rows.get(stored.position)):
                    continue
                sys.stdout.write(json.dumps(_event_json(stored, summaries), ensure_ascii=False))
                sys.stdout.write("\n")
                remaining = None if remaining is None else remaining - 1
            offset += len(events)
        sys.stdout.flush()
    finally:
        book.close()
    return 0


def _event_json(stored: StoredEvent, summaries: dict[int, str]) -> dict[str, Any]:
    return {
        "position": stored.position,
        "recorded_at": stored.recorded_at.isoformat(),
        "stream_id": stored.stream_id,
        "stream_version": stored.stream_version,
        "type": stored.type,
        "schema_version": stored.schema_version,
        "data": dict(stored.data),
        "metadata": dict(stored.metadata),
        "also_in": list(stored.also_in),
        "hash": stored.hash.hex(),
        "summary": summaries.get(stored.position, ""),
    }
