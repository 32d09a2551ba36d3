"""``undo`` and ``undo --redo``: take back the CLI's last change (or its last undo)."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from app.cli.book_files import execute_on_book
from app.cli.output import emit
from domain.model.commands import Command, RedoChange, UndoChange
from domain.model.errors import UndoRefused

if TYPE_CHECKING:
    from app.composition import Book
    from domain.application.undo_stack import Step


def cmd_undo(args: argparse.Namespace) -> int:
    """Undo (or redo) what the top of this program's stack names; exit 1 if refused."""
    what = "redo" if args.redo else "undo"
    steps: list[Step] = []

    def build(book: Book) -> Command:
        stacks = book.service.undo_stacks()
        step = stacks.redo if args.redo else stacks.undo
        if step is None:
            raise UndoRefused(f"there is nothing of the CLI's to {what} in this book")
        steps.append(step)
        if args.redo:
            return RedoChange(redoes=step.command_id)
        return UndoChange(undoes=step.command_id)

    done = execute_on_book(args.book, build)
    if done is None:
        return 1
    (command, stored), step = done, steps[0]
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
