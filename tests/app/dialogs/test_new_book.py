"""File ▸ New Book's assistant, driven by qtbot: a book from each template, with its opening
balances typed in the locale's format, read back from the read side."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from app_helpers import household
from PySide6.QtCore import QLocale, QPoint, Qt
from PySide6.QtWidgets import QFileDialog, QWizard

from app import preferences
from app.book_templates import (
    CLUB,
    FREELANCER,
    HOUSEHOLD,
    TEMPLATES,
    BookTemplate,
    template_commands,
)
from app.composition import Book
from app.desktop.launcher import Launcher
from app.dialogs.new_book import NewBookWizard
from app.preferences import Preferences
from app.window.main_window import MainWindow
from domain.model.commands import Command
from domain.model.events import AccountType
from tests.app.conftest import MessageBoxes

Window = Callable[[Path], MainWindow]
Button = QWizard.WizardButton

# what is typed into each template's opening balance fields (en_US), and the minor units
TYPED: dict[str, dict[str, tuple[str, int]]] = {
    "household": {
        "Checking": ("1,234.56", 123456),
        "Savings": ("10,000", 1000000),
        "Credit Card": ("350.20", 35020),
    },
    "freelancer": {"Business Account": ("4,500.00", 450000), "VAT Payable": ("812.34", 81234)},
    "club": {"Club Account": ("2,345.67", 234567), "Fees Paid in Advance": ("120", 12000)},
}


@pytest.fixture
def window(make_book: Callable[[list[Command]], Path], open_window: Window) -> MainWindow:
    return open_window(make_book(household()))


def start_new_book(window: MainWindow, qtbot: Any) -> NewBookWizard:
    window.actions_.new_book.trigger()
    wizard = window.findChild(NewBookWizard)
    assert wizard is not None and wizard.isVisible()
    qtbot.waitExposed(wizard)
    return wizard


def choose(qtbot: Any, wizard: NewBookWizard, key: str) -> None:
    button = wizard.start.buttons[key]
    # on its label: a radio button takes clicks on its indicator and text only
    at = QPoint(button.sizeHint().width() // 2, button.height() // 2)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=at)
    assert button.isChecked()


def click(qtbot: Any, wizard: NewBookWizard, which: QWizard.WizardButton) -> None:
    button = wizard.button(which)
    assert button is not None and button.isVisible() and button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def answer_save(monkeypatch: pytest.MonkeyPatch, path: Path) -> list[str]:
    asked: list[str] = []

    def save(_parent: object, _title: str, suggestion: str, *_a: object, **_k: object) -> Any:
        asked.append(suggestion)
        return str(path), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save))
    return asked


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: t.key)
def test_a_book_from_each_template_has_its_accounts_and_opening_balances(
    template: BookTemplate,
    window: MainWindow,
    launcher: Launcher,
    qtbot: Any,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    wizard = start_new_book(window, qtbot)
    choose(qtbot, wizard, template.key)
    click(qtbot, wizard, Button.NextButton)
    page = wizard.balances
    assert page.currency_code() == "USD"  # the locale's (en_US in the tests)
    assert set(page.amounts) == {a.name for a in template.with_opening()}
    for name, (text, _minor) in TYPED[template.key].items():
        qtbot.keyClicks(page.amounts[name], text)
    target = tmp_path / f"{template.key}.tallybook"
    asked = answer_save(monkeypatch, target)
    with qtbot.waitSignal(launcher.window_opened, timeout=10_000):  # made in a worker
        click(qtbot, wizard, Button.FinishButton)
    assert Path(asked[0]).name == f"{template.key.capitalize()}.tallybook"
    new = launcher.windows[target.resolve()]
    assert new.windowTitle() == f"{template.key} — Tallybook"
    with Book.open(target, readonly=True) as made:
        accounts = {a.name: a for a in made.read_models.accounts()}
        events = list(made.store.read_all())
    assert set(accounts) == {a.name for a in template.accounts} | {"Opening Balances"}
    typed = TYPED[template.key]
    for account in template.accounts:
        row = accounts[account.name]
        assert row.account_type is account.account_type
        assert row.currency == "USD"
        assert row.balance == (typed[account.name][1] if account.name in typed else 0)
    # the other side of every opening balance: assets less liabilities, in Opening Balances
    net = sum(
        minor if accounts[name].account_type is AccountType.ASSET else -minor
        for name, (_text, minor) in typed.items()
    )
    assert accounts["Opening Balances"].balance == net
    # ordinary events, one per account plus each opening balance's entry
    assert sum(e.type == "AccountOpened" for e in events) == len(template.accounts) + 1
    assert sum(e.type == "EntryPosted" for e in events) == len(typed)


def test_a_bad_amount_keeps_finish_disabled_and_says_why(window: MainWindow, qtbot: Any) -> None:
    wizard = start_new_book(window, qtbot)
    click(qtbot, wizard, Button.NextButton)  # the household is chosen at first
    page = wizard.balances
    qtbot.keyClicks(page.amounts["Cash"], "12,3x")
    finish = wizard.button(Button.FinishButton)
    assert finish is not None and not finish.isEnabled()
    assert page.message.text().startswith("Cash: ")
    page.amounts["Cash"].clear()
    qtbot.keyClicks(page.amounts["Cash"], "-12.30")  # Cash allows no overdraft
    assert not finish.isEnabled()
    assert page.message.text() == "Cash allows no overdraft, so it cannot start below zero."
    page.amounts["Cash"].clear()
    qtbot.keyClicks(page.amounts["Cash"], "12.30")
    qtbot.keyClicks(page.amounts["Checking"], "-40")  # an overdrawn checking account may
    assert finish.isEnabled()
    assert page.message.text() == ""


def test_going_back_keeps_the_balances_and_another_template_gets_its_own(
    window: MainWindow, qtbot: Any
) -> None:
    wizard = start_new_book(window, qtbot)
    click(qtbot, wizard, Button.NextButton)
    qtbot.keyClicks(wizard.balances.amounts["Checking"], "50")
    click(qtbot, wizard, Button.BackButton)
    click(qtbot, wizard, Button.NextButton)
    assert wizard.balances.amounts["Checking"].text() == "50"
    click(qtbot, wizard, Button.BackButton)
    choose(qtbot, wizard, CLUB.key)
    click(qtbot, wizard, Button.NextButton)
    assert set(wizard.balances.amounts) == {a.name for a in CLUB.with_opening()}


def test_german_amounts_and_the_euro_in_a_german_locale(
    window: MainWindow, launcher: Launcher, qtbot: Any, monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:  # fmt: skip
    QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    wizard = start_new_book(window, qtbot)
    choose(qtbot, wizard, FREELANCER.key)
    click(qtbot, wizard, Button.NextButton)
    assert wizard.balances.currency_code() == "EUR"
    qtbot.keyClicks(wizard.balances.amounts["Tax Reserve"], "1.234,56")
    answer_save(monkeypatch, tmp_path / "Freelance")
    with qtbot.waitSignal(launcher.window_opened, timeout=10_000):
        click(qtbot, wizard, Button.FinishButton)
    with Book.open(tmp_path / "Freelance.tallybook", readonly=True) as made:
        reserve = next(a for a in made.read_models.accounts() if a.name == "Tax Reserve")
    assert (reserve.currency, reserve.balance) == ("EUR", 123456)


def test_an_empty_book_from_the_assistant(
    window: MainWindow, launcher: Launcher, qtbot: Any, monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:  # fmt: skip
    wizard = start_new_book(window, qtbot)
    choose(qtbot, wizard, "empty")
    assert not wizard.button(Button.NextButton).isVisible()  # type: ignore[union-attr]
    answer_save(monkeypatch, tmp_path / "Club")
    with qtbot.waitSignal(launcher.window_opened, timeout=10_000):
        click(qtbot, wizard, Button.FinishButton)
    new = launcher.windows[(tmp_path / "Club.tallybook").resolve()]
    assert new.timeline.label.text() == "No events yet"


def test_open_existing_from_the_assistant_asks_for_a_book(
    window: MainWindow, qtbot: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    wizard = start_new_book(window, qtbot)
    choose(qtbot, wizard, "open")
    assert wizard.button(Button.FinishButton).text() == "O&pen…"  # type: ignore[union-attr]
    asked: list[str] = []
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName",
        staticmethod(lambda *_a, **_k: (asked.append("open"), ("", ""))[1]),
    )  # fmt: skip
    click(qtbot, wizard, Button.FinishButton)
    assert asked == ["open"]


def test_the_household_template_is_a_short_sensible_chart() -> None:
    kinds = {a.account_type for a in HOUSEHOLD.accounts}
    assert {AccountType.ASSET, AccountType.LIABILITY, AccountType.INCOME} <= kinds
    assert AccountType.EXPENSE in kinds
    for template in TEMPLATES:
        assert 10 <= len(template.accounts) <= 25
        assert all(
            a.account_type in (AccountType.ASSET, AccountType.LIABILITY)
            for a in template.with_opening()
        )


def test_the_preferred_currency_is_the_templates(window: MainWindow, qtbot: Any) -> None:
    preferences.apply(Preferences(currency="SEK"))
    wizard = start_new_book(window, qtbot)
    click(qtbot, wizard, Button.NextButton)
    assert wizard.balances.currency_code() == "SEK"
    assert wizard.balances.amounts["Checking"].currency() == "SEK"


def test_a_chart_the_books_refuse_leaves_no_file_behind(
    launcher: Launcher, qtbot: Any, tmp_path: Path, message_boxes: MessageBoxes
) -> None:
    commands = template_commands(HOUSEHOLD, "EUR", dt.date(2026, 1, 1))
    again = template_commands(HOUSEHOLD, "EUR", dt.date(2026, 1, 1))[0]  # Checking, twice
    target = tmp_path / "twice.tallybook"
    with qtbot.waitSignal(launcher.open_failed, timeout=10_000):
        launcher.create_book(target, [*commands, again])
    assert not target.exists()
    assert not launcher.windows
    (text,) = message_boxes.texts("critical")
    assert "Checking" in text


def test_the_assistant_works_from_the_keyboard(
    window: MainWindow, launcher: Launcher, qtbot: Any, monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:  # fmt: skip
    wizard = start_new_book(window, qtbot)
    freelancer = wizard.start.buttons[FREELANCER.key]
    qtbot.keyClick(freelancer, Qt.Key.Key_Space)
    assert freelancer.isChecked()
    qtbot.keyClick(freelancer, Qt.Key.Key_Return)  # the default button: Next
    assert wizard.currentPage() is wizard.balances
    first = wizard.balances.amounts["Business Account"]
    qtbot.keyClicks(first, "99.95")
    answer_save(monkeypatch, tmp_path / "Keys")
    with qtbot.waitSignal(launcher.window_opened, timeout=10_000):
        qtbot.keyClick(first, Qt.Key.Key_Return)  # Create
    with Book.open(tmp_path / "Keys.tallybook", readonly=True) as made:
        business = next(a for a in made.read_models.accounts() if a.name == "Business Account")
    assert business.balance == 9995
