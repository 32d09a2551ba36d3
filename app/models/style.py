"""Shared look of the models' cells: colours and fonts for amounts, dimmed and struck rows."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont, QGuiApplication, QIcon, QPainter, QPalette, QPixmap

from domain.model.events import AccountType

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


@cache
def negative_brush() -> QBrush:
    return QBrush(QColor("#c0392b"))


def dimmed_brush() -> QBrush:
    """The palette's disabled text colour, for rows after the timeline's cursor."""
    palette = QGuiApplication.palette()
    return palette.brush(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)


def group_brush() -> QBrush:
    """A faint band for group header rows that works on light and dark palettes."""
    color = QColor(QGuiApplication.palette().color(QPalette.ColorRole.Highlight))
    color.setAlpha(28)
    return QBrush(color)


def font(*, bold: bool = False, italic: bool = False, strike: bool = False) -> QFont:
    result = QFont()
    result.setBold(bold)
    result.setItalic(italic)
    result.setStrikeOut(strike)
    return result


def amount_brush(minor: int) -> QBrush | None:
    return negative_brush() if minor < 0 else None


TYPE_COLORS = {
    AccountType.ASSET: "#2e86de",
    AccountType.LIABILITY: "#e67e22",
    AccountType.EQUITY: "#8e44ad",
    AccountType.INCOME: "#27ae60",
    AccountType.EXPENSE: "#c0392b",
}


@cache
def type_icon(kind: AccountType) -> QIcon:
    """A small dot in the account type's colour, to tell the types apart at a glance."""
    pixmap = QPixmap(16, 16)
    pixmap.fill(QColor(0, 0, 0, 0))
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(TYPE_COLORS[kind]))
    painter.drawEllipse(4, 4, 8, 8)
    painter.end()
    return QIcon(pixmap)
