"""HistoryModel: every event, paged, later rows dimmed in the past, appends inserted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from app_helpers import open_account
from PySide6.QtCore import QLocale, Qt

from app.composition import Book
from app.controller import CommandController
from app.models import paged
from app.models.history import (
    COL_POSITION,
    COL_SUMMARY,
    COL_TYPE,
    HistoryModel,
    humanize_type,
)
from domain.model.events import AccountType

DISPLAY = Qt.ItemDataRole.DisplayRole
FOREGROUND = Qt.ItemDataRole.ForegroundRole


def test_passes_the_model_tester(generated_book: Path, qtmodeltester: Any) -> None:
    with Book.open(generated_book) as book:
        model = HistoryModel(book.read_models)
        assert model.rowCount() == book.store.head()[0]
        qtmodeltester.check(model)


def test_row_r_is_event_r_plus_one(book: Book) -> None:
    model = HistoryModel(book.read_models)
    assert model.rowCount() == 9
    assert model.data(model.index(0, COL_POSITION), DISPLAY) == "1"
    assert model.data(model.index(0, COL_TYPE), DISPLAY) == "Account opened"
    assert model.data(model.index(8, COL_TYPE), DISPLAY) == "Entry posted"
    assert model.position_at(8) == 9 and model.row_of(9) == 8


def test_pages_only_what_is_asked_for(
    generated_book: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(paged, "PAGE_SIZE", 10)
    with Book.open(generated_book) as book:
        model = HistoryModel(book.read_models)
        fetched: list[tuple[int, int]] = []
        real = book.read_models.history
        monkeypatch.setattr(
            book.read_models, "history",
            lambda offset, limit, **kw: fetched.append((offset, limit))
            or real(offset, limit, **kw),
        )  # fmt: skip
        model.data(model.index(55, COL_TYPE), DISPLAY)
        model.data(model.index(57, COL_TYPE), DISPLAY)
        assert fetched == [(50, 10)]


def test_appends_insert_rows_at_the_end(book: Book, qtbot: Any) -> None:
    model = HistoryModel(book.read_models)
    controller = CommandController(book.service)
    controller.events_appended.connect(model.on_events_appended)
    with qtbot.assertNotEmitted(model.modelReset), qtbot.waitSignal(model.rowsInserted) as signal:
        controller.execute(open_account("Rent", AccountType.EXPENSE))
    assert signal.args[1:] == [9, 9]
    assert model.rowCount() == 10


def test_appended_rows_show_their_events_when_the_last_page_was_read(book: Book) -> None:
    # the history dock shows the newest rows: their page is cached before the append
    model = HistoryModel(book.read_models)
    controller = CommandController(book.service)
    controller.events_appended.connect(model.on_events_appended)
    assert model.data(model.index(8, COL_POSITION), DISPLAY) == "9"
    controller.execute(open_account("Rent", AccountType.EXPENSE))
    assert model.data(model.index(9, COL_POSITION), DISPLAY) == "10"
    assert model.data(model.index(9, COL_TYPE), DISPLAY) == "Account opened"
    assert model.caption(10)[1] == "Account opened"


def test_rows_after_the_cursor_are_dimmed(book: Book, qtbot: Any) -> None:
    model = HistoryModel(book.read_models)
    assert model.data(model.index(8, 0), FOREGROUND) is None
    with qtbot.waitSignal(model.dataChanged) as changed:
        model.set_cursor(3)
    first, last, roles = changed.args
    assert (first.row(), last.row(), roles) == (3, 8, [FOREGROUND])
    assert model.data(model.index(2, 0), FOREGROUND) is None
    assert model.data(model.index(3, 0), FOREGROUND) is not None
    model.set_cursor(None)
    assert model.data(model.index(8, 0), FOREGROUND) is None


def test_caption_names_time_and_type(book: Book) -> None:
    model = HistoryModel(book.read_models)
    when, kind = model.caption(9)
    assert kind == "Entry posted" and when


def test_summaries_show_amounts_in_the_users_locale(book: Book) -> None:
    QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    model = HistoryModel(book.read_models)
    summaries = [model.data(model.index(row, COL_SUMMARY), DISPLAY) for row in (2, 8)]
    assert summaries == [
        "Transfer 100,00\xa0€ from Opening Balances to Checking — Opening balance",
        "Withdrawal 45,50\xa0€ from Checking to Groceries — Market",
    ]
    # the read models' own default (the CLI's) stays the fixed form
    assert book.read_models.history(8, 1)[0].summary == (
        "Withdrawal 45.50 EUR from Checking to Groceries — Market"
    )


def test_humanize_type() -> None:
    assert humanize_type("EntryVoided") == "Entry voided"

