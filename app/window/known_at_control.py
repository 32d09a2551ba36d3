"""The report header's "known at" choice: the timeline's current event, or the last event
recorded up to a chosen date-time (which the worker maps to a position: an index seek on
the log, never on the GUI thread)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from PySide6.QtCore import QDateTime, Qt, Signal, Slot
from PySide6.QtWidgets import QDateTimeEdit, QHBoxLayout, QLabel, QRadioButton, QWidget

from app.background.report_jobs import ReportRequest


class KnownAtControl(QWidget):
    """``Known at: (•) Timeline ( ) Recorded up to [date-time]``; ``changed`` when the
    choice or the date-time changes."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reportKnownAt")
        self.timeline = QRadioButton("Time&line")
        self.timeline.setToolTip("As known at the timeline's current event")
        self.recorded = QRadioButton("Recorded &up to")
        self.recorded.setToolTip("As known at the last event recorded at or before this "
                                 "date-time (your computer's time zone)")  # fmt: skip
        self.when = QDateTimeEdit(QDateTime.currentDateTime())
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.when.setEnabled(False)
        self.timeline.setChecked(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("Known at:"))
        for widget in (self.timeline, self.recorded, self.when):
            layout.addWidget(widget)
        layout.addStretch(1)
        self.recorded.toggled.connect(self._on_mode)
        self.when.dateTimeChanged.connect(self._on_time)

    def recorded_by(self) -> dt.datetime | None:
        """The chosen recording time (aware, UTC), or None for the timeline's event."""
        if not self.recorded.isChecked():
            return None
        local = self.when.dateTime().toPython()
        assert isinstance(local, dt.datetime)
        return local.astimezone(dt.UTC)  # naive local time → UTC

    def set_recorded_by(self, when: dt.datetime | None) -> None:
        """Choose a recording time (aware), or the timeline (None)."""
        if when is None:
            self.timeline.setChecked(True)
            return
        local = when.astimezone().replace(tzinfo=None)
        self.when.setDateTime(QDateTime.fromString(local.isoformat(timespec="seconds"),
                                                   Qt.DateFormat.ISODate))  # fmt: skip
        self.recorded.setChecked(True)

    def apply(self, request: ReportRequest) -> ReportRequest:
        """``request`` known at the chosen point."""
        return dataclasses.replace(request, recorded_by=self.recorded_by())

    @Slot(bool)
    def _on_mode(self, recorded: bool) -> None:
        self.when.setEnabled(recorded)
        self.changed.emit()

    @Slot()
    def _on_time(self) -> None:
        if self.recorded.isChecked():
            self.changed.emit()
