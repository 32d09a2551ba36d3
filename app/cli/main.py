"""``tallybook-cli``: apply JSON-lines commands, read balances and history, verify, generate.

Commands arrive one JSON object per line, ``{"command": "deposit", ...}``, the ``command`` naming
a key of :data:`domain.model.commands.COMMAND_TYPES` and the other keys the command's fields in
snake_case. Amounts are decimal strings (a JSON number is refused: floats are never money), dates
``YYYY-MM-DD``. A field naming an existing account (``account_id``, ``income_account_id``, …,
see ``_ACCOUNT_REFS``) may instead be given by the account's name under the same key without
``_id`` (``"account": "Checking"`` for ``"account_id": "…"``,
``"from_account": "Savings"``, and in split lines ``{"account": "Rent", "amount": "-5"}``);
names match as the unique-name rule compares them (trimmed, any case).

Exit status: 0 all went well, 1 a command failed or the chain is broken, 2 the file is not a
usable book (nothing was written to it).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import re
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NoReturn, get_type_hints

from domain.model.commands import (
    COMMAND_TYPES,
    ENTRY_COMMANDS,
    Command,
    CorrectEntry,
    OpenAccount,
    SplitLine,
)
from domain.model.errors import BookError, DomainError, InvalidCommand, StoreError, UnknownAccount
from domain.model.events import AccountOpened, AccountType, EntryPosted, from_data
from domain.model.money import check_currency, decimal_string

if TYPE_CHECKING:
    from app.composition import Book
    from domain.store.base import StoredEvent

PROG = "tallybook-cli"
_AMOUNT = re.compile(r"-?[0-9]+(\.[0-9]+)?")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# fields that name an existing account; each may be given by name under the key minus "_id"
_ACCOUNT_REFS = (
    "account_id",
    "income_account_id",
    "expense_account_id",
    "from_account_id",
    "to_account_id",
)


class BookUnusable(Exception):
    """The path cannot be opened as a book (exit status 2)."""


# --- JSON lines -> commands ------------------------------------------------------------------


def parse_json_line(text: str) -> dict[str, Any]:
    """Parse one line as a JSON object; refuse duplicate keys and NaN/Infinity."""

    def no_constants(name: str) -> Any:
        raise ValueError(f"{name} is not allowed")

    def unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        obj: dict[str, Any] = {}
        for key, value in pairs:
            if key in obj:
                raise ValueError(f"duplicate key {key!r}")
            obj[key] = value
        return obj

    try:
        value = json.loads(text, parse_constant=no_constants, object_pairs_hook=unique_keys)
    except RecursionError:
        raise InvalidCommand("the line is not valid JSON: nested too deeply") from None
    except ValueError as exc:
        raise InvalidCommand(f"the line is not valid JSON: {exc}") from None
    if not isinstance(value, dict):
        raise InvalidCommand(
            f"a command must be a JSON object, got {type(value).__name__} {text.strip()[:40]!r}"
        )
    return value


def _name_alias(cls: type[Command], field: str) -> str | None:
    if field in _ACCOUNT_REFS and cls is not OpenAccount:  # OpenAccount's id is the new one
        return field.removesuffix("_id")
    return None


def command_from_json(obj: dict[str, Any], resolve: Callable[[str], str]) -> Command:
    """Build a command from a parsed JSON object; ``resolve`` maps an account name to its id.

    Raises InvalidCommand for an unknown command, a missing, extra or badly typed field, and
    UnknownAccount for a name no account has.
    """
    name = obj.get("command")
    if not isinstance(name, str) or name not in COMMAND_TYPES:
        known = ", ".join(COMMAND_TYPES)
        what = "missing field 'command'" if name is None else f"unknown command {name!r}"
        raise InvalidCommand(f"{what}; the commands are {known}")
    cls = COMMAND_TYPES[name]
    hints = get_type_hints(cls)
    fields = dataclasses.fields(cls)
    allowed = {"command"}
    chosen: list[tuple[str, str, bool]] = []  # (field, key given, given by name)
    missing = []
    for f in fields:
        alias = _name_alias(cls, f.name)
        allowed.add(f.name)
        if alias:
            allowed.add(alias)
        by_id, by_name = f.name in obj, alias is not None and alias in obj
        if by_id and by_name:
            raise InvalidCommand(f"{name}: give {f.name} or {alias}, not both")
        if by_id or by_name:
            chosen.append((f.name, alias if by_name and alias else f.name, by_name))
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            missing.append(f"{f.name} (or {alias})" if alias else f.name)
    extra = sorted(set(obj) - allowed)
    if extra:
        raise InvalidCommand(
            f"{name}: unknown field{'s' if len(extra) > 1 else ''} {', '.join(extra)}; "
            f"its fields are {', '.join(_field_list(cls))}"
        )
    if missing:
        raise InvalidCommand(f"{name}: missing {', '.join(missing)}")
    kwargs: dict[str, Any] = {}
    for field, key, by_name in chosen:
        value = obj[key]
        if by_name:
            kwargs[field] = resolve(_text(value, key))
        else:
            kwargs[field] = _convert(value, hints[field], field, resolve)
    return cls(**kwargs)


def _field_list(cls: type[Command], *, mark_optional: bool = False) -> list[str]:
    out = []
    for f in dataclasses.fields(cls):
        alias = _name_alias(cls, f.name)
        text = f"{f.name}|{alias}" if alias else f.name
        optional = f.default is not dataclasses.MISSING or (
            f.default_factory is not dataclasses.MISSING
        )
        out.append(f"[{text}]" if mark_optional and optional else text)
    return out


def commands_help() -> str:
    """One line per JSON command with its fields ([optional] ones bracketed)."""
    return "\n".join(
        f"  {name}: {', '.join(_field_list(cls, mark_optional=True))}"
        for name, cls in COMMAND_TYPES.items()
    )


def _convert(value: object, hint: object, field: str, resolve: Callable[[str], str]) -> Any:
    if hint is str:
        return _text(value, field)
    if hint is Decimal:
        return _amount(value, field)
    if hint is dt.date:
        return _date(value, field)
    if hint is bool:
        if not isinstance(value, bool):
            raise InvalidCommand(f"{field} must be true or false, got {json.dumps(value)}")
        return value
    if hint is AccountType:
        kinds = [t.value for t in AccountType]
        if value not in kinds:
            raise InvalidCommand(
                f"{field} must be one of {', '.join(kinds)}, got {json.dumps(value)}"
            )
        return AccountType(value)
    if field == "lines":
        return _lines(value, resolve)
    if field == "replacement":
        return _replacement(value, resolve)
    raise TypeError(f"no JSON conversion for {field}: {hint!r}")  # a new Command field type


def _text(value: object, field: str) -> str:
    if not isinstance(value, str):
        raise InvalidCommand(f"{field} must be a string, got {json.dumps(value)}")
    return value


def _amount(value: object, field: str) -> Decimal:
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise InvalidCommand(
            f"{field} {value!r} is a JSON number; write amounts as decimal strings "
            f'("{value}"): floats are never money'
        )
    if not isinstance(value, str) or not _AMOUNT.fullmatch(value):
        raise InvalidCommand(
            f'{field} must be a decimal string like "12.34" or "-5", got {json.dumps(value)}'
        )
    return Decimal(value)


def _date(value: object, field: str) -> dt.date:
    if isinstance(value, str) and _DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise InvalidCommand(f"{field} must be a date YYYY-MM-DD, got {json.dumps(value)}")


def _lines(value: object, resolve: Callable[[str], str]) -> tuple[SplitLine, ...]:
    if not isinstance(value, list):
        raise InvalidCommand(
            f"lines must be a list of {{account_id|account, amount}}, got {json.dumps(value)[:60]}"
        )
    lines = []
    for n, line in enumerate(value, 1):
        if not isinstance(line, dict):
            raise InvalidCommand(f"lines[{n}] must be an object, got {json.dumps(line)[:60]}")
        extra = sorted(set(line) - {"account_id", "account", "amount"})
        if extra:
            raise InvalidCommand(
                f"lines[{n}]: unknown field {', '.join(extra)}; "
                "a line has account_id (or account) and amount"
            )
        if ("account_id" in line) == ("account" in line):
            raise InvalidCommand(f"lines[{n}] needs account_id or account (one of them)")
        if "amount" not in line:
            raise InvalidCommand(f"lines[{n}]: missing amount")
        if "account" in line:
            account_id = resolve(_text(line["account"], f"lines[{n}].account"))
        else:
            account_id = _text(line["account_id"], f"lines[{n}].account_id")
        amount = _amount(line["amount"], f"lines[{n}].amount")
        lines.append(SplitLine(account_id=account_id, amount=amount))
    return tuple(lines)


def _replacement(value: object, resolve: Callable[[str], str]) -> Command:
    entry_commands = [n for n, cls in COMMAND_TYPES.items() if cls in ENTRY_COMMANDS]
    if not isinstance(value, dict) or value.get("command") not in entry_commands:
        raise InvalidCommand(
            f"replacement must be an object whose command is {', '.join(entry_commands[:-1])} "
            f"or {entry_commands[-1]}, got {json.dumps(value)[:60]}"
        )
    try:
        return command_from_json(value, resolve)
    except InvalidCommand as exc:
        raise InvalidCommand(f"replacement: {exc.message}") from None


def new_ids(command: Command, events: Sequence[StoredEvent]) -> dict[str, str]:
    """The ids of what a command created, read from its stored events (so a retry that let
    them default again answers with the first run's): an entry's (a correction's replacement
    too), or an account's and those of its opening balance's entry and of the Opening
    Balances account, if opened for it."""
    if not isinstance(command, (OpenAccount, CorrectEntry, *ENTRY_COMMANDS)):
        return {}
    ids: dict[str, str] = {}
    for stored in events:
        created = from_data(stored.type, stored.schema_version, stored.data)
        if isinstance(created, EntryPosted):
            key = "opening_entry_id" if isinstance(command, OpenAccount) else "entry_id"
            ids[key] = created.entry_id
        elif isinstance(created, AccountOpened):
            ids["opening_balances_account_id" if ids else "account_id"] = created.account_id
    return ids


def account_resolver(book: Book) -> Callable[[str], str]:
    """Account name -> id through the chart, read afresh each time (an earlier line may have
    opened or renamed it)."""

    def resolve(name: str) -> str:
        account_id = book.service.chart().id_for(name)
        if account_id is None:
            raise UnknownAccount(f"there is no account named {name!r}")
        return account_id

    return resolve


# --- output ----------------------------------------------------------------------------------


def _emit(out: IO[str], obj: dict[str, Any]) -> None:
    out.write(json.dumps(obj, ensure_ascii=False) + "\n")
    out.flush()


def _error(exc: BaseException) -> dict[str, Any]:
    message = exc.message if isinstance(exc, DomainError) else str(exc)
    return {"ok": False, "error": message, "error_type": type(exc).__name__}


def _fail(message: str) -> int:
    print(f"{PROG}: {message}", file=sys.stderr)
    return 2


# --- subcommands -----------------------------------------------------------------------------


def apply_lines(book: Book, lines: Iterable[str | bytes], out: IO[str]) -> bool:
    """Execute each line's command in its own transaction; report each as it commits.

    Returns True when every command succeeded. A bad line is reported and skipped.
    """
    resolve = account_resolver(book)
    all_ok = True
    for number, raw in enumerate(lines, 1):
        try:
            text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        except UnicodeDecodeError as exc:
            all_ok = False
            _emit(out, {"line": number, **_error(InvalidCommand(f"the line is not UTF-8: {exc}"))})
            continue
        text = text.removeprefix("\ufeff") if number == 1 else text
        if not text.strip():
            continue  # blank lines separate nothing and are not commands
        try:
            command = command_from_json(parse_json_line(text), resolve)
            events = book.service.execute(command)
        except (DomainError, StoreError) as exc:
            if isinstance(exc, BookError):
                raise
            all_ok = False
            _emit(out, {"line": number, **_error(exc)})
            continue
        _emit(
            out,
            {
                "line": number,
                "ok": True,
                "command_id": command.command_id,
                "positions": [e.position for e in events],
                "ids": new_ids(command, events),
            },
        )
    return all_ok


def _stdin_lines() -> Iterator[bytes | str]:
    stream: Any = getattr(sys.stdin, "buffer", sys.stdin)
    # readline, not iteration: each command runs as soon as its line arrives on a pipe
    return iter(stream.readline, b"" if stream is not sys.stdin else "")


def _open_book(path: Path, *, create: bool, readonly: bool = False) -> Book:
    from app.composition import Book

    try:
        return Book.open(path, create_if_missing=create, readonly=readonly)
    except BookError as exc:
        raise BookUnusable(str(exc)) from exc  # the store's messages name the file
    except OSError as exc:  # e.g. no such folder, or no permission, for a new book
        raise BookUnusable(f"{path}: {exc.strerror or exc}") from exc


def _open_readable(path: Path) -> Book:
    """Open read-only: the book is not written (its read models, a cache file of their own,
    are caught up or rebuilt as needed)."""
    return _open_book(path, create=False, readonly=True)


def cmd_apply(args: argparse.Namespace) -> int:
    book = _open_book(args.book, create=True)
    try:
        return 0 if apply_lines(book, _stdin_lines(), sys.stdout) else 1
    finally:
        book.close()


def cmd_balances(args: argparse.Namespace) -> int:
    book = _open_readable(args.book)
    try:
        head = book.store.head()[0]
        as_of = head if args.as_of is None else args.as_of
        if not 0 <= as_of <= head:
            print(f"{PROG}: --as-of {as_of} is outside 0..{head}", file=sys.stderr)
            return 1
        rows = book.read_models.accounts(as_of)
        accounts = [
            {
                "id": row.account_id,
                "name": row.name,
                "type": row.account_type.value,
                "currency": row.currency,
                "balance": decimal_string(row.balance, row.currency),
                "closed": row.closed,
            }
            for row in rows
        ]
    finally:
        book.close()
    _emit(sys.stdout, {"as_of": as_of, "head": head, "accounts": accounts})
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from app import maintenance

    # read-only and the store alone: verification must not depend on the read models
    try:
        report = maintenance.verify(args.book)
    except BookError as exc:
        raise BookUnusable(str(exc)) from exc
    head = {"position": report.head_position, "hash": report.head_hash}
    if report.ok:
        _emit(sys.stdout, {"ok": True, "events": report.events, "head": head})
        return 0
    _emit(
        sys.stdout,
        {
            "ok": False,
            "events": report.events,
            "first_bad_position": report.first_bad_position,
            "problem": report.problem,
            "message": str(report.details.get("message", report.problem)),
        },
    )
    return 1


def cmd_history(args: argparse.Namespace) -> int:
    book = _open_readable(args.book)
    try:
        offset = args.from_position - 1
        remaining = args.limit
        while remaining is None or remaining > 0:
            page = _HISTORY_PAGE if remaining is None else min(remaining, _HISTORY_PAGE)
            events = book.events.events_after(offset, page)
            if not events:
                break
            summaries = {r.position: r.summary for r in book.read_models.history(offset, page)}
            for stored in events:
                sys.stdout.write(json.dumps(_event_json(stored, summaries), ensure_ascii=False))
                sys.stdout.write("\n")
            offset += len(events)
            remaining = None if remaining is None else remaining - len(events)
        sys.stdout.flush()
    finally:
        book.close()
    return 0


_HISTORY_PAGE = 1000


def _event_json(stored: StoredEvent, summaries: dict[int, str]) -> dict[str, Any]:
    return {
        "position": stored.position,
        "recorded_at": stored.recorded_at.isoformat(),
        "stream_id": stored.stream_id,
        "stream_version": stored.stream_version,
        "type": stored.type,
        "schema_version": stored.schema_version,
        "data": dict(stored.data),
        "metadata": dict(stored.metadata),
        "also_in": list(stored.also_in),
        "hash": stored.hash.hex(),
        "summary": summaries.get(stored.position, ""),
    }


def cmd_generate(args: argparse.Namespace) -> int:
    from app.sample_data import generate_commands

    # check the arguments before the book file is created
    try:
        check_currency(args.currency)
        commands = generate_commands(args.accounts, args.commands, args.seed, args.currency)
    except (ValueError, DomainError) as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 1
    book = _open_book(args.book, create=True)
    try:
        head = book.store.head()[0]
        if head:
            print(
                f"{PROG}: {args.book} already has {head} events; generate writes a new book",
                file=sys.stderr,
            )
            return 1
        started = time.perf_counter()
        done = 0
        try:
            for chunk in _chunks(commands, args.batch):
                book.service.execute_batch(chunk)
                done += len(chunk)
        except (DomainError, StoreError) as exc:
            if isinstance(exc, BookError):
                raise
            _emit(sys.stdout, {**_error(exc), "applied": done})
            return 1
        seconds = time.perf_counter() - started
        _emit(
            sys.stdout,
            {
                "ok": True,
                "accounts": len(book.read_models.accounts()),  # Opening Balances included
                "commands": done - args.accounts,
                "events": book.store.head()[0],
                "seconds": round(seconds, 3),
            },
        )
        return 0
    finally:
        book.close()


def _chunks(items: Iterable[Command], size: int) -> Iterator[list[Command]]:
    chunk: list[Command] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# --- argument parsing ------------------------------------------------------------------------


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _non_negative(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {value}")
    return value


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
        p.add_argument("book", type=Path, metavar="BOOK", help="path of the book file")
        return p

    add(
        "apply",
        "execute JSON-lines commands read from stdin",
        "Read one JSON command per line from stdin and execute each in its own transaction,\n"
        "creating BOOK if it does not exist. For each line print one JSON line as soon as it\n"
        'is committed: {"line": n, "ok": true, "command_id": ..., "positions": [...],\n'
        '"ids": {...}} or {"line": n, "ok": false, "error": ..., "error_type": ...}.\n'
        "A bad line (bad JSON, unknown command, missing, extra or mistyped field, a broken\n"
        'rule) appends nothing and the run goes on. Amounts are decimal strings ("12.34"),\n'
        "dates YYYY-MM-DD; any *account_id field may be given by name as *account instead.\n"
        "A command sent again with its command_id appends nothing and answers as the first\n"
        "time; the same command_id with another command is refused (CommandIdReused).\n"
        "Exit 0 if every command succeeded, else 1.\n\n"
        "Commands and their fields ([optional]):\n" + commands_help() + "\n\n"
        'Example: echo \'{"command": "open_account", "name": "Checking", "account_type":\n'
        '  "asset", "currency": "EUR", "opening_date": "2024-01-01"}\' | tallybook-cli apply b.tb',
    )
    balances = add(
        "balances",
        "print every account and its balance",
        "Print one JSON object: as_of, head and accounts, each with id, name, type, currency,\n"
        "balance (a decimal string, natural sign) and closed.",
    )
    balances.add_argument(
        "--as-of",
        type=_non_negative,
        metavar="POSITION",
        help="balances as of this event position (default: the head)",
    )
    add(
        "verify",
        "walk the hash chain and report the first bad event",
        "Check every event's hash against the chain. Exit 0 printing\n"
        '{"ok": true, "events": N, "head": {"position": P, "hash": HEX}}, or exit 1 printing\n'
        '{"ok": false, "events": N, "first_bad_position": P, "problem": KIND,\n'
        '"message": TEXT}.\n'
        "Exit 2 with one line on stderr if BOOK is not a usable book.",
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
        type=_positive,
        default=1,
        metavar="P",
        help="first position to print (default 1)",
    )
    history.add_argument(
        "--limit", type=_non_negative, metavar="N", help="print at most N events (default: all)"
    )
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
        type=_positive,
        default=20,
        metavar="A",
        help="number of accounts, at least 8 (default 20)",
    )
    generate.add_argument(
        "--commands",
        type=_non_negative,
        default=1000,
        metavar="N",
        help="number of commands after opening the accounts (default 1000)",
    )
    generate.add_argument(
        "--seed", type=int, default=0, metavar="S", help="random seed (default 0)"
    )
    generate.add_argument(
        "--batch",
        type=_positive,
        default=1000,
        metavar="K",
        help="commands per transaction (default 1000)",
    )
    generate.add_argument(
        "--currency", default="EUR", metavar="CODE", help="main currency (default EUR)"
    )
    return parser


_ACTIONS: dict[str, Callable[[argparse.Namespace], int]] = {
    "apply": cmd_apply,
    "balances": cmd_balances,
    "verify": cmd_verify,
    "history": cmd_history,
    "generate": cmd_generate,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``tallybook-cli``; returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        return _ACTIONS[args.action](args)
    except BookUnusable as exc:
        return _fail(str(exc))
    except BookError as exc:
        return _fail(str(exc))
    except BrokenPipeError:
        # the reader went away (| head): stop quietly, without a second error at exit
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())
