"""``tallybook-cli export --format hledger|csv``: the entries as an hledger journal, or as a
register CSV of one account or all of them (``domain.projections.journal``)."""

from __future__ import annotations

import argparse
import sys

from app.cli.copy_book import open_event_store
from app.cli.output import complain
from domain.projections.journal import Books, read_books, write_hledger, write_register_csv


def _account(books: Books, wanted: str) -> str | None:
    """The id of the account ``wanted`` names (its id, or its name as at the point)."""
    if wanted in books.accounts:
        return wanted
    matches = [a.account_id for a in books.accounts.values() if a.name == wanted]
    return matches[0] if matches else None


def cmd_export_entries(args: argparse.Namespace) -> int:
    """Write the journal or the CSV of the events up to ``--as-of`` (default the head)."""
    if args.account is not None and args.format != "csv":
        complain("--account is for --format csv only")
        return 1
    store = open_event_store(args.book, readonly=True)
    try:
        head = store.head()[0]
        as_of = head if args.as_of is None else args.as_of
        if not 0 <= as_of <= head:
            complain(f"--as-of {as_of} is outside 0..{head}")
            return 1
        books = read_books(store.read_all(0, as_of))
    finally:
        store.close()
    if args.format == "hledger":
        write_hledger(books, sys.stdout, title=f"{args.book}, as of event #{as_of} of {head}")
    else:
        account_id = None
        if args.account is not None:
            account_id = _account(books, args.account)
            if account_id is None:
                complain(f"no account {args.account!r} in the book as of event #{as_of}")
                return 1
        write_register_csv(books, sys.stdout, account_id)
    sys.stdout.flush()
    return 0
