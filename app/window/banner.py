"""The banner over the views (or, in the past, over the tool bar: see
:mod:`app.window.banner_place`): the timeline is in the past, the book is read-only, or its
history is broken."""

from __future__ import annotations

import datetime as dt

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
_ALARM_STYLE = """
#pastBanner { background: #fdecea; border: 1px solid #d9827a; border-radius: 4px; }
#pastBanner QLabel { color: #6b1711; }
"""


def past_text(position: int, when: str, day: dt.date | None) -> str:
    """What the banner says in the past: the event, and the booking date if one is set."""
    if day is None:
        return f"Viewing the books as of event #{position:,} ({when}) — read-only"
    return (
        f"Books as of {day.day} {day:%b %Y}, as recorded up to event #{position:,} on {when}"
        " — read-only"
    )


class PastBanner(QFrame):
    """ "Viewing the books as of event #n (…) — read-only", with a way back to the present;
    or a standing note; or the alarm of a broken history, with a way to its details."""

    return_requested = Signal()
    details_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pastBanner")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.icon = QLabel()
        self.icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.label = QLabel()
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setWordWrap(True)  # a long note wraps on a narrow window, never cut off
        self.button = QPushButton("Return to Present")
        self.button.clicked.connect(self.return_requested)
        self.details_button = QPushButton("Details…")
        self.details_button.clicked.connect(self.details_requested)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 2, 8, 2)
        row.addWidget(self.icon)
        row.addWidget(self.label, stretch=1)
        row.addWidget(self.button)
        row.addWidget(self.details_button)
        self._set_tone(alarm=False)
        # never lower than one line with its button: the past's text after a standing note
        # keeps the note's room (see show_past)
        self.label.setText("Viewing")
        self._line_height = self.sizeHint().height()
        self.label.clear()
        self.setMinimumHeight(self._line_height)
        self.hide()

    @property
    def alarmed(self) -> bool:
        """Whether it shows a broken history (in red, with Details…)."""
        return self.details_button.isVisibleTo(self)

    def show_past(self, position: int, when: str, day: dt.date | None = None) -> None:
        # a standing note over several lines keeps its height in the past
        shown = self.height() if self.isVisible() else self._line_height
        self.setMinimumHeight(max(self._line_height, shown))
        self.icon.setAlignment(Qt.AlignmentFlag.AlignVCenter)  # one line, maybe over the tool bar
        self._set_tone(alarm=False)
        self.label.setText(past_text(position, when, day))
        self.button.show()
        self.show()

    def show_note(self, note: str) -> None:
        """A standing note (a book opened read-only), without the return button."""
        self.setMinimumHeight(self._line_height)
        self.icon.setAlignment(Qt.AlignmentFlag.AlignTop)  # by the first line of a long note
        self._set_tone(alarm=False)
        self.label.setText(note)
        self.button.hide()
        self.show()

    def show_alarm(self, text: str) -> None:
        """The book's history is broken: why, and a Details… button."""
        self.setMinimumHeight(self._line_height)
        self.icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self._set_tone(alarm=True)
        self.label.setText(text)
        self.button.hide()
        self.show()

    def _set_tone(self, *, alarm: bool) -> None:
        self.setStyleSheet(_ALARM_STYLE if alarm else _STYLE)
        pixmap = QStyle.StandardPixmap.SP_MessageBoxCritical if alarm else (
            QStyle.StandardPixmap.SP_MessageBoxInformation)  # fmt: skip
        self.icon.setPixmap(self.style().standardIcon(pixmap).pixmap(18))
        self.details_button.setVisible(alarm)
