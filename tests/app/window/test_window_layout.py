"""The main window's layout at common sizes: money in view, names and types in full."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from app_helpers import DAY, household, open_account
from PySide6.QtCore import QCoreApplication, QModelIndex, QPoint, QRect
from PySide6.QtWidgets import QApplication, QStyle, QTableView

from app.desktop.book_session import BookSession
from app.desktop.launcher import Access, Launcher
from app.models import history as history_cols
from app.models import register as register_cols
from app.models.accounts import COL_NAME
from app.window.main_window import MainWindow
from domain.model.commands import Command, OpenAccount, RenameAccount, Withdraw
from domain.model.events import AccountType

Window = Callable[[Path], MainWindow]


def long_names() -> list[Command]:
    """The household, with the names the sample book has, a rename and a two-account entry."""
    commands = household()
    checking = commands[0]
    assert isinstance(checking, OpenAccount)
    owner = open_account("Owner's Equity", AccountType.EQUITY, "0")
    rent = open_account("Rent", AccountType.EXPENSE)
    return [
        *commands,
        owner,
        rent,
        RenameAccount(account_id=rent.account_id, new_name="Rent and Service Charges"),
        Withdraw(account_id=checking.account_id, expense_account_id=rent.account_id,
                 amount=Decimal("890.00"), booking_date=DAY + dt.timedelta(days=1),
                 payee="Landlord", memo="March"),
    ]  # fmt: skip


def shown(window: MainWindow, qtbot: Any, width: int, height: int) -> MainWindow:
    window.resize(width, height)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.width() == width)
    return window


@pytest.fixture
def window(make_book: Callable[[list[Command]], Path], open_window: Window) -> MainWindow:
    return open_window(make_book(long_names()))


def text_margin(table: QTableView) -> int:
    """What the item delegate keeps on either side of a cell's text."""
    return table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1


def in_full(table: QTableView, row: int, column: int) -> bool:
    """Whether the cell's text fits its column, unelided."""
    text = str(table.model().data(table.model().index(row, column)))
    room = table.horizontalHeader().sectionSize(column) - 2 * text_margin(table)
    return table.fontMetrics().horizontalAdvance(text) <= room


def settles_without_scrollbar(qtbot: Any, table: QTableView) -> None:
    """The horizontal scrollbar goes once the layout has settled (it is laid out late)."""
    qtbot.waitUntil(lambda: not table.horizontalScrollBar().isVisible(), timeout=2000)


def right_edge(table: QTableView, column: int) -> int:
    header = table.horizontalHeader()
    return header.sectionViewportPosition(column) + header.sectionSize(column)


@pytest.mark.parametrize("size", [(921, 630), (1024, 700), (1360, 860), (1920, 1080)])
def test_the_registers_money_is_in_view_without_scrolling(
    window: MainWindow, qtbot: Any, size: tuple[int, int]
) -> None:
    shown(window, qtbot, *size)
    table = window.register_panel.table
    qtbot.waitUntil(lambda: table.model().rowCount() > 0)
    settles_without_scrollbar(qtbot, table)
    viewport = table.viewport().width()
    for column in (register_cols.COL_AMOUNT, register_cols.COL_BALANCE):
        assert right_edge(table, column) <= viewport
        for row in range(table.model().rowCount()):
            assert in_full(table, row, column)
    # the text columns take the rest: the last column ends at the view's edge
    last = table.horizontalHeader().logicalIndex(table.model().columnCount() - 1)
    assert right_edge(table, last) == viewport


def test_a_dragged_money_column_takes_its_room_from_the_text_columns(
    window: MainWindow, qtbot: Any
) -> None:
    shown(window, qtbot, 1024, 700)
    table = window.register_panel.table
    header = table.horizontalHeader()
    payee = header.sectionSize(register_cols.COL_PAYEE)
    header.resizeSection(
        register_cols.COL_AMOUNT, header.sectionSize(register_cols.COL_AMOUNT) + 30
    )
    assert header.sectionSize(register_cols.COL_PAYEE) < payee
    settles_without_scrollbar(qtbot, table)


def test_the_historys_summary_is_in_view_at_1024(window: MainWindow, qtbot: Any) -> None:
    shown(window, qtbot, 1024, 700)
    table = window.history_dock.table
    header = table.horizontalHeader()
    settles_without_scrollbar(qtbot, table)
    summary = header.sectionViewportPosition(history_cols.COL_SUMMARY)
    assert summary + 100 <= table.viewport().width()
    assert right_edge(table, history_cols.COL_SUMMARY) == table.viewport().width()


def test_the_historys_types_and_accounts_are_in_full_at_1920(
    window: MainWindow, qtbot: Any
) -> None:
    shown(window, qtbot, 1920, 1080)
    table = window.history_dock.table
    model = table.model()
    types = {
        str(model.data(model.index(r, history_cols.COL_TYPE))) for r in range(model.rowCount())
    }
    assert {"Account opened", "Account renamed", "Entry posted"} <= types
    for row in range(model.rowCount()):
        for column in (history_cols.COL_TYPE, history_cols.COL_ACCOUNT, history_cols.COL_RECORDED,
                       history_cols.COL_BOOKING):  # fmt: skip
            assert in_full(table, row, column), model.data(model.index(row, column))


@pytest.mark.parametrize("size", [(1024, 700), (1920, 1080)])
def test_account_names_are_in_full(window: MainWindow, qtbot: Any, size: tuple[int, int]) -> None:
    shown(window, qtbot, *size)
    view = window.accounts_view
    model = view.model()

    def names(parent: QModelIndex) -> Iterator[QModelIndex]:
        for r in range(model.rowCount(parent)):
            yield model.index(r, COL_NAME, parent)
            yield from names(model.index(r, 0, parent))

    found = {str(model.data(index)): index for index in names(QModelIndex())}
    assert "Opening Balances" in found and "Owner's Equity" in found
    # the decoration (the type's dot) comes before the name; the tree's indentation is
    # outside the cell's rectangle
    icon = view.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize) + 4
    for name in ("Opening Balances", "Owner's Equity"):
        room = view.visualRect(found[name]).width() - 2 * text_margin(view) - icon
        assert view.fontMetrics().horizontalAdvance(name) <= room, name
    qtbot.waitUntil(lambda: not view.horizontalScrollBar().isVisible(), timeout=2000)
    header = view.header()
    last = model.columnCount() - 1
    end = header.sectionViewportPosition(last) + header.sectionSize(last)
    assert end == view.viewport().width()


def test_columns_refit_when_the_window_narrows(window: MainWindow, qtbot: Any) -> None:
    shown(window, qtbot, 1920, 1080)
    table = window.register_panel.table
    wide = table.horizontalHeader().sectionSize(register_cols.COL_PAYEE)
    window.resize(1024, 700)
    qtbot.waitUntil(lambda: table.horizontalHeader().sectionSize(register_cols.COL_PAYEE) < wide)
    settles_without_scrollbar(qtbot, table)
    assert right_edge(table, register_cols.COL_BALANCE) <= table.viewport().width()


def test_a_long_status_message_is_elided_before_the_books_path(
    window: MainWindow, qtbot: Any
) -> None:
    shown(window, qtbot, 1024, 700)
    status = window.status
    text = "Recorded " + "W" * 300
    status.showMessage(text, 60000)
    qtbot.waitUntil(lambda: status.currentMessage() == text)
    path = status.path_label.geometry()
    # a strip just before the path is bare: nothing painted runs into it (before, the
    # message was cut mid-letter two pixels from the path)
    image = status.grab().toImage()
    for y in range(path.top(), path.bottom()):
        strip = {image.pixel(x, y) for x in range(path.left() - 8, path.left())}
        assert len(strip) == 1, y
    shown_text = status.message.shown_text()
    assert shown_text.endswith("…") and shown_text.startswith("Recorded WW")
    assert status.message.geometry().right() < path.left()
    assert status.message.toolTip() == text
    assert status.path_label.shown_text() == status.path_label.text()  # room for it in full
    status.clearMessage()
    assert status.message.shown_text() == ""


def test_a_long_path_is_elided_in_its_middle_on_a_narrow_window(
    window: MainWindow, qtbot: Any
) -> None:
    shown(window, qtbot, 1024, 700)
    status = window.status
    long_path = "/home/someone/Documents/Accounts/Household/2026/" + "x" * 80 + "/Books.tallybook"
    status.path_label.setText(long_path)
    qtbot.waitUntil(lambda: status.path_label.shown_text() != long_path)
    shown_path = status.path_label.shown_text()
    assert shown_path.startswith("/home/") and shown_path.endswith("Books.tallybook")
    assert "…" in shown_path
    integrity = status.integrity_label
    assert integrity.geometry().right() <= status.width()
    assert integrity.width() >= integrity.sizeHint().width()


def test_nothing_moves_between_the_present_and_the_past(window: MainWindow, qtbot: Any) -> None:
    shown(window, qtbot, 1024, 700)
    travel = window.findChild(BookSession).travel  # type: ignore[union-attr]
    slider, register = window.timeline.slider, window.register_panel.table

    def places() -> tuple[QRect, int, int]:
        top_left = slider.mapTo(window, QPoint(0, 0))
        return (QRect(top_left, slider.size()), register.mapTo(window, QPoint(0, 0)).y(),
                window.history_dock.mapTo(window, QPoint(0, 0)).y())  # fmt: skip

    def settled() -> tuple[QRect, int, int]:
        QCoreApplication.sendPostedEvents()  # the layouts' requests
        QApplication.processEvents()
        return places()

    present = settled()
    captions = set()
    # the first event, a rename, an entry and the one before the present: captions of
    # different lengths, and the banner coming
    for position in (1, 10, 11, travel.head - 1, 2):
        travel.move_to(position)
        qtbot.waitUntil(lambda p=position: travel.cursor == p)  # type: ignore[misc]
        assert window.banner.isVisible()
        captions.add(window.timeline.label.text())
        assert settled() == present, window.timeline.label.text()
    assert len({len(c) for c in captions}) > 1  # the captions did differ
    # the banner lies over the tool bar, whose commands are disabled in the past anyway
    assert window.banner.geometry() == window.tool_bar.geometry()
    assert not any(action.isEnabled() for action in window.actions_.editing)
    travel.return_to_present()
    qtbot.waitUntil(lambda: not window.banner.isVisible())
    assert settled() == present


def test_the_timeline_caption_is_shown_in_full(window: MainWindow, qtbot: Any) -> None:
    shown(window, qtbot, 1024, 700)
    caption = window.timeline.label
    assert caption.shown_text() == caption.text()
    assert caption.text().startswith(f"Event #{window.timeline.slider.value()} of ")


def past_and_back(window: MainWindow, qtbot: Any) -> tuple[int, int, int]:
    """The register's top in the present, in the past and in the present again."""
    travel = window.findChild(BookSession).travel  # type: ignore[union-attr]
    register = window.register_panel.table

    def top() -> int:
        QCoreApplication.sendPostedEvents()
        QApplication.processEvents()
        return register.mapTo(window, QPoint(0, 0)).y()

    present = top()
    travel.move_to(3)
    qtbot.waitUntil(lambda: window.banner.isVisible())
    assert "as of event #3" in window.banner.label.text()
    past = top()
    travel.return_to_present()
    qtbot.waitUntil(lambda: travel.in_present)
    return present, past, top()


def test_without_the_tool_bar_the_past_banner_shows_above_the_views(
    window: MainWindow, qtbot: Any
) -> None:
    shown(window, qtbot, 1024, 700)
    window.tool_bar.hide()
    present, past, again = past_and_back(window, qtbot)
    assert past > present == again  # in sight, if not in place: it pushes the views down
    assert not window.banner.isVisible()


def test_the_tool_bar_hidden_while_in_the_past_brings_the_banner_above_the_views(
    window: MainWindow, qtbot: Any
) -> None:
    shown(window, qtbot, 1024, 700)
    travel = window.findChild(BookSession).travel  # type: ignore[union-attr]
    travel.move_to(3)
    qtbot.waitUntil(lambda: window.banner.isVisible())
    window.tool_bar.hide()
    qtbot.waitUntil(lambda: window.banner.isVisible())
    assert window.banner.parentWidget() is window.centralWidget()


def test_a_standing_note_keeps_its_room_in_the_past(
    make_book: Callable[[list[Command]], Path], launcher: Launcher, qtbot: Any
) -> None:
    note = " ".join(["Opened read-only: it is open for writing in another Tallybook."] * 3)
    window = launcher.show_book(make_book(long_names()), Access(read_only=True, note=note))
    shown(window, qtbot, 1024, 700)
    assert window.banner.isVisible() and window.banner.label.text() == note
    present, past, again = past_and_back(window, qtbot)
    assert present == past == again
    assert window.banner.label.text() == note


def test_the_past_banner_follows_the_tool_bar_when_the_window_is_resized(
    window: MainWindow, qtbot: Any
) -> None:
    shown(window, qtbot, 1024, 700)
    travel = window.findChild(BookSession).travel  # type: ignore[union-attr]
    travel.move_to(3)
    qtbot.waitUntil(lambda: window.banner.isVisible())
    window.resize(1600, 900)
    qtbot.waitUntil(lambda: window.tool_bar.width() > 1500)
    qtbot.waitUntil(lambda: window.banner.geometry() == window.tool_bar.geometry())
    assert window.banner.button.isVisible()
    assert window.banner.button.geometry().right() < window.banner.width()
