"""Where a main window opens: as it was left, else a size that suits the screen."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMainWindow


def restore_layout(
    window: QMainWindow, geometry: QByteArray | None, state: QByteArray | None
) -> None:
    """The saved geometry and dock layout, or :func:`first_size` when there is none."""
    if geometry is None or not window.restoreGeometry(geometry):
        window.resize(first_size(window))
    if state is not None:
        window.restoreState(state)


def first_size(window: QMainWindow) -> QSize:
    """1360×860 where the screen has room, else nine tenths of what it has."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return QSize(1360, 860)
    room = screen.availableGeometry().size()
    return QSize(min(1360, room.width() * 9 // 10), min(860, room.height() * 9 // 10))
