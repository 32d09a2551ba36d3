"""The types of ``tallybook-cli``'s arguments: each turns a text into its value or says, in
argparse's words, what it expected."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from domain.store.postgres.url import is_postgres_url


def book_argument(text: str) -> Path | str:
    """A book file's path, or a shared book's ``postgresql://`` address kept as it is (a Path
    would fold its "//")."""
    return text if is_postgres_url(text) else Path(text)


def positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def non_negative(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {value}")
    return value


def expected_head(text: str) -> tuple[int, bytes]:
    """POSITION:HASH, as ``verify`` prints it under "expect_head"."""
    position, _, digest = text.partition(":")
    try:
        value = (int(position), bytes.fromhex(digest))
    except ValueError:
        value = (0, b"")
    if value[0] < 1 or len(value[1]) != 32:
        raise argparse.ArgumentTypeError(
            f"expected POSITION:HASH (a position and 64 hex digits), got {text!r}"
        )
    return value


def iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a date YYYY-MM-DD, got {text!r}") from None


def moment(text: str) -> dt.datetime:
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"must be a time YYYY-MM-DDTHH:MM[:SS][+HH:MM], got {text!r}"
        ) from None
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


DiffPoint = tuple[int | None, dt.date | None]


def diff_point(text: str) -> DiffPoint:
    """``P`` (a position), ``YYYY-MM-DD`` (the end of that booking date, as recorded up to
    the head) or ``P@YYYY-MM-DD`` (that date as recorded up to P)."""
    position, at, day = text.partition("@")
    try:
        if not at and "-" in text:
            return None, dt.date.fromisoformat(text)
        value = int(position)
        if value < 0:
            raise ValueError
        return value, dt.date.fromisoformat(day) if at else None
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a position, a date YYYY-MM-DD or POSITION@YYYY-MM-DD, got {text!r}"
        ) from None
