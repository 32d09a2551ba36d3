"""The timeline in the real main window: replayed balances, linked history, read-only past."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from app_helpers import balance, household, open_account, wait_fresh
from PySide6.QtCore import Qt

from app.composition import Book
from app.desktop.book_session import BookSession
from app.models.history import COL_SUMMARY
from app.window.main_window import MainWindow
from domain.model.commands import Command
from domain.model.events import AccountType

Window = Callable[[Path], MainWindow]


@pytest.fixture
def window(make_book: Callable[[list[Command]], Path], open_window: Window) -> MainWindow:
    return open_window(make_book(household()))  # nine events; Checking ends at 1,054.50


def move_slider(window: MainWindow, qtbot: Any, position: int) -> None:
    window.timeline.slider.setValue(position)
    qtbot.waitUntil(lambda: window.timeline.slider.value() == position and not
                    window.timeline._pending)  # fmt: skip
    travel = window.findChild(BookSession).travel  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: travel.cursor == position)
    qtbot.waitUntil(lambda: not travel_accounts(window).stale)  # read in a worker


def travel_accounts(window: MainWindow) -> Any:
    return window.findChild(BookSession).accounts  # type: ignore[union-attr]


def test_moving_the_slider_replays_balances_and_return_restores_them(
    window: MainWindow, qtbot: Any
) -> None:
    assert balance(window, "Checking") == "€1,054.50"
    move_slider(window, qtbot, 8)
    assert balance(window, "Checking") == "€1,100.00"
    assert window.timeline.label.text().startswith("Event #8 of 9 · ")
    assert window.banner.isVisibleTo(window)
    assert "as of event #8" in window.banner.label.text()
    move_slider(window, qtbot, 3)  # Checking's opening balance
    assert balance(window, "Checking") == "€100.00"
    with pytest.raises(KeyError):
        balance(window, "Savings")  # opened at event 6
    qtbot.mouseClick(window.banner.button, Qt.MouseButton.LeftButton)
    assert balance(window, "Checking") == "€1,054.50"
    assert balance(window, "Savings") == "€50.00"
    assert not window.banner.isVisibleTo(window)
    assert window.timeline.slider.value() == 9


def test_dragging_applies_only_the_last_position(window: MainWindow, qtbot: Any) -> None:
    session = window.findChild(BookSession)
    assert session is not None
    seen: list[int] = []
    session.travel.cursor_changed.connect(seen.append)
    for value in (5, 4, 3, 2):
        window.timeline.slider.setValue(value)
    qtbot.waitUntil(lambda: session.travel.cursor == 2)
    assert seen == [2]


def test_editing_is_disabled_in_the_past(window: MainWindow, qtbot: Any) -> None:
    assert window.actions_.deposit.isEnabled()
    move_slider(window, qtbot, 3)
    assert not any(action.isEnabled() for action in window.actions_.editing)
    window.timeline.actions_.present.trigger()
    assert window.actions_.deposit.isEnabled()


def test_step_keys_and_actions_move_one_event(window: MainWindow, qtbot: Any) -> None:
    window.timeline.actions_.back.trigger()
    window.timeline.actions_.back.trigger()
    assert window.timeline.slider.value() == 7
    window.timeline.actions_.forward.trigger()
    assert window.timeline.slider.value() == 8
    window.timeline.actions_.first.trigger()
    assert window.timeline.slider.value() == 1
    assert window.timeline.actions_.back.shortcut().toString() == "Ctrl+["
    assert window.timeline.actions_.forward.shortcut().toString() == "Ctrl+]"


def test_play_steps_forward_until_the_present(window: MainWindow, qtbot: Any) -> None:
    window.timeline.speed.setCurrentIndex(2)  # 16×
    window.timeline.play()
    assert window.timeline.slider.value() == 1  # playing from the present starts over
    qtbot.waitUntil(lambda: not window.timeline.playing, timeout=5000)
    assert window.timeline.slider.value() == 9
    assert window.actions_.deposit.isEnabled()


def test_history_selection_follows_the_cursor_and_enter_moves_it(
    window: MainWindow, qtbot: Any
) -> None:
    dock, table = window.history_dock, window.history_dock.table
    move_slider(window, qtbot, 3)
    assert table.currentIndex().row() == 2
    assert "#3" in dock.detail.toPlainText() and "Hash" in dock.detail.toPlainText()
    model = table.model()
    assert model.data(model.index(4, COL_SUMMARY), Qt.ItemDataRole.ForegroundRole) is not None
    table.setCurrentIndex(model.index(4, 0))
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert window.timeline.slider.value() == 5
    rect = table.visualRect(model.index(2, 1))
    # a real double-click is a press and release, then the double-click event
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.timeline.slider.value() == 5  # selecting alone does not move the cursor
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.timeline.slider.value() == 3
    assert balance(window, "Checking") == "€100.00"


def test_events_appended_elsewhere_grow_the_timeline_but_keep_the_cursor(
    window: MainWindow, qtbot: Any
) -> None:
    session = window.findChild(BookSession)
    assert session is not None
    move_slider(window, qtbot, 2)
    with Book.open(session.parts.path) as other:  # e.g. the CLI, writing the same file
        other.service.execute(open_account("Rent", AccountType.EXPENSE))
    assert len(session.watcher.poll()) == 1
    assert (session.travel.head, session.travel.cursor) == (10, 2)
    assert window.timeline.label.text().startswith("Event #2 of 10")
    assert window.history_dock.table.model().rowCount() == 10
    window.timeline.actions_.present.trigger()
    assert balance(window, "Rent") == "€0.00"


def test_a_timeline_step_updates_the_editing_actions_once_not_per_changed_account(
    make_book: Any, open_window: Any, monkeypatch: Any
) -> None:
    from app.window import main_window

    window = open_window(make_book(household()))
    calls: list[object] = []
    real = main_window.update_editing
    monkeypatch.setattr(main_window, "update_editing",
                        lambda *a, **k: calls.append(a) or real(*a, **k))  # fmt: skip
    accounts = window._parts.accounts
    accounts.set_as_of(4)  # as the timeline's step does: several rows of the tree change
    wait_fresh(accounts)  # read in a worker: the rows change when its answer comes
    # the sync's call, not one per changed row (that was 8 here); the register no longer
    # reads its rows again for the same account's new balance, which made a second
    assert len(calls) == 1
