"""``tallybook-cli apply``: execute JSON-lines commands from stdin, one transaction each."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Iterator, Sequence
from functools import partial
from typing import IO, TYPE_CHECKING, Any

from app.cli.book_files import open_book
from app.cli.json_commands import command_from_json, command_id_of, parse_json_line
from app.cli.output import emit, error_json
from domain.model.commands import (
    ENTRY_COMMANDS,
    Command,
    CorrectEntry,
    ImportStatement,
    OpenAccount,
)
from domain.model.errors import BookError, DomainError, InvalidCommand, StoreError
from domain.model.events import AccountOpened, EntryPosted, StatementImported, from_data

if TYPE_CHECKING:
    from app.composition import Book
    from domain.store.base import StoredEvent


def apply_lines(book: Book, lines: Iterable[str | bytes], out: IO[str]) -> bool:
    """Execute each line's command in its own transaction; report each as it commits.

    Returns True when every command succeeded. A bad line is reported and skipped.
    """
    all_ok = True
    for number, raw in enumerate(lines, 1):
        try:
            text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        except UnicodeDecodeError as exc:
            all_ok = False
            bad = InvalidCommand(f"the line is not UTF-8: {exc}")
            emit(out, {"line": number, **error_json(bad)})
            continue
        text = text.removeprefix("\ufeff") if number == 1 else text
        if not text.strip():
            continue  # blank lines separate nothing and are not commands
        try:
            obj = parse_json_line(text)
            command, events = book.service.execute_named(
                partial(command_from_json, obj), command_id=command_id_of(obj)
            )
        except (DomainError, StoreError) as exc:
            if isinstance(exc, BookError):
                raise
            all_ok = False
            emit(out, {"line": number, **error_json(exc)})
            continue
        emit(
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


def new_ids(command: Command, events: Sequence[StoredEvent]) -> dict[str, str]:
    """The ids of what a command created, read from its stored events (so a retry that let
    them default again answers with the first run's): an entry's (a correction's replacement
    too), or an account's and those of its opening balance's entry and of the Opening
    Balances account, if opened for it; an import's id."""
    if isinstance(command, ImportStatement) and events:
        imported = from_data(events[0].type, events[0].schema_version, events[0].data)
        return {"import_id": imported.import_id} if isinstance(imported, StatementImported) else {}
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


def _stdin_lines() -> Iterator[bytes | str]:
    stream: Any = getattr(sys.stdin, "buffer", sys.stdin)
    # readline, not iteration: each command runs as soon as its line arrives on a pipe
    return iter(stream.readline, b"" if stream is not sys.stdin else "")


def cmd_apply(args: argparse.Namespace) -> int:
    book = open_book(args.book, create=True)
    try:
        return 0 if apply_lines(book, _stdin_lines(), sys.stdout) else 1
    finally:
        book.close()
