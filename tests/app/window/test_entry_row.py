"""Typing entries into the register's entry row, by keyboard only, in the real window."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from app_helpers import DAY, household, open_account
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.dialogs.open_account import OpenAccountDialog
from app.formatting import date_text
from app.models import register as cols
from app.window.entry_row import EntryRow
from app.window.main_window import MainWindow
from domain.model.commands import Command, Withdraw
from domain.model.events import AccountType

Window = Callable[[Path], MainWindow]
Key = str | Qt.Key
DISPLAY = Qt.ItemDataRole.DisplayRole


def ready(window: MainWindow, qtbot: Any, account: str = "Checking") -> EntryRow:
    """The window shown and active, ``account`` selected, its payees read; the row."""
    assert window.entry_row is not None
    row = window.entry_row.row
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.waitUntil(lambda: row.payees.is_loaded, timeout=10_000)
    found = [a for a in window.accounts_view.model().accounts() if a.name == account]
    window.accounts_view.select_account(found[0].account_id)
    assert row.isEnabled()
    row.date.setFocus()
    qtbot.waitUntil(row.date.hasFocus)
    return row


def press(qtbot: Any, keys: Sequence[Key]) -> int:
    """Send ``keys`` to whichever widget has the focus at each one; how many keystrokes:
    one per character of a text, one per key."""
    count = 0
    for key in keys:
        for one in ([key] if isinstance(key, Qt.Key) else list(key)):
            widget = QApplication.focusWidget()
            assert widget is not None
            if isinstance(one, Qt.Key):
                qtbot.keyClick(widget, one)
            else:
                qtbot.keyClicks(widget, one)
            count += 1
    return count


def register_rows(window: MainWindow) -> list[tuple[str, ...]]:
    model = window.register_panel.table.model()
    return [
        tuple(str(model.data(model.index(r, c), DISPLAY)) for c in range(cols.COL_BALANCE + 1))
        for r in range(model.rowCount())
    ]


def test_a_new_entry_typed_in_by_keyboard_is_recorded_as_a_withdrawal(
    make_book: Callable[[list[Command]], Path], open_window: Window, qtbot: Any
) -> None:
    window = open_window(make_book(household()))
    row = ready(window, qtbot)
    before = len(register_rows(window))
    events = window.history_dock.table.model().rowCount()
    yesterday = dt.date.today() - dt.timedelta(days=1)
    # the date: - moves a day back, t is today, + forward; ONE Tab leaves it
    press(qtbot, ["-", "-", "t", "-", Qt.Key.Key_Tab])
    assert row.payee.hasFocus()
    press(qtbot, ["Corner Shop", Qt.Key.Key_Tab, "bread", Qt.Key.Key_Tab, "gro"])
    assert row.counter.text().casefold() == "groceries"  # completed as typed
    press(qtbot, [Qt.Key.Key_Tab, Qt.Key.Key_Tab, "12.34", Qt.Key.Key_Enter])
    assert row.error_text() == ""
    rows = register_rows(window)
    assert len(rows) == before + 1
    assert (date_text(yesterday), "Corner Shop", "bread", "Groceries", "-€12.34") == rows[-1][:5]
    # the row is empty again for the next one, its date kept, the focus back on it
    assert (row.payee.text(), row.counter.text(), row.outflow.text()) == ("", "", "")
    assert row.date.date().toPython() == yesterday and row.date.hasFocus()
    assert window.history_dock.table.model().rowCount() == events + 1


def test_a_known_payee_fills_the_rest_and_takes_at_most_six_keystrokes(
    make_book: Callable[[list[Command]], Path], open_window: Window, qtbot: Any
) -> None:
    window = open_window(make_book(household()))
    row = ready(window, qtbot)
    press(qtbot, [Qt.Key.Key_Tab])  # leave the date as it is
    # "Market" was last a 45.50 withdrawal to Groceries: Tab fills it in, lands on Out
    strokes = press(qtbot, ["ma", Qt.Key.Key_Tab])
    assert (row.payee.text(), row.counter.text()) == ("Market", "Groceries")
    assert row.outflow.hasFocus() and row.outflow.selectedText() == "45.50"
    strokes += press(qtbot, ["12", Qt.Key.Key_Return])
    assert strokes <= 6
    assert strokes == 6
    last = register_rows(window)[-1]
    assert last[1:5] == ("Market", "", "Groceries", "-€12.00")
    assert last[0] == date_text(dt.date.today())


def test_a_payee_recorded_in_the_row_is_suggested_first_next_time(
    make_book: Callable[[list[Command]], Path], open_window: Window, qtbot: Any
) -> None:
    window = open_window(make_book(household()))
    row = ready(window, qtbot)
    press(qtbot, [Qt.Key.Key_Tab, "Marina Bay", Qt.Key.Key_Tab, Qt.Key.Key_Tab, "Sal",
                  Qt.Key.Key_Tab, "250", Qt.Key.Key_Enter])  # fmt: skip
    assert register_rows(window)[-1][1:5] == ("Marina Bay", "", "Salary", "€250.00")
    assert row.payees.model.names()[:2] == ["Marina Bay", "Market"]
    press(qtbot, [Qt.Key.Key_Tab, "mar", Qt.Key.Key_Tab])
    # the most recent "Mar…" wins, with its deposit: In, not Out
    assert row.payee.text() == "Marina Bay" and row.inflow.hasFocus()
    assert (row.counter.text(), row.inflow.text(), row.outflow.text()) == ("Salary", "250.00", "")


def test_a_refused_entry_is_explained_on_the_row_which_keeps_its_input(
    make_book: Callable[[list[Command]], Path], open_window: Window, qtbot: Any
) -> None:
    window = open_window(make_book(household()))
    row = ready(window, qtbot)
    before = register_rows(window)
    # Checking (1,054.50) forbids overdraft
    press(qtbot, [Qt.Key.Key_Tab, "Car dealer", Qt.Key.Key_Tab, Qt.Key.Key_Tab, "Groc",
                  Qt.Key.Key_Tab, Qt.Key.Key_Tab, "5,000", Qt.Key.Key_Enter])  # fmt: skip
    assert register_rows(window) == before
    assert row.message.isVisible() and "overdraft" in row.error_text()
    assert "#c0392b" in row.styleSheet()  # the row's red border
    assert (row.payee.text(), row.counter.text(), row.outflow.text()) == (
        "Car dealer", "Groceries", "5,000",
    )  # fmt: skip
    # a change clears the message; Escape empties the row
    press(qtbot, [Qt.Key.Key_Backspace])
    assert not row.message.isVisible()
    press(qtbot, [Qt.Key.Key_Escape])
    assert (row.payee.text(), row.counter.text(), row.outflow.text()) == ("", "", "")


def test_an_incomplete_row_says_what_is_missing(
    make_book: Callable[[list[Command]], Path], open_window: Window, qtbot: Any
) -> None:
    window = open_window(make_book(household()))
    row = ready(window, qtbot)
    press(qtbot, [Qt.Key.Key_Tab, "Someone", Qt.Key.Key_Enter])
    assert "other account" in row.error_text()
    press(qtbot, [Qt.Key.Key_Tab, Qt.Key.Key_Tab, "Groceries", Qt.Key.Key_Enter])
    assert "amount" in row.error_text()
    row.outflow.setText("1.234")
    press(qtbot, [Qt.Key.Key_Enter])
    assert "decimal" in row.error_text() or "EUR" in row.error_text()


def test_an_unknown_other_account_is_offered_for_opening(
    make_book: Callable[[list[Command]], Path], open_window: Window, qtbot: Any
) -> None:
    window = open_window(make_book(household()))
    row = ready(window, qtbot)
    press(qtbot, [Qt.Key.Key_Tab, "Vet", Qt.Key.Key_Tab, Qt.Key.Key_Tab, "Pets",
                  Qt.Key.Key_Tab, Qt.Key.Key_Tab, "30", Qt.Key.Key_Enter])  # fmt: skip
    assert "There is no account named “Pets”" in row.error_text()
    assert "Open “Pets”…" in row.error_text()
    row.message.linkActivated.emit("open")  # the link in the message
    dialog = window.dialogs.current
    assert isinstance(dialog, OpenAccountDialog) and dialog.name.text() == "Pets"
    dialog.choose_type(AccountType.EXPENSE)
    dialog.currency.setCurrentText("EUR")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert window.dialogs.current is None
    # the row kept its input: now it records
    assert (row.payee.text(), row.counter.text(), row.outflow.text()) == ("Vet", "Pets", "30")
    row.outflow.setFocus()
    press(qtbot, [Qt.Key.Key_Enter])
    assert row.error_text() == ""
    assert register_rows(window)[-1][1:5] == ("Vet", "", "Pets", "-€30.00")


def test_a_split_is_typed_as_lines_with_what_remains_shown_live(
    make_book: Callable[[list[Command]], Path], open_window: Window, qtbot: Any
) -> None:
    window = open_window(make_book(household()))
    row = ready(window, qtbot)
    press(qtbot, [Qt.Key.Key_Tab, "market", Qt.Key.Key_Tab, "60"])  # Out 60, to Groceries
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(row.split.isVisible)  # a button's mnemonic clicks it after a moment
    assert not row.counter.isEnabled()
    first, second = row.split.lines[:2]
    # the other account is the first line, balancing the row; the next line has the focus
    assert (first.account.text(), first.inflow.text()) == ("Groceries", "60.00")
    assert second.account.hasFocus()
    assert row.split.remaining.text() == "Remaining to balance: €0.00 ✓"
    press(qtbot, ["sav", Qt.Key.Key_Tab, "14.50"])
    assert second.account.text() == "Savings"
    assert row.split.remaining.text() == "Remaining to balance: -€14.50"
    assert len(row.split.lines) == 3  # typing in the last line opens another
    press(qtbot, [Qt.Key.Key_Enter])
    assert "do not balance" in row.error_text()
    first.inflow.setFocus()
    first.inflow.selectAll()
    press(qtbot, ["45.50"])
    assert row.split.remaining.text() == "Remaining to balance: €0.00 ✓"
    press(qtbot, [Qt.Key.Key_Enter])
    assert row.error_text() == ""
    last = register_rows(window)[-1]
    assert last[1:5] == ("Market", "", "Groceries, Savings", "-€60.00")
    assert not row.split.isVisible() and row.counter.isEnabled()  # the row is fresh again


def test_editing_an_entry_in_the_row_records_a_correction(
    make_book: Callable[[list[Command]], Path], open_window: Window, qtbot: Any
) -> None:
    window = open_window(make_book(household()))
    row = ready(window, qtbot)
    wiring = window.entry_row
    assert wiring is not None
    rows = register_rows(window)
    events = window.history_dock.table.model().rowCount()
    market = next(i for i, r in enumerate(rows) if r[1] == "Market")
    window.register_panel.table.selectRow(market)
    assert wiring.edit.isEnabled()
    wiring.edit.trigger()
    assert row.correcting is not None and row.mode.isVisible()
    assert (row.payee.text(), row.counter.text(), row.outflow.text()) == (
        "Market", "Groceries", "45.50",
    )  # fmt: skip
    press(qtbot, [Qt.Key.Key_Enter])
    assert "Change something" in row.error_text()  # nothing changed yet
    row.outflow.setFocus()
    row.outflow.selectAll()
    press(qtbot, ["54.50", Qt.Key.Key_Enter])
    after = register_rows(window)
    assert len(after) == len(rows) + 2  # the void's row and the corrected entry
    assert after[-1][1:5] == ("Market", "", "Groceries", "-€54.50")
    assert after[-1][0] == date_text(DAY)  # on the entry's own date
    assert row.correcting is None and not row.mode.isVisible()
    # one command: the void and the replacement
    assert window.history_dock.table.model().rowCount() == events + 2


def test_the_row_is_disabled_in_the_past(
    make_book: Callable[[list[Command]], Path], open_window: Window, qtbot: Any
) -> None:
    window = open_window(make_book(household()))
    row = ready(window, qtbot)
    window.timeline.slider.setValue(5)
    qtbot.waitUntil(lambda: not row.isEnabled())
    window.timeline.slider.setValue(window.timeline.slider.maximum())
    qtbot.waitUntil(row.isEnabled)


def test_a_payee_known_only_in_another_currency_fills_no_amount(
    make_book: Callable[[list[Command]], Path], open_window: Window, qtbot: Any
) -> None:
    wallet = open_account("Yen wallet", AccountType.ASSET, "10000", currency="JPY")
    meals = open_account("Meals JPY", AccountType.EXPENSE, currency="JPY")
    spent = Withdraw(account_id=wallet.account_id, expense_account_id=meals.account_id,
                     amount=Decimal("1200"), booking_date=DAY, payee="Ramen bar", memo="lunch")
    window = open_window(make_book([*household(), wallet, meals, spent]))
    row = ready(window, qtbot)  # Checking, in EUR
    press(qtbot, [Qt.Key.Key_Tab, "ram", Qt.Key.Key_Tab])
    assert (row.payee.text(), row.memo.text()) == ("Ramen bar", "lunch")
    # 1,200 yen are no 12.00 euros, and a yen account takes no euro entry
    assert (row.counter.text(), row.inflow.text(), row.outflow.text()) == ("", "", "")
    ready(window, qtbot, "Yen wallet")
    press(qtbot, [Qt.Key.Key_Tab, "ram", Qt.Key.Key_Tab])
    assert (row.counter.text(), row.outflow.text()) == ("Meals JPY", "1,200")


def test_down_lists_the_payees_starting_so_and_enter_takes_one(
    make_book: Callable[[list[Command]], Path], open_window: Window, qtbot: Any
) -> None:
    window = open_window(make_book(household()))
    row = ready(window, qtbot)
    press(qtbot, [Qt.Key.Key_Tab, "Marina Bay", Qt.Key.Key_Tab, Qt.Key.Key_Tab, "Sal",
                  Qt.Key.Key_Tab, "250", Qt.Key.Key_Enter])  # fmt: skip
    press(qtbot, [Qt.Key.Key_Tab, "M"])
    assert row.payee.text() == "Marina Bay"  # in place: the most recent
    qtbot.keyClick(row.payee, Qt.Key.Key_Down)
    popup = row.payee.matches.popup()
    assert popup is not None
    qtbot.waitUntil(popup.isVisible)
    listed = popup.model()
    assert [listed.index(r, 0).data() for r in range(listed.rowCount())] == [
        "Marina Bay", "Market",
    ]  # fmt: skip
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert row.payee.text() == "Market" and not popup.isVisible()
    assert row.error_text() == "" and row.payee.hasFocus()  # Enter chose; it recorded nothing
    press(qtbot, [Qt.Key.Key_Tab])
    assert (row.counter.text(), row.outflow.text()) == ("Groceries", "45.50")
