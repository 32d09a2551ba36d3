"""Opening the book file a subcommand works on; a file that is not a usable book is
:class:`BookUnusable` (exit status 2, nothing written to it)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from domain.model.errors import StoreError

if TYPE_CHECKING:
    from app.composition import Book
    from domain.model.commands import Command
    from domain.store.base import StoredEvent


class BookUnusable(Exception):
    """The path cannot be opened as a book (exit status 2)."""


PROGRAM = "(cli)"
"""What the CLI adds to the app version it records: the app's Undo tells its changes apart."""


def open_book(path: Path | str, *, create: bool, readonly: bool = False) -> Book:
    # imported here: --help and argument errors need no store
    from app.composition import Book, app_version

    try:
        # a writer checks the pages first: a damaged book must take no new events
        return Book.open(
            path,
            create_if_missing=create,
            readonly=readonly,
            check_pages=True,
            app_version=f"{app_version()} {PROGRAM}".lstrip(),
        )
    except StoreError as exc:  # not a book, damaged, cannot be created, the disk is full
        raise BookUnusable(str(exc)) from exc  # the store's messages name the file
    except OSError as exc:  # e.g. no such folder, or no permission, for a new book
        raise BookUnusable(f"{path}: {exc.strerror or exc}") from exc


def open_readable(path: Path | str) -> Book:
    """Open read-only: the book is not written (its read models, a cache file of their own,
    are caught up or rebuilt as needed)."""
    return open_book(path, create=False, readonly=True)


def execute_on_book(
    path: Path | str, build: Callable[[Book], Command]
) -> tuple[Command, list[StoredEvent]] | None:
    """Open the book, run the command ``build`` makes from it, close the book: the command
    and its events, or None once a refusal (a broken rule, a busy or full disk) is printed
    as the action's JSON answer. A book that cannot be used raises, as from
    :func:`open_book` (exit status 2)."""
    from app.cli.output import emit, error_json
    from domain.model.errors import BookError, DomainError

    book = open_book(path, create=False)
    try:
        command = build(book)
        return command, book.service.execute(command)
    except (DomainError, StoreError) as exc:
        if isinstance(exc, BookError):
            raise
        emit(sys.stdout, error_json(exc))
        return None
    finally:
        book.close()
