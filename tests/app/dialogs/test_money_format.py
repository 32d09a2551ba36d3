"""One money format everywhere: the locale's, exact, with the currency's symbol and decimals."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from app_helpers import household
from PySide6.QtCore import QLocale

from app.dialogs.csv_mapping import CsvMappingDialog
from app.dialogs.split import SplitEntryDialog
from app.formatting import amount_text, money_text
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
