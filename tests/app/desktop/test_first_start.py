"""The first start: no book yet, so the New Book assistant makes the default book."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QPoint, Qt
from PySide6.QtWidgets import QApplication, QWizard

from app.composition import Book
from app.desktop.first_start import FirstStart, book_to_open
from app.desktop.launcher import Launcher


def test_a_start_opens_the_default_book_else_the_last_one_still_there(tmp_path: Path) -> None:
    default, gone, kept = (tmp_path / n for n in ("My.tallybook", "Gone.tallybook", "K.tallybook"))
    kept.write_bytes(b"")
    assert book_to_open(default, [gone, kept]) == kept
    assert book_to_open(default, [gone]) is None  # the first start
    default.write_bytes(b"")
    assert book_to_open(default, [kept]) == default


def test_the_first_start_makes_the_default_book_from_a_template(
    launcher: Launcher, qtbot: Any, tmp_path: Path
) -> None:
    default = tmp_path / "Books" / "My Books.tallybook"
    wizard = FirstStart(launcher, default).start()
    qtbot.waitExposed(wizard)
    assert wizard.windowTitle() == "Welcome to Tallybook"
    assert not QApplication.quitOnLastWindowClosed()  # no window between it and the book's
    club = wizard.start.buttons["club"]
    qtbot.mouseClick(club, Qt.MouseButton.LeftButton, pos=QPoint(10, club.height() // 2))
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    qtbot.keyClicks(wizard.balances.amounts["Cash Box"], "80.5")
    with qtbot.waitSignal(launcher.window_opened, timeout=10_000) as opened:
        qtbot.mouseClick(
            wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton
        )
    assert opened.args[0].windowTitle() == "My Books — Tallybook"
    assert QApplication.quitOnLastWindowClosed()
    with Book.open(default, readonly=True) as made:
        balances = {a.name: a.balance for a in made.read_models.accounts()}
    assert balances["Cash Box"] == 8050
    assert "Membership Fees" in balances


def test_the_sample_from_the_first_start_sits_beside_the_default_book(
    launcher: Launcher, qtbot: Any, tmp_path: Path
) -> None:
    default = tmp_path / "Books" / "My Books.tallybook"
    wizard = FirstStart(launcher, default).start()
    sample = wizard.start.buttons["sample"]
    qtbot.mouseClick(sample, Qt.MouseButton.LeftButton, pos=QPoint(10, sample.height() // 2))
    with qtbot.waitSignal(launcher.window_opened, timeout=60_000) as opened:
        qtbot.mouseClick(
            wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton
        )
    assert opened.args[0].windowTitle() == "Sample Books — Tallybook"
    assert not default.exists()  # the next start opens the sample, the last book opened
    assert book_to_open(default, launcher.settings.recent_books()) == (
        tmp_path / "Books" / "Sample Books.tallybook"
    ).resolve()


def test_cancelling_the_first_start_ends_the_app_with_nothing_made(
    launcher: Launcher, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    quits: list[bool] = []
    monkeypatch.setattr(QCoreApplication, "quit", staticmethod(lambda: quits.append(True)))
    default = tmp_path / "Books" / "My Books.tallybook"
    wizard = FirstStart(launcher, default).start()
    try:
        cancel = wizard.button(QWizard.WizardButton.CancelButton)
        qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: quits == [True])
        assert not default.parent.exists()
    finally:
        QApplication.setQuitOnLastWindowClosed(True)  # no window opened to set it back
