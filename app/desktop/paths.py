"""Where books live by default, and what one book's path is."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

BOOK_SUFFIX = ".tallybook"
BOOK_FILTER = "Tallybook books (*.tallybook);;All files (*)"


def default_book_path() -> Path:
    """The book opened when no file is named: ``<user data>/Tallybook/Books/My Books.tallybook``."""
    return platformdirs.user_data_path("Tallybook") / "Books" / f"My Books{BOOK_SUFFIX}"


def with_book_suffix(path: Path) -> Path:
    """Add ``.tallybook`` to a name chosen in a file dialog that has no suffix."""
    return path if path.suffix else path.with_suffix(BOOK_SUFFIX)


def canonical_book_path(book: str | os.PathLike[str]) -> Path:
    """The one absolute path of a book, whatever name it was opened by."""
    # realpath: a symlink and its target are one book, so they must share one lock.
    return Path(os.path.realpath(os.path.abspath(os.fspath(book))))
