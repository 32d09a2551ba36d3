"""``tallybook-cli export --format events`` and ``import-events``: a whole book as JSON lines
(``domain.store.event_lines``), read back into a new book with the same head."""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path

from app.cli.book_files import BookUnusable
from app.cli.copy_book import create_event_store, open_event_store
from app.cli.output import complain, emit
from domain.store.event_lines import EventLinesError, LinesSource, write_lines


def cmd_export(args: argparse.Namespace) -> int:
    """Write every event of the book to standard output, one JSON object per line."""
    store = open_event_store(args.book, readonly=True)
    try:
        write_lines(store.row_source(), store.info(), store.head(), sys.stdout)
        sys.stdout.flush()
    finally:
        store.close()
    return 0


def cmd_import_events(args: argparse.Namespace) -> int:
    """Make the new book ``args.book`` from the JSON lines on standard input; verify it."""
    try:
        source = LinesSource(iter(sys.stdin))
    except EventLinesError as exc:
        complain(f"standard input: {exc}; nothing was created")
        return 1
    try:
        target = create_event_store(args.book, source.info)
    except FileExistsError:
        raise BookUnusable(
            f"{args.book}: something is there already; events are imported into a new book only"
        ) from None
    except OSError as exc:
        raise BookUnusable(f"{args.book}: {exc.strerror or exc}") from exc
    upto, digest = source.head
    try:
        try:
            target.load_rows(source, upto, then=source.finish)
        except EventLinesError as exc:
            target.close()
            return _refuse(args.book, f"standard input: {exc}")
        report = target.verify()
        head = target.head()
    finally:
        target.close()
    if not report.ok:
        why = str(report.details.get("message", report.problem))
        at = report.first_bad_position
        return _refuse(args.book, f"the imported events do not verify at event {at}: {why}")
    if head != (upto, digest):
        return _refuse(
            args.book,
            f"the imported book ends at event {head[0]} ({head[1].hex()[:12]}…), not at the "
            f"head its first line names ({upto}, {digest.hex()[:12]}…)",
        )
    head_json = {"position": upto, "hash": digest.hex()}
    emit(sys.stdout, {"ok": True, "imported": upto, "head": head_json, "verified": True})
    return 0


def _refuse(book: Path | str, why: str) -> int:
    """Say ``why`` and take the new book away again (a file; a shared book stays, empty)."""
    if isinstance(book, Path):
        for name in (book, book.with_name(book.name + "-wal"), book.with_name(book.name + "-shm")):
            with contextlib.suppress(FileNotFoundError):
                name.unlink()
        complain(f"{why}; {book} was not created")
    else:
        complain(f"{why}; the shared book is left empty")
    return 1
