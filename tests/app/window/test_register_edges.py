"""The register's rough edges: where it opens, entries dated ahead, voided entries hidden."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from app_helpers import DAY, open_account

from app.desktop.book_session import BookSession
from app.models import register as register_module
from app.window.main_window import MainWindow
from domain.model.commands import Command, VoidEntry, Withdraw
from domain.model.events import AccountType

Window = Callable[[Path], MainWindow]


def many_entries(count: int) -> list[Command]:
    checking = open_account("Checking", AccountType.ASSET, "10000")
    food = open_account("Food", AccountType.EXPENSE)
    return [checking, food, *(
        Withdraw(account_id=checking.account_id, expense_account_id=food.account_id,
                 amount=Decimal("1.00"), booking_date=DAY + dt.timedelta(days=i),
                 payee=f"Shop {i}")
        for i in range(count)
    )]  # fmt: skip


def test_the_register_opens_at_its_newest_entry(
    make_book: Callable[[list[Command]], Path], open_window: Window, qtbot: Any
) -> None:
    window = open_window(make_book(many_entries(150)))
    window.show()
    qtbot.waitExposed(window)
    bar = window.register_panel.table.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    qtbot.wait(50)
    first_maximum = bar.maximum()
    assert bar.value() == bar.maximum()
    # the window laid out again (a restored dock, a banner, a smaller window): still there
    window.resize(window.width(), window.height() - 200)
    qtbot.waitUntil(lambda: bar.maximum() > first_maximum)
    assert bar.value() == bar.maximum()
    # and so does another account's, chosen later
    accounts = window.accounts_view.model().accounts()
    food = next(a for a in accounts if a.name == "Food")
    window.accounts_view.select_account(food.account_id)
    qtbot.wait(50)
    assert bar.maximum() > 0 and bar.value() == bar.maximum()


def test_a_register_scrolled_up_stays_where_it_was_put(
    make_book: Callable[[list[Command]], Path], open_window: Window, qtbot: Any
) -> None:
    window = open_window(make_book(many_entries(150)))
    window.show()
    qtbot.waitExposed(window)
    bar = window.register_panel.table.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0 and bar.value() == bar.maximum())
    qtbot.wait(50)  # the window settles before the user scrolls
    bar.setValue(10)
    window.resize(window.width(), window.height() - 200)
    qtbot.wait(50)
    assert bar.value() == 10


def test_hide_voided_entries_is_a_view_toggle_kept_in_the_settings(
    make_book: Callable[[list[Command]], Path], launcher: Any, qtbot: Any
) -> None:
    commands = many_entries(3)
    spent = commands[-1]
    assert isinstance(spent, Withdraw)
    path = make_book([*commands, VoidEntry(entry_id=spent.entry_id, voided_on=DAY)])
    window = launcher.show_book(path)
    model = window.register_panel.table.model()
    assert model.rowCount() == 5  # opening, three entries, one void
    view_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    assert window.hide_voided in view_menu.actions()
    window.hide_voided.trigger()
    assert model.rowCount() == 3
    window.close()
    qtbot.waitUntil(lambda: path.resolve() not in launcher.windows)
    again = launcher.show_book(path)
    assert again.hide_voided.isChecked()
    assert again.register_panel.table.model().rowCount() == 3


def test_a_long_registers_voided_entries_are_hidden_by_a_worker(
    make_book: Callable[[list[Command]], Path],
    launcher: Any,
    qtbot: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Past SYNC_HIDDEN_ROWS rows the walk for voided rows runs in a worker (it costs about
    1 µs a row: 270 ms for a 266,000-row register), and the register shows every row
    until the worker answers; on the GUI thread nothing is walked."""
    monkeypatch.setattr(register_module, "SYNC_HIDDEN_ROWS", 0)
    commands = many_entries(3)
    spent = commands[-1]
    assert isinstance(spent, Withdraw)
    path = make_book([*commands, VoidEntry(entry_id=spent.entry_id, voided_on=DAY)])
    window = launcher.show_book(path)
    model = window.register_panel.table.model()
    reads = window.findChild(BookSession).book.read_models
    walked: list[str] = []
    monkeypatch.setattr(reads, "register_hidden", lambda *a, **k: walked.append("gui") or [])
    window.hide_voided.trigger()
    assert model.rowCount() == 5  # every row, until the worker has looked
    qtbot.waitUntil(lambda: model.rowCount() == 3, timeout=5000)
    assert walked == []  # the GUI thread's read models were never asked to walk
