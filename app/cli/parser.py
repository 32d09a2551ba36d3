"""The command line of ``tallybook-cli``: its subcommands, their arguments and --help text."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, NoReturn

from app.cli.arg_types import (
    book_argument,
    diff_point,
    expected_head,
    iso_date,
    moment,
    non_negative,
    positive,
)
from app.cli.json_commands import commands_help
from app.cli.output import PROG


class _Parser(argparse.ArgumentParser):
    """Usage errors exit 1: status 2 is kept for "not a usable book"."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(1, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with --help text for every subcommand."""
    parser = _Parser(
        prog=PROG,
        description="Work with a Tallybook book (an event-sourced, hash-chained SQLite file) "
        "from scripts. Output is JSON.",
        epilog="Exit status: 0 success; 1 a command failed, the book fails verification or "
        "the arguments are wrong; 2 the file is not a usable book (it is left untouched).",
    )
    sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

    def add(name: str, summary: str, description: str) -> argparse.ArgumentParser:
        p = sub.add_parser(
            name,
            help=summary,
            description=description,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        p.add_argument(
            "book",
            type=book_argument,
            metavar="BOOK",
            help="path of the book file, or postgresql://... of a shared book",
        )
        return p

    apply = add(
        "apply",
        "execute JSON-lines commands read from stdin",
        "Read one JSON command per line from stdin and execute each atomically, creating\n"
        "BOOK if it does not exist; the lines already waiting on stdin are committed together\n"
        "(each in a savepoint of its own). For each line print one JSON line once it is\n"
        'committed: {"line": n, "ok": true, "command_id": ..., "positions": [...],\n'
        '"ids": {...}} or {"line": n, "ok": false, "error": ..., "error_type": ...}.\n'
        "A bad line (bad JSON, unknown command, missing, extra or mistyped field, a broken\n"
        'rule) appends nothing and the run goes on. Amounts are decimal strings ("12.34"),\n'
        "dates YYYY-MM-DD; any *account_id field may be given by name as *account instead.\n"
        "A command sent again with its command_id appends nothing and answers as the first\n"
        "time; the same command_id with another command is refused (CommandIdReused).\n"
        "Exit 0 if every command succeeded, else 1; 2 (one line on stderr, nothing appended)\n"
        "if BOOK is not a usable book or its history is broken (see verify).\n\n"
        "Commands and their fields ([optional]):\n" + commands_help() + "\n\n"
        'Example: echo \'{"command": "open_account", "name": "Checking", "account_type":\n'
        '  "asset", "currency": "EUR", "opening_date": "2024-01-01"}\' | tallybook-cli apply b.tb',
    )
    apply.add_argument(
        "--no-group",
        action="store_true",
        help="commit each line on its own, even while more are waiting (slower; the lines "
        "waiting are otherwise committed together, each still atomic)",
    )
    balances = add(
        "balances",
        "print every account and its balance",
        "Print one JSON object: as_of, head and accounts, each with id, name, type, currency,\n"
        "balance (a decimal string, natural sign) and closed.",
    )
    balances.add_argument(
        "--as-of",
        type=non_negative,
        metavar="POSITION",
        help="balances as of this event position (default: the head)",
    )
    verify = add(
        "verify",
        "walk the hash chain and report the first bad event",
        "Check every event's hash against the chain, then run SQLite's PRAGMA integrity_check\n"
        'on the file. Exit 0 printing {"ok": true, "events": N, "head": {"position": P,\n'
        '"hash": HEX}, "expect_head": "P:HEX", "page_check": "PRAGMA integrity_check"}, or\n'
        'exit 1 printing {"ok": false, "events": N, "first_bad_position": P, "problem": KIND,\n'
        '"message": TEXT, "page_check": ...}. KIND: damaged, altered, inserted, removed,\n'
        "reordered, damaged pages (first_bad_position null), head differs, head missing.\n"
        "Exit 2 with one line on stderr if BOOK is not a usable book.",
    )
    verify.add_argument(
        "--expect-head",
        type=expected_head,
        metavar="POSITION:HASH",
        help="a head written down earlier (verify prints it as expect_head): exit 1 if the "
        "book's hash at POSITION differs or the book no longer reaches it",
    )
    receipt = verify.add_mutually_exclusive_group()
    receipt.add_argument(
        "--receipt",
        type=Path,
        metavar="FILE",
        help="check the book against a receipt saved earlier: print {ok, outcome, message, "
        "receipt}; exit 0 if the book still has the receipt's hash at its position, 1 if not "
        "(outcome differs, missing, other book or broken), 2 if FILE is no receipt",
    )
    receipt.add_argument(
        "--write-receipt",
        type=Path,
        metavar="FILE",
        help="verify, then save the receipt of the verified head to FILE (JSON: book_id, "
        "events, head_position, head_hash, verified_at, app_version)",
    )
    history = add(
        "history",
        "print recorded events as JSON lines",
        "Print one JSON line per recorded event in position order: position, recorded_at,\n"
        "stream_id, stream_version, type, schema_version, data, metadata, also_in, hash and\n"
        "summary (the event described for people).",
    )
    history.add_argument(
        "--from",
        dest="from_position",
        type=positive,
        default=1,
        metavar="P",
        help="first position to print (default 1)",
    )
    history.add_argument(
        "--limit", type=non_negative, metavar="N", help="print at most N events (default: all)"
    )
    _history_filters(history)
    diff = add(
        "diff",
        "each account's balance at two points (positions or booking dates), and what is between",
        'Print one JSON object: from, to, accounts (each id, name, currency, and "before",\n'
        '"after" and "difference" as decimal strings, natural sign) and events, those at\n'
        "positions from+1 .. to, each with position, type, summary and changes (account id:\n"
        "decimal string); an account's difference is the sum of its changes. A point is a\n"
        "position P, a date YYYY-MM-DD (the books as of the end of that booking date, as\n"
        "recorded up to the head) or P@YYYY-MM-DD; with a date, events are those whose rows\n"
        "one point counts and the other does not (a row the later point no longer counts\n"
        "changes its account by minus its amount).",
    )
    diff.add_argument(
        "--from",
        dest="from_point",
        type=diff_point,
        default=(0, None),
        metavar="P",
        help="the earlier point (default 0: the empty book)",
    )
    diff.add_argument("--to", dest="to_point", type=diff_point, default=(None, None),
                      metavar="Q", help="the later point (default: the head)")  # fmt: skip
    generate = add(
        "generate",
        "write a deterministic sample book",
        "Fill a new BOOK with a realistic household: ACCOUNTS accounts of every type, then\n"
        "COMMANDS commands (salaries, rent, groceries, card purchases and payoffs, savings,\n"
        "voids, back-dated entries, a rename, a closed account). The same seed gives the same\n"
        "commands, ids, dates and balances. Prints one JSON summary line.",
    )
    generate.add_argument(
        "--accounts",
        type=positive,
        default=20,
        metavar="A",
        help="number of accounts, at least 8 (default 20)",
    )
    generate.add_argument(
        "--commands",
        type=non_negative,
        default=1000,
        metavar="N",
        help="number of commands after opening the accounts (default 1000)",
    )
    generate.add_argument(
        "--seed", type=int, default=0, metavar="S", help="random seed (default 0)"
    )
    generate.add_argument(
        "--batch",
        type=positive,
        default=1000,
        metavar="K",
        help="commands per transaction (default 1000)",
    )
    generate.add_argument(
        "--currency", default="EUR", metavar="CODE", help="main currency (default EUR)"
    )
    new = add(
        "new",
        "start a new book from a chart of accounts",
        "Open the accounts of TEMPLATE (household, freelancer or club) in the new BOOK, in\n"
        "one transaction: assets, liabilities, income and expense categories, each asset and\n"
        "liability with the opening balance given by --balance (zero otherwise). Prints one\n"
        "JSON summary line.",
    )
    new.add_argument("--template", required=True, metavar="TEMPLATE",
                     help="household, freelancer or club")  # fmt: skip
    new.add_argument("--currency", default="EUR", metavar="CODE",
                     help="the accounts' currency (default EUR)")  # fmt: skip
    new.add_argument("--date", type=iso_date, metavar="YYYY-MM-DD",
                     help="the opening date (default today)")  # fmt: skip
    new.add_argument("--balance", action="append", default=[], metavar="NAME=AMOUNT",
                     help="an opening balance, e.g. Checking=1234.56 (repeatable)")  # fmt: skip
    copy = add(
        "copy",
        "copy a book event by event into a new book (a file or a postgresql:// book)",
        "Copy every event of BOOK into the new book TARGET with the same positions, data,\n"
        "metadata, recorded times and hashes (and the same book id), then verify TARGET.\n"
        'Either may be a file or a postgresql:// address. Prints {"ok": true, "copied": N,\n'
        '"head": {"position": P, "hash": HEX}, "verified": true}; exit 1 if TARGET does not\n'
        "verify to the same head, 2 if BOOK is unusable or TARGET already holds something.",
    )
    copy.add_argument("target", type=book_argument, metavar="TARGET", help="the new book")
    export = add(
        "export",
        "write a book's events as JSON lines, or its entries as hledger or CSV",
        "--format events: BOOK as JSON lines: a first line describing the book and its head,\n"
        "one line per event exactly as stored (data and metadata texts, recorded time, hash),\n"
        'a closing line. The README\'s "File formats" section describes it; import-events\n'
        "reads it back. --format hledger: an hledger journal of the entries up to --as-of;\n"
        "--format csv: their register rows (one account's with a running balance).",
    )
    export.add_argument(
        "--format",
        choices=["events", "hledger", "csv"],
        required=True,
        help="events: the lossless event log; hledger: a journal of the entries (voids "
        "included) that hledger reads; csv: the register rows of every account, or --account",
    )
    export.add_argument(
        "--as-of", type=non_negative, metavar="POSITION",
        help="hledger, csv: the entries up to this event position (default: the head)",
    )  # fmt: skip
    export.add_argument("--account", metavar="A", help="csv: only this account (id or name)")
    add(
        "import-events",
        "make a new book from JSON lines written by export --format events",
        "Read an export --format events file on standard input into the new book BOOK (a file\n"
        'or a postgresql:// book), then verify it. Prints {"ok": true, "imported": N,\n'
        '"head": {...}, "verified": true}; exit 1 (and no new book file) if the text is not a\n'
        "whole, well-formed export or does not verify to the head it names, 2 if BOOK exists.",
    )
    _add_import(add)
    _add_report(add)
    return parser


def _add_report(add: Any) -> None:
    from domain.projections.reports import KINDS

    report = add(
        "report",
        "print a report as known at a point",
        "Print one JSON object: the report KIND for a booking date (balance-sheet, --date,\n"
        "default today) or period (--from/--to, default the calendar year of --to) as the book\n"
        "knew it at --known-at (an event position, or a recording date-time: the last event\n"
        "recorded at or before it; a bare date means its end, UTC; default the head). Sections\n"
        "of lines with id, name, currency and amount (decimal string, natural sign), per-\n"
        "currency totals and checks. --compare-now adds the figures now, the difference per\n"
        "line and the events recorded after --known-at that made it.",
    )
    report.add_argument("kind", choices=KINDS, metavar="KIND", help=", ".join(KINDS))
    report.add_argument("--date", type=iso_date, metavar="D", help="balance-sheet date")
    report.add_argument("--from", dest="first", type=iso_date, metavar="D", help="period start")
    report.add_argument("--to", dest="last", type=iso_date, metavar="D", help="period end")
    report.add_argument("--known-at", metavar="P|TIME", help="position or ISO date-time")
    report.add_argument("--compare-now", action="store_true", help="add the figures as known now")
    report.add_argument(
        "--csv", action="store_true", help="print the report's rows as CSV instead of JSON"
    )
    report.add_argument(
        "--compare-previous",
        action="store_true",
        help="income-statement: add the previous period of the same length",
    )
    report.add_argument("--step", choices=("month", "day"), help="net-worth: points at "
                        "month ends (default) or on every day")  # fmt: skip
    report.add_argument("--account", metavar="A",
                        help="cash-flow: one asset account (id or name) instead of all")


def _add_import(add: Any) -> None:
    """``import`` and ``undo-import``."""
    statement = add(
        "import",
        "import a bank statement file into an account, as one change",
        "Read FILE (CSV, OFX/QFX, CAMT.053, MT940 or QIF; the format is detected unless\n"
        "--format says) and import its rows into ACCOUNT as one change: an entry per new row,\n"
        "against the account Uncategorised (opened if need be). Rows already imported into\n"
        "the account (same bank id, or same date, amount, text and occurrence in the file),\n"
        "voided ones included, are skipped; a file with nothing new writes nothing. Prints one\n"
        "JSON object: new, duplicates, skipped, possible_matches, linked, errors, positions,\n"
        "import_id and, for a CSV, the mapping it was read with (save it to pass as --profile).\n"
        "Rows that do not parse make it write nothing, unless --skip-bad-rows.",
    )
    statement.add_argument("file", type=Path, metavar="FILE", help="the statement file")
    statement.add_argument("--account", required=True, metavar="A", help="account name or id")
    statement.add_argument(
        "--format", metavar="F", help="csv, ofx, camt053, mt940 or qif (default: detected)"
    )
    statement.add_argument(
        "--profile", type=Path, metavar="P", help="a JSON file with the CSV mapping to use"
    )
    statement.add_argument(
        "--dry-run", action="store_true", help="say what it would do; write nothing"
    )
    statement.add_argument(
        "--accept-matches",
        action="store_true",
        help="link rows to entries already there (same amount, within 7 days)",
    )
    statement.add_argument(
        "--accept-categories",
        action="store_true",
        help="book rows against the proposed counter-accounts, not Uncategorised",
    )
    statement.add_argument(
        "--skip-bad-rows",
        action="store_true",
        help="import the rows that parse, without the others",
    )
    undo = add(
        "undo-import",
        "void every entry of an import, as one change",
        "Void each entry IMPORT_ID created that is not voided already (each on its own booking\n"
        "date), as one change, and print one JSON object: voided (entry ids), kept (entry id\n"
        "and why) and positions. Its rows may then be imported again.",
    )
    undo.add_argument("import_id", metavar="IMPORT_ID", help="the import_id import answered")
    undo.add_argument("--reason", default="", help="why (default: 'import IMPORT_ID undone')")
    undo_last = add(
        "undo",
        "take back the CLI's last change in the book (or, with --redo, its last undo)",
        "Record the compensating events of the last change the CLI made that is still in\n"
        "force (a void, a reopening, a rename back, …) and a CommandUndone naming it; refused\n"
        "(exit 1, nothing written) once another author or program changed the book since.\n"
        "Prints one JSON object: undid (what), change, command_id and positions.",
    )
    undo_last.add_argument("--redo", action="store_true", help="take back the last undo")
    reconcile = add(
        "reconcile",
        "record that a statement's ending balance is matched by the account's entries",
        "Tick ENTRIES (default: every entry of ACCOUNT up to DATE not voided and not\n"
        "reconciled yet) and record the reconciliation if, with those reconciled before, they\n"
        "add up to BALANCE (natural sign); else exit 1 naming the difference, writing nothing.\n"
        "Prints one JSON object: cleared (entry ids), positions.",
    )
    reconcile.add_argument("--account", required=True, metavar="A", help="account name or id")
    reconcile.add_argument("--date", required=True, type=iso_date, metavar="D", help="YYYY-MM-DD")
    reconcile.add_argument("--balance", required=True, metavar="B", help='e.g. "1234.56"')
    reconcile.add_argument("--entries", nargs="+", metavar="E", help="the entry ids it shows")


def _history_filters(history: argparse.ArgumentParser) -> None:
    """history's filters: each one given must hold; --limit counts the events kept."""
    add = history.add_argument
    add("--search", metavar="TEXT", help="TEXT (ignoring case) in the summary, the account "
        "names as they were, the author, the command id or any text of the event's data "
        "(payee, memo, reason, name)")  # fmt: skip
    add("--type", metavar="T", help="events of this type only (EntryPosted, AccountRenamed, …)")
    add("--account", metavar="A", help="events naming this account (id or current name): its "
        "own, and those of every entry, import or reconciliation that touched it")  # fmt: skip
    add("--from-date", type=iso_date, metavar="D", help="booking date on or after D (YYYY-MM-DD); "
        "events without a booking date are left out")  # fmt: skip
    add("--to-date", type=iso_date, metavar="D", help="booking date on or before D")
    add("--recorded-from", type=moment, metavar="T",
        help="recorded at or after T (ISO 8601; UTC unless it has an offset)")  # fmt: skip
    add("--recorded-to", type=moment, metavar="T", help="recorded at or before T")
