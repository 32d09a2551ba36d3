"""``tallybook-cli reconcile``: record that a statement's balance is matched by entries."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from app.cli import json_values
from app.cli.book_files import execute_on_book
from app.cli.output import emit
from domain.model.commands import Command, Reconcile
from domain.model.errors import UnknownAccount

if TYPE_CHECKING:
    import datetime as dt

    from app.composition import Book

_PAGE = 5000


def cmd_reconcile(args: argparse.Namespace) -> int:
    def build(book: Book) -> Command:
        account_id = _account_id(book, args.account)
        entries = (
            args.entries if args.entries is not None else _open_entries(book, account_id, args.date)
        )
        return Reconcile(
            account_id=account_id,
            statement_date=args.date,
            balance=json_values.amount(args.balance, "--balance"),
            entry_ids=tuple(entries),
        )

    done = execute_on_book(args.book, build)
    if done is None:
        return 1
    command, stored = done
    assert isinstance(command, Reconcile)
    emit(
        sys.stdout,
        {
            "ok": True,
            "account": args.account,
            "statement_date": args.date.isoformat(),
            "balance": args.balance,
            "cleared": list(command.entry_ids),
            "command_id": command.command_id,
            "positions": [e.position for e in stored],
        },
    )
    return 0


def _account_id(book: Book, given: str) -> str:
    chart = book.service.chart()
    found = chart.id_for(given) or (given if given in chart.display else None)
    if found is None:
        raise UnknownAccount(f"there is no account named {given!r}")
    return found


def _open_entries(book: Book, account_id: str, day: dt.date) -> list[str]:
    """The account's entries up to ``day`` not voided and not reconciled yet."""
    done = book.service.reconciliation(account_id).entries
    count = book.read_models.register_count(account_id)
    chosen: list[str] = []
    for offset in range(0, count, _PAGE):
        for row in book.read_models.register(account_id, offset=offset, limit=_PAGE):
            if row.booking_date > day:
                return list(dict.fromkeys(chosen))
            if not row.is_void and row.voided_by is None and row.entry_id not in done:
                chosen.append(row.entry_id)
    return list(dict.fromkeys(chosen))
