"""``tallybook-cli``: apply JSON-lines commands, read balances and history, verify, generate.

Commands arrive one JSON object per line, ``{"command": "deposit", ...}``, the ``command`` naming
a command as registered in :data:`domain.application.handlers.COMMANDS` and the other keys the
command's fields in snake_case (see :mod:`app.cli.json_commands`). Amounts are decimal strings
(a JSON number is refused: floats are never money), dates ``YYYY-MM-DD``. A field naming an
existing account (``account_id``, ``income_account_id``, …: those typed
:data:`~domain.model.commands.AccountRef`) may instead be given by the account's name under the
same key without ``_id`` (``"account": "Checking"`` for ``"account_id": "…"``,
``"from_account": "Savings"``, and in split lines ``{"account": "Rent", "amount": "-5"}``);
names match as the unique-name rule compares them (trimmed, any case).

Exit status: 0 all went well, 1 a command failed or the chain is broken, 2 the file is not a
usable book (nothing was written to it).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence

from app.cli.book_files import BookUnusable
from app.cli.output import complain
from app.cli.parser import build_parser
from domain.model.errors import BookError

# action -> (module, function): only the action run is imported (every apply paid for the
# modules of diff, import, report and the rest before its first line)
_ACTIONS: dict[str, tuple[str, str]] = {
    "apply": ("app.cli.apply", "cmd_apply"),
    "balances": ("app.cli.reports", "cmd_balances"),
    "verify": ("app.cli.reports", "cmd_verify"),
    "history": ("app.cli.reports", "cmd_history"),
    "diff": ("app.cli.diff", "cmd_diff"),
    "generate": ("app.cli.generate", "cmd_generate"),
    "new": ("app.cli.new_book", "cmd_new"),
    "import": ("app.cli.imports", "cmd_import"),
    "undo-import": ("app.cli.imports", "cmd_undo_import"),
    "undo": ("app.cli.undo", "cmd_undo"),
    "reconcile": ("app.cli.reconcile", "cmd_reconcile"),
    "report": ("app.cli.report_command", "cmd_report"),
    "copy": ("app.cli.copy_book", "cmd_copy"),
    "export": ("app.cli.event_files", "cmd_export"),
    "import-events": ("app.cli.event_files", "cmd_import_events"),
}


def action(name: str) -> Callable[[argparse.Namespace], int]:
    """The function that runs action ``name``."""
    module, function = _ACTIONS[name]
    run: Callable[[argparse.Namespace], int] = getattr(importlib.import_module(module), function)
    return run


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``tallybook-cli``; returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        return action(args.action)(args)
    except (BookUnusable, BookError) as exc:
        complain(str(exc))
        return 2
    except BrokenPipeError:
        # the reader went away (| head): stop quietly, without a second error at exit
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())
