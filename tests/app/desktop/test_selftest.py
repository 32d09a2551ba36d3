"""``--self-test`` end to end in this process: the real window, an entry, the timeline."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.desktop import selftest


@pytest.fixture
def app(qapp: QApplication) -> Iterator[QApplication]:
    """The test QApplication, given back with the identity the self-test changes."""
    saved = (qapp.applicationName(), qapp.applicationDisplayName(), qapp.desktopFileName())
    yield qapp
    qapp.setApplicationName(saved[0])
    qapp.setApplicationDisplayName(saved[1])
    qapp.setDesktopFileName(saved[2])
    qapp.setWindowIcon(QIcon())


def _summary(out: str) -> dict[str, object]:
    lines = out.strip().splitlines()
    assert lines[0] == selftest.WINDOW_SHOWN
    summary: dict[str, object] = json.loads(lines[-1])
    return summary


def test_self_test_passes_and_reports_what_it_did(
    app: QApplication, qtbot: QtBot, capsys: pytest.CaptureFixture[str]
) -> None:
    assert selftest.run_self_test(["tallybook"]) == 0
    summary = _summary(capsys.readouterr().out)
    assert summary["ok"] is True
    assert summary["events"] == 5 and summary["balance_minor"] == 14250
    assert summary["platform"] == "offscreen" and summary["frozen"] is False
    assert not any(w.isVisible() for w in app.topLevelWidgets())


def test_self_test_fails_with_the_reason(
    app: QApplication,
    qtbot: QtBot,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    from app.window.time_travel import TimeTravel

    # A timeline that cannot leave the present: the self-test must notice and say so.
    monkeypatch.setattr(TimeTravel, "move_to", lambda self, position: None)
    out_file = tmp_path / "selftest.json"
    monkeypatch.setenv("TALLYBOOK_SELFTEST_OUT", str(out_file))
    assert selftest.run_self_test(["tallybook"]) == 1
    summary = _summary(capsys.readouterr().out)
    assert summary["ok"] is False
    assert "the timeline did not move" in str(summary["error"])
    assert json.loads(out_file.read_text().splitlines()[-1]) == summary
    # The failed run still closed its window and released its book.
    assert not any(w.isVisible() for w in app.topLevelWidgets())


def test_process_age_is_measured_from_process_start() -> None:
    age = selftest.process_age_s()
    assert 0 < age < 24 * 3600
