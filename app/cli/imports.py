"""``tallybook-cli import`` and ``undo-import``: a bank statement in as one change, and out."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from app.cli.book_files import execute_on_book, open_book, open_readable
from app.cli.matches import chosen, possible_matches
from app.cli.output import complain, emit, error_json
from app.cli.statement_files import StatementUnreadable, read_profile, read_statements
from domain.model.categories import Proposal
from domain.model.commands import UndoImport
from domain.model.errors import BookError, DomainError, StoreError, UnknownAccount
from domain.model.events import Event, ImportUndone, StatementImported, from_data
from domain.model.import_command import import_command, sha256_of
from domain.model.importing import DUPLICATE
from domain.model.money import decimal_string
from domain.projections.payees import PayeeLearner, propose_categories

if TYPE_CHECKING:
    from app.composition import Book
    from domain.store.base import StoredEvent


def cmd_import(args: argparse.Namespace) -> int:
    try:
        data = args.file.read_bytes()
        profile = read_profile(args.profile) if args.profile else None
        read = read_statements(data, file_name=args.file.name, format=args.format, profile=profile)
    except OSError as exc:
        complain(f"{args.file}: {exc.strerror or exc}")
        return 1
    except StatementUnreadable as exc:
        complain(f"{args.file}: {exc}")
        return 1
    errors = [{"line": e.line, "message": e.message} for s in read.statements for e in s.errors]
    book = open_readable(args.book) if args.dry_run else open_book(args.book, create=False)
    try:
        answer = _import(book, args, data, read.statements, errors)
    except (DomainError, StoreError) as exc:
        if isinstance(exc, BookError):
            raise
        answer = {**error_json(exc), "errors": errors}
    finally:
        book.close()
    if answer.get("ok"):
        answer["mapping"], answer["notes"] = read.mapping, read.notes
    emit(sys.stdout, answer)
    return 0 if answer.get("ok") else 1


def _import(
    book: Book, args: argparse.Namespace, data: bytes, statements: Any, errors: list[Any]
) -> dict[str, Any]:
    if errors and not args.skip_bad_rows:
        return {
            "ok": False,
            "error": f"{len(errors)} row{'s' if len(errors) > 1 else ''} of {args.file.name} "
            f"do not parse (the first: line {errors[0]['line']}, {errors[0]['message']}); "
            "nothing was written: fix the file, or import the others with --skip-bad-rows",
            "error_type": "InvalidStatement",
            "errors": errors,
        }
    account_id = _account_id(book, args.account)
    command = import_command(
        statements, account_id=account_id, file_name=args.file.name, sha256=sha256_of(data)
    )
    decided = book.service.preview(command)
    matches = possible_matches(book, account_id, decided)
    picked: dict[int, str] = {}
    if args.accept_matches and matches:
        picked = chosen(matches)
        taken = set(picked.values())  # what is linked is no one else's match
        matches = [m for m in matches if m.line not in picked and m.entry.entry_id not in taken]
    proposals = propose_categories(PayeeLearner(book.store), command, book.service.account)
    proposals = {line: p for line, p in proposals.items() if line not in picked}
    categories = {line: p.account_id for line, p in proposals.items()}
    if picked or (args.accept_categories and categories):
        command = import_command(
            statements, account_id=account_id, file_name=args.file.name,
            sha256=sha256_of(data), matches=picked,
            categories=categories if args.accept_categories else None,
        )  # fmt: skip
        decided = book.service.preview(command)
    header = decided[0]
    assert isinstance(header, StatementImported)
    stored: list[StoredEvent] = []
    # a file with nothing new writes nothing
    if (header.rows or header.linked) and not args.dry_run:
        stored = book.service.execute(command)
        header = _decoded(stored[0])
        assert isinstance(header, StatementImported)
    written = bool(stored)
    return {
        "ok": True,
        "dry_run": bool(args.dry_run),
        "import_id": header.import_id if written else None,
        "command_id": command.command_id if written else None,
        "account": book.service.account(account_id).name,
        "file": header.file_name,
        "sha256": header.sha256,
        "format": header.format,
        "period": [header.first_date, header.last_date] if header.first_date else None,
        "rows": header.row_count,
        "new": len(header.rows),
        "duplicates": [
            {"line": s.line, "reason": s.reason} for s in header.skipped if s.kind == DUPLICATE
        ],
        "skipped": [
            {"line": s.line, "reason": s.reason} for s in header.skipped if s.kind != DUPLICATE
        ],
        "possible_matches": [
            {
                "line": m.line,
                "entry_id": m.entry.entry_id,
                "booking_date": m.entry.booking_date.isoformat(),
                "payee": m.entry.payee,
                "amount": decimal_string(m.entry.amount, header.currency),
                "kind": "other side of a transfer" if m.other_side else "same account",
            }
            for m in matches
        ],
        "linked": [{"line": r.line, "entry_id": r.entry_id} for r in header.linked],
        "replaced": [{"entry_id": r.entry_id, "by": r.by} for r in header.replaced],
        "proposed_categories": _proposed(book, header, proposals, args.accept_categories),
        "errors": errors,
        "balances": {
            b.kind: {"amount": decimal_string(b.amount, header.currency), "on": b.on or None}
            for b in header.balances
        },
        "balance_mismatches": [
            {
                "on": m.on,
                "statement": decimal_string(m.stated, header.currency),
                "books": decimal_string(m.booked, header.currency),
                "difference": decimal_string(m.stated - m.booked, header.currency),
            }
            for m in header.mismatches
        ],
        "positions": [e.position for e in stored],
    }


def _proposed(
    book: Book, header: StatementImported, proposals: dict[int, Proposal], accepted: bool
) -> list[dict[str, Any]]:
    """Each new row's proposed counter-account (learned from the payees of earlier entries)
    and whether the import used it."""
    new = {r.line for r in header.rows}
    return [
        {
            "line": line,
            "proposed_category": {
                "account_id": p.account_id,
                "name": book.service.account(p.account_id).name,
                "reason": p.reason,
            },
            "accepted": accepted,
        }
        for line, p in sorted(proposals.items())
        if line in new
    ]


def _account_id(book: Book, given: str) -> str:
    """The account ``--account`` names: by name (any case), else by id."""
    chart = book.service.chart()
    found = chart.id_for(given)
    if found is None and given in chart.display:
        found = given
    if found is None:
        raise UnknownAccount(f"there is no account named {given!r}")
    return found


def _decoded(stored: StoredEvent) -> Event:
    return from_data(stored.type, stored.schema_version, stored.data)


def cmd_undo_import(args: argparse.Namespace) -> int:
    done = execute_on_book(
        args.book, lambda _book: UndoImport(import_id=args.import_id, reason=args.reason)
    )
    if done is None:
        return 1
    command, stored = done
    undone = _decoded(stored[0])
    assert isinstance(undone, ImportUndone)
    emit(
        sys.stdout,
        {
            "ok": True,
            "import_id": undone.import_id,
            "command_id": command.command_id,
            "voided": [row.entry_id for row in undone.voided],
            "kept": [{"entry_id": k.entry_id, "reason": k.reason} for k in undone.kept],
            "positions": [e.position for e in stored],
        },
    )
    return 0
