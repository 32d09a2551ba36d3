"""``tallybook-cli generate``: fill a new book with a deterministic sample household."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterable, Iterator

from app.cli.book_files import open_book
from app.cli.output import complain, emit, error_json
from domain.model.commands import Command
from domain.model.errors import BookError, DomainError, StoreError
from domain.model.money import check_currency


def cmd_generate(args: argparse.Namespace) -> int:
    from app.sample_data import generate_commands

    # check the arguments before the book file is created
    try:
        check_currency(args.currency)
        commands = generate_commands(args.accounts, args.commands, args.seed, args.currency)
    except (ValueError, DomainError) as exc:
        complain(str(exc))
        return 1
    book = open_book(args.book, create=True)
    try:
        head = book.store.head()[0]
        if head:
            complain(f"{args.book} already has {head} events; generate writes a new book")
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
            emit(sys.stdout, {**error_json(exc), "applied": done})
            return 1
        seconds = time.perf_counter() - started
        book.catch_up()  # a shared book's read models follow its commands only when asked
        emit(
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
