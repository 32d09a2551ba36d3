"""Amount fields parse exactly in the user's locale; never through a float."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import QLocale

from app.dialogs.fields import AmountEdit, date_edit, edit_date
from app.formatting import date_text, money_text


@pytest.fixture
def german() -> Iterator[None]:
    QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    yield


def test_english_amounts(qtbot: Any) -> None:
    edit = AmountEdit("EUR")
    qtbot.addWidget(edit)
    qtbot.keyClicks(edit, "1,234.56")
    assert edit.decimal() == Decimal("1234.56")
    assert edit.problem() == ""


def test_german_amounts_use_the_comma_for_decimals(german: None, qtbot: Any) -> None:
    edit = AmountEdit("EUR")
    qtbot.addWidget(edit)
    qtbot.keyClicks(edit, "1.234,56")
    assert edit.decimal() == Decimal("1234.56")
    assert money_text(123456, "EUR") == "1.234,56\xa0€"


def test_too_many_decimals_or_letters_are_explained(qtbot: Any) -> None:
    edit = AmountEdit("JPY")
    qtbot.addWidget(edit)
    qtbot.keyClicks(edit, "10.5")
    assert edit.amount() is None and "decimals" in edit.problem()
    edit.setText("ten")
    assert edit.amount() is None and edit.problem()


def test_positive_problem_asks_for_an_amount_above_zero(qtbot: Any) -> None:
    edit = AmountEdit("JPY")
    qtbot.addWidget(edit)
    assert edit.positive_problem() == "Enter an amount."
    edit.setText("10.5")
    assert edit.positive_problem() == edit.problem() != ""
    edit.setText("0")
    assert edit.positive_problem() == "The amount must be more than zero."
    edit.setText("10")
    assert edit.positive_problem() == ""


def test_a_new_currency_changes_what_is_exact(qtbot: Any) -> None:
    edit = AmountEdit("EUR")
    qtbot.addWidget(edit)
    edit.setText("0.125")
    assert edit.amount() is None
    edit.set_currency("BHD")  # three decimals
    assert edit.decimal() == Decimal("0.125")


def test_dates_round_trip_with_four_digit_years(german: None, qtbot: Any) -> None:
    import datetime as dt

    edit = date_edit(dt.date(2024, 2, 29))
    qtbot.addWidget(edit)
    assert edit.calendarPopup()
    assert edit_date(edit) == dt.date(2024, 2, 29)
    assert date_text(dt.date(2024, 2, 29)) == "29.02.2024"
