"""``tallybook-cli apply``: execute JSON-lines commands from stdin, each atomically, the lines
waiting on stdin committed together (group commit)."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from functools import partial
from typing import IO, TYPE_CHECKING, Any

from app.cli.book_files import open_book
from app.cli.json_commands import command_from_json, command_id_of, parse_json_line
from app.cli.line_feed import LineFeed
from app.cli.output import emit_all, error_json
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


GROUP_LINES = 1000
"""Lines committed together at most (see :func:`apply_lines`)."""
GROUP_SECONDS = 0.05
"""How long a group may gather lines before it commits, so answers are not held back."""

Answer = dict[str, Any]


def apply_lines(
    book: Book,
    lines: Iterable[str | bytes] | LineFeed,
    out: IO[str],
    *,
    group_lines: int = GROUP_LINES,
    group_seconds: float = GROUP_SECONDS,
) -> bool:
    """Execute each line's command atomically; report each once it is durable.

    Group commit: while more lines are already waiting (``lines`` read ahead, see
    :class:`LineFeed`; a plain iterable's lines all count as waiting), up to
    ``group_lines`` of them, gathered for at most ``group_seconds``, run in one transaction,
    each in a savepoint of its own (:meth:`BookService.group`), and their answers are printed
    only after its commit. A line with no other waiting, or with ``group_lines`` 1, is its
    own transaction. Returns True when every command succeeded. A bad line is reported and
    skipped; it appends nothing.
    """
    feed = lines if isinstance(lines, LineFeed) else LineFeed(lines, read_ahead=False)
    run = _LineRunner(book)
    all_ok = True
    while (raw := feed.take()) is not None:
        if group_lines > 1 and feed.waiting():
            answers, stop = _run_group(book, run, raw, feed, group_lines, group_seconds)
        else:
            answers, stop = [answer] if (answer := run(raw)) else [], None
        all_ok = all_ok and all(answer["ok"] for answer in answers)
        if answers:
            emit_all(out, answers)
        if stop is not None:
            raise stop
    return all_ok


def _run_group(
    book: Book, run: _LineRunner, raw: str | bytes, feed: LineFeed, limit: int, seconds: float
) -> tuple[list[Answer], BookError | None]:
    """Run ``raw`` and the lines waiting after it in one group; their answers, once it has
    committed (a failed commit fails each of them: none was stored), and the BookError that
    stopped it, if one did (the lines before it are committed and answered first)."""
    answers: list[Answer] = []
    stop: BookError | None = None
    deadline = time.monotonic() + seconds
    began = False
    try:
        with book.service.group():
            began = True
            while True:
                try:
                    answer = run(raw)
                except BookError as exc:
                    stop = exc
                    break
                if answer is not None:
                    answers.append(answer)
                    if not answer["ok"] and answer["error_type"] in _ENDS_A_GROUP:
                        break  # the book refused a write: the commit decides for the rest
                if len(answers) >= limit or time.monotonic() >= deadline or not feed.waiting():
                    break
                taken = feed.take()  # waiting: not None
                if taken is None:
                    break
                raw = taken
    except StoreError as exc:  # the commit failed (a full disk): nothing of the group is kept
        if not began:  # no write lock (another writer held it too long): the line on its own
            answer = run(raw)  # says why, as a line with none waiting would
            return ([] if answer is None else [answer]), None
        answers = [a if not a["ok"] else {"line": a["line"], **error_json(exc)} for a in answers]
        if stop is None and isinstance(exc, BookError):
            stop = exc
    return answers, stop


_ENDS_A_GROUP = frozenset({"DiskError", "ConcurrencyError", "StoreError"})


class _LineRunner:
    """Runs one line's command in its own transaction (or savepoint, inside a group) and
    gives its answer; None for a blank line."""

    def __init__(self, book: Book) -> None:
        self._service = book.service
        self._number = 0

    def __call__(self, raw: str | bytes) -> Answer | None:
        self._number += 1
        number = self._number
        try:
            text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        except UnicodeDecodeError as exc:
            bad = InvalidCommand(f"the line is not UTF-8: {exc}")
            return {"line": number, **error_json(bad)}
        text = text.removeprefix("\ufeff") if number == 1 else text
        if not text.strip():
            return None  # blank lines separate nothing and are not commands
        try:
            obj = parse_json_line(text)
            command, events = self._service.execute_named(
                partial(command_from_json, obj), command_id=command_id_of(obj)
            )
        except (DomainError, StoreError) as exc:
            if isinstance(exc, BookError):
                raise
            return {"line": number, **error_json(exc)}
        return {
            "line": number,
            "ok": True,
            "command_id": command.command_id,
            "positions": [e.position for e in events],
            "ids": new_ids(command, events),
        }


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
        if stored.type == "EntryPosted":
            key = "opening_entry_id" if isinstance(command, OpenAccount) else "entry_id"
            ids[key] = _created_id(stored, EntryPosted, "entry_id")
        elif stored.type == "AccountOpened":
            key = "opening_balances_account_id" if ids else "account_id"
            ids[key] = _created_id(stored, AccountOpened, "account_id")
    return ids


def _created_id(stored: StoredEvent, kind: type[EntryPosted | AccountOpened], key: str) -> str:
    """The id an event of ``kind`` created: read from its stored form when that is the
    current one (decoding the whole event for it cost more than the answer's JSON), else
    from the event as an older form is upcast."""
    if stored.schema_version == kind.schema_version:
        value = stored.data[key]
        if isinstance(value, str):
            return value
    created = from_data(stored.type, stored.schema_version, stored.data)
    found: str = getattr(created, key)
    return found


def _stdin_lines() -> Iterator[bytes | str]:
    stream: Any = getattr(sys.stdin, "buffer", sys.stdin)
    # readline, not iteration: each command runs as soon as its line arrives on a pipe
    return iter(stream.readline, b"" if stream is not sys.stdin else "")


def cmd_apply(args: argparse.Namespace) -> int:
    book = open_book(args.book, create=True)
    # typed lines are answered one by one, each as soon as it is durable
    interactive = args.no_group or sys.stdin.isatty()
    try:
        broken = book.store.known_break  # found at open: refused before reading any line
        if broken is not None:
            raise broken
        feed = LineFeed(_stdin_lines(), read_ahead=not interactive)
        done = apply_lines(book, feed, sys.stdout, group_lines=1 if interactive else GROUP_LINES)
        return 0 if done else 1
    finally:
        book.close()
