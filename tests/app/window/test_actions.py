"""The main window's actions: disabled icons look disabled."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon, QImage
from PySide6.QtWidgets import QWidget

from app.window.actions import Actions


def opacity(image: QImage) -> int:
    return sum(
        image.pixelColor(x, y).alpha() for x in range(image.width()) for y in range(image.height())
    )


def test_a_disabled_actions_icon_is_faded_even_when_drawn_in_black(qtbot: Any) -> None:
    # the style's arrows and grid are black, which Qt's own disabled look keeps black
    parent = QWidget()
    qtbot.addWidget(parent)
    actions = Actions(parent)
    for action in (actions.deposit, actions.withdraw, actions.transfer, actions.split):
        icon = action.icon()
        normal = icon.pixmap(QSize(24, 24), QIcon.Mode.Normal).toImage()
        disabled = icon.pixmap(QSize(24, 24), QIcon.Mode.Disabled).toImage()
        assert 0 < opacity(disabled) < 0.5 * opacity(normal), action.text()
