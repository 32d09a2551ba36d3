"""The subcommands that read a book: ``balances``, ``history`` and ``verify``."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from app.cli.book_files import BookUnusable, open_readable
from app.cli.output import complain, emit
from domain.model.errors import BookError
from domain.model.money import decimal_string

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
        accounts = [
            {
                "id": row.account_id,
                "name": row.name,
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
        offset = args.from_position - 1
        remaining = args.limit
        while remaining is None or remaining > 0:
            page = _HISTORY_PAGE if remaining is None else min(remaining, _HISTORY_PAGE)
            events = book.events.events_after(offset, page)
            if not events:
                break
            summaries = {r.position: r.summary for r in book.read_models.history(offset, page)}
            for stored in events:
                sys.stdout.write(json.dumps(_event_json(stored, summaries), ensure_ascii=False))
                sys.stdout.write("\n")
            offset += len(events)
            remaining = None if remaining is None else remaining - len(events)
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
