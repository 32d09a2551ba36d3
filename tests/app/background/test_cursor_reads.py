"""CursorReader: the accounts as of a position (and a booking date) read in its worker thread,
on a connection of its own kept open between reads."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from app.background.cursor_reads import CursorReader
from app.composition import Book
from app.models.sources import AccountRow
from domain.projections.dated_reads import DatedReads


def read(qtbot: Any, reader: CursorReader, as_of: int | None, day: dt.date | None = None) -> Any:
    got: list[list[AccountRow] | None] = []
    reader.read_accounts(as_of, day, got.append)
    qtbot.waitUntil(lambda: bool(got), timeout=10_000)
    return got[0]


def test_reads_the_accounts_as_the_read_models_answer(generated_book: Path, qtbot: Any) -> None:
    reader = CursorReader(generated_book)
    try:
        with Book.open(generated_book, readonly=True) as book:
            head = book.store.head()[0]
            dated = DatedReads(book.read_models)
            for as_of in (1, head // 3, head // 2, None):
                assert read(qtbot, reader, as_of) == book.read_models.accounts(as_of)
            day = book.read_models.history(head // 2, 1)[0].booking_date
            assert day is not None
            dated.day = day
            assert read(qtbot, reader, head, day) == dated.accounts(head)
            assert read(qtbot, reader, head, day) != book.read_models.accounts(head)
    finally:
        reader.stop()


def test_a_file_that_is_no_book_answers_none(tmp_path: Path, qtbot: Any) -> None:
    junk = tmp_path / "junk.tallybook"
    junk.write_bytes(b"not a book")
    reader = CursorReader(junk)
    try:
        assert read(qtbot, reader, 3) is None
    finally:
        reader.stop()
