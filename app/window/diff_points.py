"""One point of a diff: an event number, and optionally a booking date (the books as of the
end of that date, as recorded up to that event)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtWidgets import QCheckBox, QDateEdit, QHBoxLayout, QLabel, QSpinBox, QWidget

from app.window.date_axis import from_qdate, to_qdate
from domain.projections.diff import Moment

_TYPED_MS = 300  # a typed number or date counts once the typing pauses


class PointEdit(QWidget):
    """``Event # [n]  [x] on [date]``; ``changed`` once the user settles on a point."""

    changed = Signal()

    def __init__(self, title: str, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.position = QSpinBox()
        self.position.setObjectName(f"{name}Position")
        self.position.setPrefix("#")
        self.position.setGroupSeparatorShown(True)
        self.position.setToolTip("As recorded up to this event")
        self.dated = QCheckBox("as of")
        self.dated.setObjectName(f"{name}Dated")
        self.dated.setToolTip("Cut the books at the end of a booking date too")
        self.day = QDateEdit()
        self.day.setObjectName(f"{name}Day")
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("d MMM yyyy")
        self.day.setEnabled(False)
        label = QLabel(title)
        label.setBuddy(self.position)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)
        for widget in (label, self.position, self.dated, self.day):
            row.addWidget(widget)
        self._typed = QTimer(self, singleShot=True, interval=_TYPED_MS)
        self._typed.timeout.connect(self.changed)
        self.position.valueChanged.connect(self._typed.start)
        self.day.dateChanged.connect(self._typed.start)
        self.dated.toggled.connect(self._on_dated)
        self.set_head(0)

    def set_head(self, head: int) -> None:
        """Events 0 (the empty book) .. ``head`` can be picked."""
        self.position.blockSignals(True)
        self.position.setRange(0, head)
        self.position.blockSignals(False)
        self.position.setSuffix(f"  of {head:,}")

    def moment(self) -> Moment:
        day = from_qdate(self.day.date()) if self.dated.isChecked() else None
        return Moment(self.position.value(), day)

    def set_moment(self, moment: Moment, default_day: dt.date | None = None) -> None:
        """Show ``moment`` (without ``changed``); an undated one keeps ``default_day`` in
        the greyed date field, ready to be ticked."""
        for widget in (self.position, self.dated, self.day):
            widget.blockSignals(True)
        self.position.setValue(moment.position)
        self.dated.setChecked(moment.day is not None)
        self.day.setEnabled(moment.day is not None)
        shown = moment.day or default_day
        if shown is not None:
            self.day.setDate(to_qdate(shown))
        for widget in (self.position, self.dated, self.day):
            widget.blockSignals(False)

    @Slot(bool)
    def _on_dated(self, dated: bool) -> None:
        self.day.setEnabled(dated)
        self.changed.emit()
