"""Emit Qt signals from Python without losing references (a PySide6 6.12.0 bug).

``SignalInstance.emit()`` in PySide6 6.12.0 returns ``True`` without taking a reference for
it, so each emit from Python drops one reference of ``True`` until the interpreter aborts
("bool_dealloc"), e.g. after a few minutes of timeline playback. :func:`emit` puts the
reference back on builds that have the bug (found once by a probe), and does nothing extra
on fixed ones.
"""

from __future__ import annotations

import ctypes
import sys
from functools import cache

from PySide6.QtCore import QObject, Signal, SignalInstance


class _Probe(QObject):
    ping = Signal()


@cache
def _emit_drops_a_reference() -> bool:
    probe = _Probe()
    probe.ping.connect(lambda: None)
    before = sys.getrefcount(True)
    probe.ping.emit()
    dropped = sys.getrefcount(True) < before
    if dropped:
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(True))  # the probe's own loss
    return dropped


def emit(signal: SignalInstance, *args: object) -> None:
    """``signal.emit(*args)``, keeping the reference count of its result right."""
    result = signal.emit(*args)  # type: ignore[func-returns-value]  # the stubs say None
    if _emit_drops_a_reference():
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(result))
