"""The macOS file-open hook: app.desktop.file_open."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QObject
from pytestqt.qtbot import QtBot

from app.desktop import file_open


@pytest.fixture
def book(tmp_path: Path) -> Path:
    path = tmp_path / "Household.tallybook"
    path.write_bytes(b"SQLite format 3\x00")
    return path


def _file_open_event(path: Path) -> QEvent:
    from PySide6.QtGui import QFileOpenEvent

    return QFileOpenEvent(str(path))


def test_file_open_event_reaches_the_callback(qtbot: QtBot, book: Path) -> None:
    app = QCoreApplication.instance()
    assert app is not None
    opened: list[Path] = []
    catcher = file_open.FileOpenFilter(opened.append)
    app.installEventFilter(catcher)
    try:
        QCoreApplication.sendEvent(app, _file_open_event(book))
    finally:
        app.removeEventFilter(catcher)
    assert opened == [book]


def test_wait_for_file_open_collects_the_launching_document(qtbot: QtBot, book: Path) -> None:
    app = QCoreApplication.instance()
    assert app is not None
    QCoreApplication.postEvent(app, _file_open_event(book))
    assert file_open.wait_for_file_open(app, timeout_ms=2000) == book
    assert file_open.wait_for_file_open(app, timeout_ms=50) is None


def test_filter_ignores_other_events(qtbot: QtBot) -> None:
    catcher = file_open.FileOpenFilter(lambda path: pytest.fail(f"opened {path}"))
    assert not catcher.eventFilter(QObject(), QEvent(QEvent.Type.Show))
