"""A line of text that never pushes its neighbours: elided with "…" to the room it gets."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget


class ElidedText(QWidget):
    """One line of text, elided to the room the layout gives it; in full in its tooltip.

    ``full_width``: its size hint asks for the whole text (it still shrinks when the room is
    short); else it takes only what is left beside the other fields.
    """

    def __init__(
        self,
        text: str = "",
        mode: Qt.TextElideMode = Qt.TextElideMode.ElideRight,
        *,
        full_width: bool = False,
    ) -> None:
        super().__init__()
        self._text = ""
        self._mode = mode
        self._full_width = full_width
        self._wanted: int | None = None
        self.setText(text)

    def text(self) -> str:
        return self._text

    def setText(self, text: str) -> None:  # named like QLabel's, to stand in for one
        self._text = text
        self.setToolTip(text)
        if self._wanted is None:  # else its size does not depend on the text
            self.updateGeometry()
        self.update()

    def shown_text(self) -> str:
        """The text as painted: elided with "…" where the room is short."""
        width, metrics = self.contentsRect().width(), self.fontMetrics()
        # elidedText measures a little wider than horizontalAdvance: a text that fits stays
        if metrics.horizontalAdvance(self._text) <= width:
            return self._text
        return metrics.elidedText(self._text, self._mode, max(width, 0))

    def want_width(self, width: int) -> None:
        """Ask for ``width`` whatever the text: a line whose room must not follow its text."""
        self._wanted = width
        self.updateGeometry()

    def sizeHint(self) -> QSize:
        metrics = self.fontMetrics()
        margins = self.contentsMargins()
        wanted = metrics.horizontalAdvance(self._text) if self._full_width else 0
        if self._wanted is not None:
            return QSize(self._wanted, metrics.height())
        return QSize(wanted + margins.left() + margins.right(), metrics.height())

    def minimumSizeHint(self) -> QSize:
        metrics = self.fontMetrics()
        text = metrics.horizontalAdvance(self._text) if self._wanted is None else self._wanted
        wanted = min(text, 12 * metrics.averageCharWidth())
        margins = self.contentsMargins()
        return QSize(wanted + margins.left() + margins.right(), metrics.height())

    def changeEvent(self, event: QEvent) -> None:
        # the size wanted is the text's in this font: the style's font comes after creation
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self.updateGeometry()
        super().changeEvent(event)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setPen(self.palette().windowText().color())
        align = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        painter.drawText(self.contentsRect(), align, self.shown_text())
