"""One money format everywhere: the locale's, exact, with the currency's symbol and decimals."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from app_helpers import household
from PySide6.QtCore import QLocale, Qt

from app.dialogs.csv_mapping import CsvMappingDialog
from app.dialogs.deposit_withdraw import EntryDialog
from app.dialogs.split import SplitEntryDialog
from app.formatting import amount_text, localised_amounts, money_text
from app.window.main_window import MainWindow
from domain.model.commands import Command

Window = Callable[[Path], MainWindow]
CSV = Path(__file__).resolve().parents[2] / "data" / "statements" / "app_checking_march.csv"
GERMAN = QLocale(QLocale.Language.German, QLocale.Country.Germany)


def balanced_split(window: MainWindow, qtbot: Any, amount: str) -> SplitEntryDialog:
    window.actions_.split.trigger()
    dialog = window.dialogs.current
    assert isinstance(dialog, SplitEntryDialog)
    ids = {a.name: a.account_id for a in window.accounts_view.model().accounts()}
    first, second = dialog.lines
    first.account.select(ids["Groceries"])
    qtbot.keyClicks(first.debit, amount)
    second.account.select(ids["Checking"])
    qtbot.keyClicks(second.credit, amount)
    return dialog


def test_a_balanced_split_says_zero_as_money(
    make_book: Callable[[list[Command]], Path], open_window: Window, qtbot: Any
) -> None:
    window = open_window(make_book(household()))
    dialog = balanced_split(window, qtbot, "12.50")
    assert dialog.remaining_label.text() == "Remaining to balance: €0.00 ✓"


def test_in_german_the_split_and_the_balances_read_german(
    make_book: Callable[[list[Command]], Path], open_window: Window, qtbot: Any
) -> None:
    QLocale.setDefault(GERMAN)  # the fixture sets English again afterwards
    window = open_window(make_book(household()))
    dialog = balanced_split(window, qtbot, "12,50")
    assert dialog.remaining_label.text() == "Remaining to balance: 0,00\xa0€ ✓"
    assert money_text(-32950, "EUR") == "-329,50\xa0€"


def test_the_csv_mapping_shows_amounts_in_the_locale(
    make_book: Callable[[list[Command]], Path], open_window: Window, qtbot: Any
) -> None:
    QLocale.setDefault(GERMAN)
    window = open_window(make_book(household()))
    window.imports.start(CSV)
    qtbot.waitUntil(lambda: window.imports.task is None, timeout=10000)
    mapping = window.imports.mapping
    assert isinstance(mapping, CsvMappingDialog)
    assert mapping.preview.item(0, 3).text() == "-45,50"  # the file's -45.50, read


def test_amount_text_is_exact_and_follows_the_locale() -> None:
    assert amount_text(Decimal("1234.5"), "EUR") == "€1,234.50"
    assert amount_text(Decimal("-0.01"), "JPY") == "-0.01"  # no yen decimals: as read
    assert amount_text(Decimal("12345678901.23"), None) == "12,345,678,901.23"
    QLocale.setDefault(GERMAN)
    assert amount_text(Decimal("1234.5"), "EUR") == "1.234,50\xa0€"
    assert amount_text(Decimal("-45.50"), None) == "-45,50"


def test_a_refusal_says_its_amounts_as_the_screen_does(
    make_book: Callable[[list[Command]], Path], open_window: Window, qtbot: Any
) -> None:
    QLocale.setDefault(GERMAN)
    window = open_window(make_book(household()))  # Checking: 1.054,50 €, no overdraft
    window.actions_.withdraw.trigger()
    dialog = window.dialogs.current
    assert isinstance(dialog, EntryDialog)
    dialog.account.select(next(a.account_id for a in dialog.account._all if a.name == "Checking"))
    qtbot.keyClicks(dialog.amount, "5.000,00")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    error = dialog.error_text()
    assert "-3.945,50\xa0€" in error and "5.000,00\xa0€" in error, error
    assert " EUR" not in error and " EUR" not in window.status.currentMessage()


def test_localised_amounts_leaves_what_is_not_an_amount() -> None:
    text = "balance 160.37 EUR on 2026-12-03, 1.5 JPY, 12 XXX, account ABC"
    assert localised_amounts(text) == "balance €160.37 on 2026-12-03, 1.5 JPY, 12 XXX, account ABC"
