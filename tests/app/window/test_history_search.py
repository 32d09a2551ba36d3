"""The history's search and filter bar, its sorting and a figure's lineage, in the real window."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest

from app.composition import Book
from app.desktop.book_session import BookSession
from app.formatting import money_text
from app.models.accounts import LineKind
from app.models.history import COL_BOOKING, COL_SUMMARY, COL_TYPE, HistoryModel
from app.window.history_search_link import HistorySearchLink
from app.window.main_window import MainWindow
from domain.projections.fold import fold
from domain.projections.history_filter import HistoryFilter, account_ids
from domain.projections.lineage import LINEAGE_TYPES

Window = Callable[[Path], MainWindow]


@pytest.fixture
def window(generated_book: Path, open_window: Window) -> MainWindow:
    return open_window(generated_book)


def link_of(window: MainWindow) -> HistorySearchLink:
    assert window.history_search is not None
    return window.history_search


def shown_positions(model: HistoryModel) -> list[int]:
    return [p for row in range(model.rowCount()) if (p := model.position_at(row)) is not None]


def wait_count(qtbot: Any, window: MainWindow, shown: int) -> None:
    bar = link_of(window)._bar
    qtbot.waitUntil(lambda: bar.count.text().startswith(f"{shown:,} of "), timeout=10_000)


def test_typing_a_search_shows_n_of_n_and_only_the_matching_events(
    window: MainWindow, generated_book: Path, qtbot: Any, qtmodeltester: Any
) -> None:
    bar = link_of(window)._bar
    model = window.history_dock.table.model()
    assert isinstance(model, HistoryModel)
    with Book.open(generated_book, readonly=True) as book:
        events = list(book.store.read_all())
        rows = {r.position: r for r in book.read_models.history(0, len(events))}
    payee = next(str(e.data["payee"]) for e in events if e.data.get("payee"))
    word = payee[1:4]
    expected = [
        e.position for e in events
        if any(word.casefold() in t.casefold() for t in (rows[e.position].summary,
               rows[e.position].account, str(e.metadata.get("command_id")))) or any(
            word.casefold() in str(v).casefold() for v in e.data.values())
        or any(word.casefold() in str(p).casefold() for p in e.data.get("postings", []))
    ]  # fmt: skip
    qtbot.keyClicks(bar.search, word.upper())
    wait_count(qtbot, window, len(expected))
    assert bar.count.text() == f"{len(expected):,} of {len(events):,} events"
    assert shown_positions(model) == expected
    qtmodeltester.check(model)
    bar.clear_button.click()
    qtbot.waitUntil(lambda: not model.filtered)
    assert model.rowCount() == len(events)


def test_filters_combine_as_a_plain_python_filter_says(
    window: MainWindow, generated_book: Path, qtbot: Any
) -> None:
    bar = link_of(window)._bar
    model = window.history_dock.table.model()
    assert isinstance(model, HistoryModel)
    with Book.open(generated_book, readonly=True) as book:
        events = list(book.store.read_all())
        rows = {r.position: r for r in book.read_models.history(0, len(events))}
    rng = random.Random(3)
    dated = sorted({r.booking_date for r in rows.values() if r.booking_date})
    for _ in range(4):
        account_index = rng.randrange(1, bar.account_box.count())
        kind = rng.choice(["EntryPosted", "EntryVoided", None])
        first, last = sorted(rng.sample(dated, 2))
        bar.account_box.setCurrentIndex(account_index)
        bar.type_box.setCurrentIndex(bar.type_box.findData(kind) if kind else 0)
        bar.more.setChecked(True)
        bar.from_date.setText(first.isoformat())
        bar.to_date.setText(last.isoformat())
        account = bar.account_box.currentData()
        expected = [
            e.position for e in events
            if account in account_ids(e.data) and (kind is None or e.type == kind)
            and rows[e.position].booking_date is not None
            and first <= rows[e.position].booking_date <= last  # type: ignore[operator]
        ]  # fmt: skip
        wait_count(qtbot, window, len(expected))
        assert shown_positions(model) == expected


def test_a_bad_date_is_named_and_changes_nothing(window: MainWindow, qtbot: Any) -> None:
    bar = link_of(window)._bar
    model = window.history_dock.table.model()
    total = model.rowCount()
    bar.more.setChecked(True)
    qtbot.keyClicks(bar.from_date, "2024-13-45")
    qtbot.waitUntil(lambda: bar.message.isVisibleTo(bar))
    assert "Booked from" in bar.message.text() and "not a date" in bar.message.text()
    assert model.rowCount() == total


def test_ctrl_f_focuses_the_search_field(window: MainWindow, qtbot: Any) -> None:
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    link = link_of(window)
    link.find.activated.emit()
    assert link.find.key() == QKeySequence(QKeySequence.StandardKey.Find)
    qtbot.waitUntil(lambda: link._bar.search.hasFocus())


def test_a_filtered_row_still_moves_the_timeline_and_the_books_stay_whole(
    window: MainWindow, qtbot: Any
) -> None:
    bar = link_of(window)._bar
    session = window.findChild(BookSession)
    assert session is not None
    model = window.history_dock.table.model()
    assert isinstance(model, HistoryModel)
    accounts_before = [a.balance for a in session.accounts.accounts()]
    bar.type_box.setCurrentIndex(bar.type_box.findData("EntryVoided"))
    qtbot.waitUntil(lambda: model.filtered and "of" in bar.count.text(), timeout=10_000)
    assert [a.balance for a in session.accounts.accounts()] == accounts_before
    row = model.rowCount() // 2
    target = model.position_at(row)
    assert target is not None and target < session.travel.head
    table = window.history_dock.table
    table.setCurrentIndex(model.index(row, 0))
    QTest.keyClick(table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: session.travel.cursor == target)
    assert table.currentIndex().row() == row  # the cursor's row stays selected


def test_sorting_by_booking_date_and_type(window: MainWindow, qtbot: Any) -> None:
    model = window.history_dock.table.model()
    assert isinstance(model, HistoryModel)
    header = window.history_dock.table.horizontalHeader()
    header.setSortIndicator(COL_BOOKING, Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(lambda: model.filtered and model.rowCount() > 0, timeout=10_000)
    link = link_of(window)
    qtbot.waitUntil(lambda: "of" in link._bar.count.text(), timeout=10_000)
    days = [model.row_at(r).booking_date for r in range(model.rowCount())]  # type: ignore[union-attr]
    ordinals = [d.toordinal() if d else 0 for d in days]
    assert ordinals == sorted(ordinals, reverse=True)
    header.setSortIndicator(COL_TYPE, Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(lambda: link._order == "type")
    qtbot.waitUntil(lambda: model.row_at(0) is not None and model.row_at(0).type == "AccountOpened")  # type: ignore[union-attr]
    header.setSortIndicator(COL_SUMMARY, Qt.SortOrder.AscendingOrder)  # not sortable
    assert header.sortIndicatorSection() == COL_TYPE


def test_the_events_behind_a_balance_sum_to_it(
    window: MainWindow, generated_book: Path, qtbot: Any
) -> None:
    session = window.findChild(BookSession)
    assert session is not None
    accounts = session.accounts
    model = window.history_dock.table.model()
    assert isinstance(model, HistoryModel)
    with Book.open(generated_book, readonly=True) as book:
        events = list(book.store.read_all())
    cursor = len(events) * 2 // 3
    session.travel.move_to(cursor)
    qtbot.waitUntil(lambda: not accounts.stale)  # the tree's figures, read in a worker
    books = fold(events[:cursor])
    bar = link_of(window)._bar
    checked = 0
    for index, line in list(accounts.walk()):
        if line.balance is None or line.kind is LineKind.NET_WORTH:
            continue
        window.accounts_view.setCurrentIndex(index)
        action = next(a for a in window.accounts_view.actions() if a.objectName() == "showLineage")
        action.trigger()
        qtbot.waitUntil(lambda: "sum" in bar.message.text(), timeout=10_000)
        ids = _ids_below(accounts, index)
        expected = [e.position for e in events[:cursor]
                    if e.type in LINEAGE_TYPES and set(ids) & account_ids(e.data)]  # fmt: skip
        assert shown_positions(model) == expected
        text = bar.message.text()
        figure = money_text(line.balance, line.currency)
        assert f"{len(expected)} event" in text and text.endswith(f"sum {figure}"), text
        folded = sum(books.account_balance(a) for a in ids)  # a plain fold of the events
        assert folded == line.balance
        checked += 1
        if checked >= 6:
            break
    assert checked >= 3


def _ids_below(model: Any, index: QModelIndex) -> list[str]:
    line = model.value_at(index)
    found = [line.account.account_id] if line is not None and line.account is not None else []
    for row in range(model.rowCount(index)):
        found += _ids_below(model, model.index(row, 0, index))
    return found


def test_the_filter_is_the_domain_filter(window: MainWindow) -> None:
    bar = link_of(window)._bar
    bar.search.setText("Rent")
    assert bar.current_filter() == HistoryFilter(search="rent")


def test_a_new_event_that_matches_joins_the_filtered_rows(window: MainWindow, qtbot: Any) -> None:
    from domain.model.commands import RenameAccount

    session = window.findChild(BookSession)
    assert session is not None
    bar = link_of(window)._bar
    model = window.history_dock.table.model()
    assert isinstance(model, HistoryModel)
    bar.search.setText("Quokka")
    wait_count(qtbot, window, 0)
    account = session.accounts.accounts()[0]
    assert session.controller.execute(RenameAccount(account_id=account.account_id,
                                                    new_name="Quokka Fund"))  # fmt: skip
    wait_count(qtbot, window, 1)
    assert shown_positions(model) == [session.travel.head]


def test_the_index_is_filled_as_the_book_opens_after_a_rebuild(
    generated_book: Path, open_window: Window, qtbot: Any
) -> None:
    from domain.projections.search_index import HistorySearch

    with Book.open(generated_book) as book:
        book.read_models.rebuild()
        assert HistorySearch(book.read_models.store).behind() > 0
    window = open_window(generated_book)
    session = window.findChild(BookSession)
    assert session is not None

    def caught_up() -> bool:
        with Book.open(generated_book, readonly=True) as book:
            return HistorySearch(book.read_models.store).behind() == 0

    qtbot.waitUntil(caught_up, timeout=10_000)
    assert not link_of(window).active
    qtbot.wait(200)  # the worker's last word is in
    events = session.travel.head
    assert link_of(window)._bar.count.text() == f"{events:,} events"  # no filter: no "of"
    model = window.history_dock.table.model()
    assert isinstance(model, HistoryModel) and not model.filtered


def test_a_cache_from_before_the_trigrams_gets_them_and_finds_a_rare_text(
    generated_book: Path, open_window: Window, qtbot: Any
) -> None:
    from domain.projections import search_grams
    from domain.projections.search_index import HistorySearch
    from domain.store.sqlite.connection import dbapi

    def grams_upto() -> int | None:
        with (
            Book.open(generated_book, readonly=True) as book,
            book.read_models.store.transaction(allow_readonly=True),
        ):
            return search_grams.grams_upto(dbapi(book.read_models.store.connection))

    with Book.open(generated_book) as book:
        events = list(book.store.read_all())
        HistorySearch(book.read_models.store).catch_up()
        with book.read_models.store.transaction(allow_readonly=True):  # as an older app left it
            raw = dbapi(book.read_models.store.connection)
            raw.execute("DROP TABLE rm.rm_search_grams")
            raw.execute(f"DELETE FROM rm.rm_search_state WHERE id = {search_grams.STATE_ID}")
    assert grams_upto() is None
    window = open_window(generated_book)
    qtbot.waitUntil(lambda: grams_upto() == len(events), timeout=10_000)
    needle = str(events[len(events) // 3].metadata["command_id"])[4:12]
    expected = [e.position for e in events if needle in str(e.metadata["command_id"])]
    link_of(window)._bar.search.setText(needle.upper())
    wait_count(qtbot, window, len(expected))
    model = window.history_dock.table.model()
    assert isinstance(model, HistoryModel)
    assert len(events) // 3 + 1 in expected and shown_positions(model) == expected
