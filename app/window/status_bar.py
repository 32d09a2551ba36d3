"""The status bar: the book's path, its event count and what is known of its integrity."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QStatusBar, QToolButton, QWidget

from app.window.integrity import Integrity, IntegrityState

_SHOW_AFTER_MS = 300  # a small book is checked before this: no progress bar flashing by


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
        self.setText(text)

    def text(self) -> str:
        return self._text

    def setText(self, text: str) -> None:  # named like QLabel's, to stand in for one
        self._text = text
        self.setToolTip(text)
        self.updateGeometry()
        self.update()

    def shown_text(self) -> str:
        """The text as painted: elided with "…" where the room is short."""
        width, metrics = self.contentsRect().width(), self.fontMetrics()
        # elidedText measures a little wider than horizontalAdvance: a text that fits stays
        if metrics.horizontalAdvance(self._text) <= width:
            return self._text
        return metrics.elidedText(self._text, self._mode, max(width, 0))

    def sizeHint(self) -> QSize:
        metrics = self.fontMetrics()
        margins = self.contentsMargins()
        wanted = metrics.horizontalAdvance(self._text) if self._full_width else 0
        return QSize(wanted + margins.left() + margins.right(), metrics.height())

    def minimumSizeHint(self) -> QSize:
        metrics = self.fontMetrics()
        wanted = min(metrics.horizontalAdvance(self._text), 12 * metrics.averageCharWidth())
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


class CheckProgress(QWidget):
    """ "Verifying history… [████░░] ✕": the check on opening, with a way to stop it."""

    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("checkProgress")
        self.label = QLabel("Verifying history…")
        self.bar = QProgressBar()
        self.bar.setFixedWidth(140)
        self.bar.setMaximumHeight(14)
        self.bar.setTextVisible(False)
        self.cancel_button = QToolButton()
        self.cancel_button.setText("Cancel")
        self.cancel_button.setAutoRaise(True)
        self.cancel_button.setToolTip("Stop verifying; File ▸ Verify Integrity runs it again")
        self.cancel_button.clicked.connect(self.cancel_requested)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for widget in (self.label, self.bar, self.cancel_button):
            row.addWidget(widget)
        self._show_timer = QTimer(self)
        self._show_timer.setSingleShot(True)
        self._show_timer.setInterval(_SHOW_AFTER_MS)
        self._show_timer.timeout.connect(self.show)
        self.hide()

    def start(self) -> None:
        self.bar.setRange(0, 0)  # busy until the first report says how many
        self._show_timer.start()

    def set_progress(self, done: int, total: int) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(min(done, max(total, 1)))
        # as wide as the last count will be: the bar does not shift while the count grows
        widest = f"Verifying history… {total:,} of {total:,}"
        self.label.setMinimumWidth(self.label.fontMetrics().horizontalAdvance(widest))
        self.label.setText(f"Verifying history… {done:,} of {total:,}")

    def stop(self) -> None:
        self._show_timer.stop()
        self.hide()


class BookStatusBar(QStatusBar):
    """Permanent fields on the right; transient messages on the left, elided before them.

    QStatusBar paints a message as far as the first permanent field and cuts it there,
    in mid-letter against the book's path; here the message is the first permanent field
    itself (so Qt's own painting has no room), elided with "…" and a gap before the path.
    """

    def __init__(self, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.message = ElidedText()
        self.message.setObjectName("statusMessage")
        self.message.setContentsMargins(0, 0, 12, 0)
        self.check = CheckProgress()
        self.path_label = ElidedText(str(path), Qt.TextElideMode.ElideMiddle, full_width=True)
        self.path_label.setObjectName("bookPath")
        self.count_label = QLabel()
        self.integrity_label = QLabel()
        self.integrity_label.setObjectName("integrityLabel")
        self.addPermanentWidget(self.message, 1)
        for widget in (self.check, self.path_label, self.count_label, self.integrity_label):
            self.addPermanentWidget(widget)
        self.messageChanged.connect(self.message.setText)
        self.set_integrity(IntegrityState())

    def set_event_count(self, count: int) -> None:
        self.count_label.setText(f"{count:,} event{'s' if count != 1 else ''}")

    def set_integrity(self, state: IntegrityState) -> None:
        self.integrity_label.setText(state.text())
        self.integrity_label.setToolTip(state.tooltip())
        colors = {Integrity.VERIFIED: "#1e7e34", Integrity.TAMPERED: "#c0392b"}
        color = colors.get(state.state)
        weight = "font-weight: bold;" if state.state is Integrity.TAMPERED else ""
        self.integrity_label.setStyleSheet(f"color: {color}; {weight}" if color else "")
