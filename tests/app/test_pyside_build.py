"""The installed PySide6 keeps Python's reference counts right (6.12.0 on Python 3.11 did not).

That build dropped a reference to ``None`` on every call of a method returning nothing and
one to ``True`` on every signal emitted from Python; a long session then aborted with
"deallocating None". pyproject.toml keeps it out; these tests say when a build is safe.
"""

from __future__ import annotations

import sys
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel

CALLS = 2000


class Sender(QObject):
    changed = Signal(int)


def test_methods_returning_nothing_keep_none_alive(qtbot: Any) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    label.setText("warm up")
    before = sys.getrefcount(None)
    for n in range(CALLS):
        label.setText(str(n))
    after = sys.getrefcount(None)  # measured outside the assert, whose rewriting holds values
    assert abs(after - before) < CALLS // 10


def test_emitting_from_python_keeps_true_alive(qtbot: Any) -> None:
    sender = Sender()
    received: list[int] = []
    sender.changed.connect(received.append)
    sender.changed.emit(-1)
    before = sys.getrefcount(True)
    for n in range(CALLS):
        sender.changed.emit(n)
    after = sys.getrefcount(True)
    assert abs(after - before) < CALLS // 10
    assert len(received) == CALLS + 1
