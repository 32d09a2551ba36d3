"""The accounts tree in the window: the chosen account is kept by id across time travel, and
no header or total row is ever made current in its place."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from app_helpers import household
from PySide6.QtCore import Qt

from app.desktop.book_session import BookSession
from app.window.main_window import MainWindow
from domain.model.commands import Command

Window = Callable[[Path], MainWindow]


@pytest.fixture
def window(make_book: Callable[[list[Command]], Path], open_window: Window) -> MainWindow:
    return open_window(make_book(household()))  # Savings opens at event 6 of 9


def go_to(window: MainWindow, qtbot: Any, position: int | None) -> None:
    travel = window.findChild(BookSession).travel  # type: ignore[union-attr]
    if position is None:
        qtbot.mouseClick(window.banner.button, Qt.MouseButton.LeftButton)  # Return to Present
        qtbot.waitUntil(lambda: travel.in_present)
    else:
        travel.move_to(position)
        qtbot.waitUntil(lambda: travel.cursor == position)
    # the tree's rows as of the new cursor are read in a worker
    qtbot.waitUntil(lambda: not window.accounts_view.model().stale)  # type: ignore[attr-defined]


def registered(window: MainWindow) -> str | None:
    account = window.register_panel.table.model().account  # type: ignore[attr-defined]
    return None if account is None else str(account.name)


def account_id(window: MainWindow, name: str) -> str:
    return next(a.account_id for a in window.accounts_view.model().accounts() if a.name == name)


def current_label(window: MainWindow) -> str | None:
    index = window.accounts_view.currentIndex()
    return None if not index.isValid() else str(index.data())


def test_going_back_before_the_account_existed_selects_no_other(
    window: MainWindow, qtbot: Any
) -> None:
    view = window.accounts_view
    view.select_account(account_id(window, "Savings"))
    assert registered(window) == "Savings"
    go_to(window, qtbot, 3)  # Savings is not opened yet
    assert view.selected_account() is None
    assert current_label(window) is None  # not Checking, not "Net worth"
    assert registered(window) is None
    assert "Savings was not opened yet" in window.register_panel.title.text()
    go_to(window, qtbot, 7)  # it exists again: chosen again
    assert view.selected_account() is not None and view.selected_account().name == "Savings"  # type: ignore[union-attr]
    go_to(window, qtbot, 1)
    go_to(window, qtbot, None)
    assert view.selected_account().name == "Savings"  # type: ignore[union-attr]
    assert registered(window) == "Savings"
    assert window.register_panel.table.model().rowCount() == 1  # its opening balance
    assert "not opened yet" not in window.register_panel.title.text()


def test_at_the_first_event_the_net_worth_row_is_never_made_current(
    window: MainWindow, qtbot: Any
) -> None:
    view = window.accounts_view
    view.select_account(account_id(window, "Groceries"))
    go_to(window, qtbot, 1)  # Assets, Checking, Net worth
    assert current_label(window) is None
    go_to(window, qtbot, 8)
    assert registered(window) == "Groceries"  # not an empty register under "Net worth"


def test_an_account_that_exists_stays_selected_and_shows_its_past(
    window: MainWindow, qtbot: Any
) -> None:
    view = window.accounts_view
    view.select_account(account_id(window, "Checking"))
    go_to(window, qtbot, 3)
    assert view.selected_account().name == "Checking"  # type: ignore[union-attr]
    assert registered(window) == "Checking"
    assert window.register_panel.table.model().rowCount() == 1


def test_choosing_another_account_in_the_past_is_what_the_present_restores(
    window: MainWindow, qtbot: Any
) -> None:
    view = window.accounts_view
    view.select_account(account_id(window, "Savings"))
    go_to(window, qtbot, 4)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Home)  # past "Assets", a header: its first account
    chosen = view.selected_account()
    assert chosen is not None and chosen.name == "Checking"
    go_to(window, qtbot, None)
    assert view.selected_account().account_id == chosen.account_id  # type: ignore[union-attr]


def test_the_arrow_keys_step_over_headers_and_totals(window: MainWindow, qtbot: Any) -> None:
    view = window.accounts_view
    view.select_account(account_id(window, "Savings"))  # the last asset
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Down)  # past "Equity"
    assert view.selected_account().name == "Opening Balances"  # type: ignore[union-attr]
    assert registered(window) == "Opening Balances"
    qtbot.keyClick(view, Qt.Key.Key_Up)
    assert view.selected_account().name == "Savings"  # type: ignore[union-attr]
    qtbot.keyClick(view, Qt.Key.Key_End)  # "Net worth" is last: its nearest account
    assert view.selected_account().name == "Groceries"  # type: ignore[union-attr]
    qtbot.keyClick(view, Qt.Key.Key_Home)  # "Assets" is first
    assert view.selected_account().name == "Checking"  # type: ignore[union-attr]
    assert registered(window) == "Checking"
