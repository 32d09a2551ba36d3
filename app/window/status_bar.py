"""The status bar: the book's path, its event count and what is known of its integrity."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from app.window.integrity import Integrity, IntegrityState


class BookStatusBar(QStatusBar):
    """Permanent fields on the right; transient messages on the left as usual."""

    def __init__(self, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path_label = QLabel(str(path))
        self.path_label.setToolTip(str(path))
        self.count_label = QLabel()
        self.integrity_label = QLabel()
        self.integrity_label.setObjectName("integrityLabel")
        for label in (self.path_label, self.count_label, self.integrity_label):
            self.addPermanentWidget(label)
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
