"""The hierarchy in the real window: Open Account under a parent, Entry ▸ Move Account…,
and View ▸ Show Closed Accounts (kept in the settings)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from app_helpers import DAY, balance, household, open_account, shown_names
from PySide6.QtCore import Qt

from app.desktop.book_session import BookSession
from app.desktop.launcher import Launcher
from app.desktop.settings import AppSettings
from app.dialogs.move_account import TOP, MoveAccountDialog, parent_choices
from app.dialogs.open_account import OpenAccountDialog
from app.window.main_window import MainWindow
from domain.model.commands import CloseAccount, Command
from domain.model.events import AccountType

Window = Callable[[Path], MainWindow]
X = AccountType.EXPENSE


def with_car() -> list[Command]:
    """The household, and Car ▸ Fuel under Expenses."""
    car = open_account("Car", X)
    return [*household(), car, open_account("Fuel", X, parent=car.account_id)]


def ids(window: MainWindow) -> dict[str, str]:
    return {a.name: a.account_id for a in window.accounts_view.model().accounts()}


def choose(combo: Any, qtbot: Any, text: str) -> None:
    """Pick an item by typing into the focused combo box, as a person would."""
    combo.setFocus()
    for _ in range(combo.count()):
        if combo.currentText() == text:
            return
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    offered = [combo.itemText(i) for i in range(combo.count())]
    raise AssertionError(f"{text!r} is not offered: {offered}")


def test_open_account_offers_parents_of_the_chosen_type(
    make_book: Callable[[list[Command]], Path], open_window: Window, qtbot: Any
) -> None:
    window = open_window(make_book(with_car()))
    window.actions_.open_account.trigger()
    dialog = window.dialogs.current
    assert isinstance(dialog, OpenAccountDialog)
    qtbot.keyClicks(dialog.name, "Tyres")
    dialog.choose_type(X)
    offered = [dialog.parent_account.itemText(i) for i in range(dialog.parent_account.count())]
    assert offered == [TOP, "Car", "Car ▸ Fuel", "Groceries"]
    choose(dialog.parent_account, qtbot, "Car")
    dialog.choose_type(AccountType.ASSET)  # Car is no parent for an asset
    assert dialog.parent_account.currentText() == TOP
    dialog.choose_type(X)
    choose(dialog.parent_account, qtbot, "Car")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert window.dialogs.current is None
    names = shown_names(window.accounts_view.model())
    assert names[names.index("  Car") + 1 : names.index("  Car") + 3] == ["    Fuel", "    Tyres"]


def test_move_account_puts_the_selected_account_under_another(
    make_book: Callable[[list[Command]], Path], open_window: Window, qtbot: Any
) -> None:
    window = open_window(make_book(with_car()))
    window.accounts_view.select_account(ids(window)["Car"])
    window.actions_.move_account.trigger()
    dialog = window.dialogs.current
    assert isinstance(dialog, MoveAccountDialog)
    assert dialog.account.currentText().startswith("Car")
    # not under itself nor under Fuel, which is below it
    offered = [dialog.new_parent.itemText(i) for i in range(dialog.new_parent.count())]
    assert offered == [TOP, "Groceries"]
    assert not dialog.ok_button.isEnabled() and "at the top" in dialog.message.text()
    choose(dialog.new_parent, qtbot, "Groceries")
    assert dialog.ok_button.isEnabled()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert window.dialogs.current is None
    names = shown_names(window.accounts_view.model())
    at = names.index("  Groceries")
    assert names[at : at + 3] == ["  Groceries", "    Car", "      Fuel"]
    assert balance(window, "Groceries") == "€45.50"
    assert window.accounts_view.selected_account().name == "Car"  # type: ignore[union-attr]


def test_parent_choices_follow_the_books_rules(
    make_book: Callable[[list[Command]], Path], open_window: Window
) -> None:
    old = open_account("Old", X)
    closed = CloseAccount(account_id=old.account_id, closed_on=DAY)
    window = open_window(make_book([*with_car(), old, closed]))
    accounts = window.accounts_view.model().accounts()
    fuel = ids(window)["Fuel"]
    # open expense accounts only (not Old, which is closed), and not Fuel itself
    assert [path for _, path in parent_choices(accounts, X, fuel)] == [TOP, "Car", "Groceries"]
    car = ids(window)["Car"]
    assert [path for _, path in parent_choices(accounts, X, car)] == [TOP, "Groceries"]
    assert [path for _, path in parent_choices(accounts, AccountType.INCOME)] == [TOP, "Salary"]


def test_closed_accounts_can_be_hidden_and_the_choice_is_kept(
    make_book: Callable[[list[Command]], Path], settings: AppSettings, qtbot: Any
) -> None:
    spare = open_account("Spare", X)
    path = make_book([*household(), spare, CloseAccount(account_id=spare.account_id,
                                                         closed_on=DAY)])  # fmt: skip
    launcher = Launcher(settings)
    window = launcher.show_book(path)
    toggle = window.accounts_view.show_closed_action
    assert toggle.isChecked() and "  Spare (closed)" in shown_names(window.accounts_view.model())
    view_menu = next(m for m in window.menuBar().actions() if m.text() == "&View").menu()
    assert toggle in view_menu.actions()  # type: ignore[union-attr]
    toggle.trigger()
    assert "  Spare (closed)" not in shown_names(window.accounts_view.model())
    assert settings.show_closed_accounts() is False
    window.close()
    again = launcher.show_book(path)
    assert not again.accounts_view.show_closed_action.isChecked()
    assert "  Spare (closed)" not in shown_names(again.accounts_view.model())
    again.close()


def drop(window: MainWindow, name: str, onto: str) -> bool:
    """Drop the account ``name`` on the row labelled ``onto``, as the tree's drop does."""
    model = window.accounts_view.model()
    moved = model.index_of_account(ids(window)[name])
    target = next(i for i, line in model.walk() if line.label == onto)
    data = model.mimeData([moved])
    allowed = model.canDropMimeData(data, Qt.DropAction.MoveAction, -1, -1, target)
    model.dropMimeData(data, Qt.DropAction.MoveAction, -1, -1, target)
    return allowed


def test_an_account_dropped_on_another_moves_under_it(
    make_book: Callable[[list[Command]], Path], open_window: Window, qtbot: Any
) -> None:
    window = open_window(make_book(with_car()))
    view = window.accounts_view
    assert view.dragEnabled() and view.dragDropMode() is view.DragDropMode.InternalMove
    assert drop(window, "Car", "Groceries")
    names = shown_names(view.model())
    assert names[names.index("  Groceries") + 1] == "    Car"
    assert drop(window, "Car", "Expenses")  # its type's header: back to the top
    assert "  Car" in shown_names(view.model())
    head = window.timeline.slider.maximum()
    # the books' rules, before anything is sent: no cycle, no other type, no same place
    assert not drop(window, "Car", "Fuel")
    assert not drop(window, "Car", "Salary")
    assert not drop(window, "Car", "Income")
    assert not drop(window, "Fuel", "Car")
    assert not drop(window, "Car", "Net worth")
    assert window.timeline.slider.maximum() == head


def test_in_the_past_nothing_can_be_dragged_and_a_late_drop_records_nothing(
    make_book: Callable[[list[Command]], Path], open_window: Window, qtbot: Any
) -> None:
    window = open_window(make_book(with_car()))
    head = window.timeline.slider.maximum()
    travel = window.findChild(BookSession).travel  # type: ignore[union-attr]
    travel.move_to(head - 1)
    qtbot.waitUntil(lambda: not travel.in_present)
    assert not window.accounts_view.dragEnabled()
    assert not window.accounts_view.viewport().acceptDrops()
    drop(window, "Groceries", "Car")  # Fuel is not there yet; Car is
    assert window.timeline.slider.maximum() == head
