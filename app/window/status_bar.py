"""The status bar: the book's path, its event count and what is known of its integrity."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QStatusBar, QToolButton, QWidget

from app.window.elided import ElidedText
from app.window.integrity import Integrity, IntegrityState

_SHOW_AFTER_MS = 300  # a small book is checked before this: no progress bar flashing by


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
