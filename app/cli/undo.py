"""``undo`` and ``undo --redo``: take back the CLI's last change (or its last undo)."""

from __future__ import annotations

import argparse
import sys

from app.cli.book_files import open_book
from app.cli.output import emit, error_json
from domain.model.commands import Command, RedoChange, UndoChange
from domain.model.errors import BookError, DomainError, StoreError, UndoRefused


def cmd_undo(args: argparse.Namespace) -> int:
    """Undo (or redo) what the top of this program's stack names; exit 1 if refused."""
    book = open_book(args.book, create=False)
    what = "redo" if args.redo else "undo"
    try:
        stacks = book.service.undo_stacks()
        step = stacks.redo if args.redo else stacks.undo
        if step is None:
            raise UndoRefused(f"there is nothing of the CLI's to {what} in this book")
        command: Command = (
            RedoChange(redoes=step.command_id)
            if args.redo
            else UndoChange(undoes=step.command_id)
        )
        stored = book.service.execute(command)
    except (DomainError, StoreError) as exc:
        if isinstance(exc, BookError):
            raise
        emit(sys.stdout, error_json(exc))
        return 1
    finally:
        book.close()
    emit(
        sys.stdout,
        {
            "ok": True,
            "redid" if args.redo else "undid": step.summary,
            "change": step.command_id,
            "command_id": command.command_id,
            "positions": [e.position for e in stored],
        },
    )
    return 0
