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
import os
import sys
from collections.abc import Callable, Sequence

from app.cli.apply import cmd_apply
from app.cli.book_files import BookUnusable
from app.cli.copy_book import cmd_copy
from app.cli.diff import cmd_diff
from app.cli.event_files import cmd_export, cmd_import_events
from app.cli.generate import cmd_generate
from app.cli.imports import cmd_import, cmd_undo_import
from app.cli.output import complain
from app.cli.parser import build_parser
from app.cli.reconcile import cmd_reconcile
from app.cli.report_command import cmd_report
from app.cli.reports import cmd_balances, cmd_history, cmd_verify
from domain.model.errors import BookError

_ACTIONS: dict[str, Callable[[argparse.Namespace], int]] = {
    "apply": cmd_apply,
    "balances": cmd_balances,
    "verify": cmd_verify,
    "history": cmd_history,
    "diff": cmd_diff,
    "generate": cmd_generate,
    "import": cmd_import,
    "undo-import": cmd_undo_import,
    "reconcile": cmd_reconcile,
    "report": cmd_report,
    "copy": cmd_copy,
    "export": cmd_export,
    "import-events": cmd_import_events,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``tallybook-cli``; returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        return _ACTIONS[args.action](args)
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
