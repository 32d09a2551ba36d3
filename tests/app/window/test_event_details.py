"""The history dock's detail pane: an event as a person reads it (names as they were, money
in the locale's format, links to related events that select them), the raw record a tab
away."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from app_helpers import DAY, household
from PySide6.QtCore import QLocale, QUrl

from app.composition import Book
from app.window.event_details import EventDetails
from app.window.main_window import MainWindow
from domain.model.commands import (
    Command,
    CorrectEntry,
    Reconcile,
    RenameAccount,
    VoidEntry,
    Withdraw,
)
from domain.model.events import EntryPosted, from_data

Window = Callable[[Path], MainWindow]


def entry_ids(book: Book) -> dict[str, str]:
    """Payee -> entry id of the household's entries."""
    out = {}
    for position in range(1, book.events.head() + 1):
        event = book.events.event(position)
        if event is not None and event.type == "EntryPosted":
            out[str(event.data["payee"])] = str(event.data["entry_id"])
    return out


@pytest.fixture
def history_book(make_book: Callable[[list[Command]], Path]) -> Path:
    """The household (Checking #1, deposit #8, withdrawal at Market #9), then Checking
    renamed Main (#10), the deposit voided (#11), the withdrawal corrected (#12, #13)."""
    path = make_book(household())
    with Book.open(path) as book:
        ids = entry_ids(book)
        checking = book.read_models.accounts()[0].account_id
        salary = next(a.account_id for a in book.read_models.accounts() if a.name == "Salary")
        groceries = next(a.account_id for a in book.read_models.accounts()
                         if a.name == "Groceries")  # fmt: skip
        book.service.execute(RenameAccount(account_id=checking, new_name="Main"))
        book.service.execute(VoidEntry(entry_id=ids["Employer"], voided_on=DAY, reason="typo"))

        book.service.execute(CorrectEntry(entry_id=ids["Market"], reason="amount", replacement=
            Withdraw(account_id=checking, expense_account_id=groceries,
                     amount=Decimal("54.50"), booking_date=DAY, payee="Market")))  # fmt: skip
        assert salary and book.events.head() == 13
    return path


def page(path: Path, position: int) -> tuple[str, str]:
    with Book.open(path, readonly=True) as book:
        shown = EventDetails(book.events, book.read_models)(position)
    return shown.readable, shown.raw


def test_an_entry_reads_with_the_names_its_accounts_had_then(history_book: Path) -> None:
    readable, raw = page(history_book, 8)  # the deposit, before Checking became Main
    own = readable.split("Voided by")[0]  # the linked void speaks of Main: it came after
    assert "Checking" in own and "Main" not in own
    assert "€1,000.00" in readable and "100000" not in readable  # money, not minor units
    assert "Employer" in readable and "Entry posted" in readable
    assert "Voided by <a href='event:11'>#11</a>" in readable
    readable_after, _ = page(history_book, 11)  # the void, after the rename
    assert "Main" in readable_after and "Voids <a href='event:8'>#8</a>" in readable_after
    assert '"payee": "Employer"' in raw and "Hash " in raw and "Previous " in raw


def test_money_follows_the_locale(history_book: Path) -> None:
    QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    readable, _ = page(history_book, 8)
    assert "1.000,00\xa0€" in readable


def test_a_correction_links_both_ways(history_book: Path) -> None:
    original, _ = page(history_book, 9)
    assert "Voided by <a href='event:12'>#12</a>" in original
    assert "Replaced by <a href='event:13'>#13</a>" in original
    replacement, _ = page(history_book, 13)
    assert "Corrects <a href='event:9'>#9</a>" in replacement
    void, _ = page(history_book, 12)
    assert "Voids <a href='event:9'>#9</a>" in void and "Replaced by <a href='event:13'>" in void


def test_recorded_time_in_local_time_and_utc(history_book: Path) -> None:
    with Book.open(history_book, readonly=True) as book:
        event = book.events.event(8)
        readable = EventDetails(book.events, book.read_models)(8).readable
    assert event is not None
    assert event.recorded_at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC") in readable
    assert "(local)" in readable


def test_a_position_not_in_the_book_says_so(history_book: Path) -> None:
    assert page(history_book, 99)[1] == "Event #99 is not in the book."


def test_clicking_a_link_selects_the_voided_entry_and_moves_the_timeline(
    history_book: Path, open_window: Window, qtbot: Any
) -> None:
    window = open_window(history_book)
    dock = window.history_dock
    qtbot.waitUntil(lambda: dock.selected_position() == 13)
    dock.select_position(11)
    view = dock.detail
    assert "Voids" in view.readable.toPlainText() and "Main" in view.readable.toPlainText()
    view.readable.anchorClicked.emit(QUrl("event:8"))  # what a click on the link sends
    assert dock.selected_position() == 8
    assert window.timeline.slider.value() == 8  # the timeline moved there too
    assert "Checking" in view.readable.toPlainText()
    view.setCurrentWidget(view.raw)
    assert '"payee": "Employer"' in view.raw.toPlainText()


STATEMENT = Path(__file__).resolve().parents[2] / "data" / "statements" / "app_checking_march.csv"


@pytest.fixture
def imported_book(make_book: Callable[[list[Command]], Path]) -> Path:
    """The household (#1–#9), app_checking_march.csv imported into Checking (the import's
    header #10, Uncategorised opened #11, its six entries #12–#17), then the first two of
    them reconciled (#18)."""
    from app.cli.main import main

    path = make_book(household())
    assert main(["import", str(path), str(STATEMENT), "--account", "Checking"]) == 0
    with Book.open(path) as book:
        checking = book.read_models.accounts()[0].account_id
        cleared = [book.events.event(p) for p in (12, 13)]
        ids = tuple(str(e.data["entry_id"]) for e in cleared if e is not None)
        # the statement shows what the two entries move on Checking (an asset: debits)
        posted = [from_data(e.type, e.schema_version, e.data) for e in cleared if e is not None]
        moved = sum(leg.amount for entry in posted if isinstance(entry, EntryPosted)
                    for leg in entry.postings if leg.account_id == checking)  # fmt: skip
        book.service.execute(Reconcile(account_id=checking, statement_date=dt.date(2024, 3, 31),
                                       balance=Decimal(moved) / 100, entry_ids=ids))  # fmt: skip
        assert book.events.head() == 18
    return path


def test_an_imported_entry_links_to_its_import_and_to_the_reconciliation_that_cleared_it(
    imported_book: Path,
) -> None:
    cleared, _ = page(imported_book, 12)
    assert "Imported by <a href='event:10'>#10</a>" in cleared
    assert "Cleared by <a href='event:18'>#18</a>" in cleared
    open_entry, _ = page(imported_book, 14)  # imported, not reconciled
    assert "Imported by <a href='event:10'>#10</a>" in open_entry and "Cleared by" not in open_entry
    typed, _ = page(imported_book, 9)  # typed by hand, never imported nor reconciled
    assert "Imported by" not in typed and "Cleared by" not in typed
