"""The banner over the views while the timeline is in the past (or the book is read-only)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStyle,
    QWidget,
)

_STYLE = """
#pastBanner { background: #fff4ce; border: 1px solid #e0c060; border-radius: 4px; }
#pastBanner QLabel { color: #5c4400; }
"""


class PastBanner(QFrame):
    """ "Viewing the books as of event #n (…) — read-only", with a way back to the present."""

    return_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pastBanner")
        self.setStyleSheet(_STYLE)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        icon = QLabel()
        icon.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation).pixmap(18)
        )
        self.label = QLabel()
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.button = QPushButton("Return to Present")
        self.button.clicked.connect(self.return_requested)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 8, 4)
        row.addWidget(icon)
        row.addWidget(self.label, stretch=1)
        row.addWidget(self.button)
        self.hide()

    def show_past(self, position: int, when: str) -> None:
        self.label.setText(f"Viewing the books as of event #{position} ({when}) — read-only")
        self.button.show()
        self.show()

    def show_note(self, note: str) -> None:
        """A standing note (a book opened read-only), without the return button."""
        self.label.setText(note)
        self.button.hide()
        self.show()
