"""``verify --receipt FILE`` and ``verify --write-receipt FILE``: receipts of a verified head.

A receipt (``domain.application.receipts``) is the head a verification found, kept in a
small JSON file; checking a book against it exposes a chain recomputed after it was made.
"""

from __future__ import annotations

import argparse
import sys

from app.cli.book_files import BookUnusable
from app.cli.output import complain, emit
from domain.application.receipts import ReceiptError, read_receipt
from domain.model.errors import BookError


def cmd_verify_receipt(args: argparse.Namespace) -> int:
    """Check the book against ``--receipt`` (exit 0 if it holds, 1 if not), or verify and
    write the receipt to ``--write-receipt`` (exit 1 if the chain is broken)."""
    from app import maintenance
    from app.composition import app_version

    try:
        if args.receipt is not None:
            try:
                receipt = read_receipt(args.receipt)
            except ReceiptError as exc:
                complain(str(exc))
                return 2
            found = maintenance.check_receipt(args.book, receipt)
            emit(sys.stdout, found.to_dict())
            return 0 if found.ok else 1
        report, made = maintenance.verify_for_receipt(args.book, app_version=app_version())
    except BookError as exc:
        raise BookUnusable(str(exc)) from exc
    if made is None:
        said = str(report.details.get("message", report.problem))
        emit(sys.stdout, {"ok": False, "events": report.events,
                          "first_bad_position": report.first_bad_position,
                          "problem": report.problem, "message": said})  # fmt: skip
        return 1
    try:
        args.write_receipt.write_text(made.to_json(), encoding="utf-8")
    except OSError as exc:
        complain(f"cannot write the receipt {args.write_receipt}: {exc}")
        return 2
    emit(sys.stdout, {"ok": True, "events": report.events, "receipt": made.to_dict(),
                      "written_to": str(args.write_receipt)})  # fmt: skip
    return 0
