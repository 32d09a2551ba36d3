"""emit(): signals emitted from Python keep the interpreter's reference counts intact."""

from __future__ import annotations

import sys
from typing import Any

from PySide6.QtCore import QObject, Signal

from app.signals import emit


class Sender(QObject):
    changed = Signal(int)


def test_many_emits_leave_the_reference_count_of_true_alone(qtbot: Any) -> None:
    sender = Sender()
    received: list[int] = []
    sender.changed.connect(received.append)
    emit(sender.changed, -1)  # the first emit checks which PySide6 this is
    received.clear()
    before = sys.getrefcount(True)
    for value in range(2000):
        emit(sender.changed, value)
    after = sys.getrefcount(True)  # (measured outside the assert: its rewriting holds values)
    assert after == before
    assert received == list(range(2000))
