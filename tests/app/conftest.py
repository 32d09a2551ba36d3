"""Fixtures for the app tests: real book files in tmp_path, dialogs patched, never blocking."""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from app_helpers import household
from PySide6.QtCore import QCoreApplication, QEvent, QLocale, QSettings
from PySide6.QtWidgets import QFileDialog, QMessageBox

from app import preferences
from app.composition import Book
from app.desktop.launcher import Launcher
from app.desktop.settings import AppSettings
from app.sample_data import generate_commands
from app.window.main_window import MainWindow
from domain.model.commands import Command

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@dataclass
class MessageBoxes:
    """Every QMessageBox static call a test made, instead of a blocking box."""

    calls: list[tuple[str, str, str]] = field(default_factory=list)

    def texts(self, kind: str | None = None) -> list[str]:
        return [text for k, _title, text in self.calls if kind in (None, k)]


@pytest.fixture(autouse=True)
def message_boxes(monkeypatch: pytest.MonkeyPatch) -> MessageBoxes:
    boxes = MessageBoxes()

    def record(kind: str) -> Callable[..., Any]:
        def static(_parent: object, title: str, text: str, *_args: object, **_kw: object) -> Any:
            boxes.calls.append((kind, title, text))
            return QMessageBox.StandardButton.Ok

        return static

    for kind in ("critical", "warning", "information", "question", "about"):
        monkeypatch.setattr(QMessageBox, kind, staticmethod(record(kind)))
    return boxes


@pytest.fixture(autouse=True)
def no_file_dialogs(monkeypatch: pytest.MonkeyPatch) -> None:
    """A test that needs a file dialog patches it with an answer; any other use fails."""

    def refuse(*_args: object, **_kw: object) -> Any:
        raise AssertionError("unexpected file dialog")

    for name in ("getSaveFileName", "getOpenFileName"):
        monkeypatch.setattr(QFileDialog, name, staticmethod(refuse))


@pytest.fixture(autouse=True)
def english_locale() -> Iterator[None]:
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    yield
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))


@pytest.fixture(autouse=True)
def default_preferences() -> Iterator[None]:
    """Every test starts with the preferences in effect at their defaults (they are the
    process's, like the locale), and leaves them so."""
    preferences.apply(preferences.Preferences())
    preferences.remember_entry_date(None)
    yield
    preferences.apply(preferences.Preferences())
    preferences.remember_entry_date(None)


@pytest.fixture
def settings(tmp_path: Path) -> AppSettings:
    return AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def book_path(tmp_path: Path) -> Path:
    return tmp_path / "Test Books.tallybook"


@pytest.fixture
def make_book(book_path: Path) -> Callable[[list[Command]], Path]:
    """Write commands into the test book (closed again afterwards)."""

    def make(commands: list[Command]) -> Path:
        with Book.open(book_path, create_if_missing=True) as book:
            for command in commands:
                book.service.execute(command)
        return book_path

    return make


@pytest.fixture
def book(make_book: Callable[[list[Command]], Path]) -> Iterator[Book]:
    """The household book (six events, see ``app_helpers.household``), open."""
    with Book.open(make_book(household())) as book:
        yield book


@pytest.fixture
def generated_book(book_path: Path) -> Path:
    """A small generated household (voids, transfers, back-dated entries) in the test book."""
    with Book.open(book_path, create_if_missing=True) as book:
        commands = generate_commands(8, 120, seed=7)
        while chunk := list(itertools.islice(commands, 50)):
            book.service.execute_batch(chunk)
    return book_path


@pytest.fixture
def launcher(settings: AppSettings, qtbot: Any) -> Iterator[Launcher]:
    launcher = Launcher(settings)
    yield launcher
    for window in list(launcher.windows.values()):
        window.close()
    # delete the closed windows now (their books close with them), not at interpreter exit
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture
def open_window(launcher: Launcher) -> Callable[[Path], MainWindow]:
    """The real main window, built by the launcher on a book file (the launcher
    fixture closes it)."""

    def open_(path: Path) -> MainWindow:
        return launcher.show_book(path)

    return open_
