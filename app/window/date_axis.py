"""The timeline's booking-date axis: a date field and steps by day, month or year that show
the books as of the end of that date, counting what is recorded up to the cursor."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable
from enum import Enum

from PySide6.QtCore import QDate, Qt, QTimer, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QComboBox, QDateEdit, QHBoxLayout, QToolButton, QWidget

from app.models.history import HistoryModel
from app.window.time_travel import TimeTravel

DayOf = Callable[[int], dt.date | None]
"""Position -> the booking date of that event (else the local date it was recorded on)."""

_TYPED_MS = 400  # a typed date is applied once the typing pauses (or on Enter)


class DateUnit(Enum):
    DAY = "Day"
    MONTH = "Month"
    YEAR = "Year"


def shift(day: dt.date, unit: DateUnit, steps: int) -> dt.date:
    """``day`` moved ``steps`` units; a month or year step keeps the month's end an end
    (31 Jan + 1 month = 28/29 Feb; 29 Feb + 1 year = 28 Feb)."""
    if unit is DateUnit.DAY:
        return day + dt.timedelta(days=steps)
    months = steps * (12 if unit is DateUnit.YEAR else 1)
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    year = min(max(year, dt.MINYEAR), dt.MAXYEAR)
    last = calendar.monthrange(year, month + 1)[1]
    at_end = day.day == calendar.monthrange(day.year, day.month)[1]
    return dt.date(year, month + 1, last if at_end else min(day.day, last))


def history_day(history: HistoryModel) -> DayOf:
    """The day a date step starts from when no date is set: the cursor's event's."""

    def day_of(position: int) -> dt.date | None:
        row = history.row_at(history.row_of(position))
        if row is None:
            return None
        return row.booking_date or row.recorded_at.astimezone().date()

    return day_of


def to_qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(day: QDate) -> dt.date:
    return dt.date(day.year(), day.month(), day.day())


class DateAxis(QWidget):
    """Date field, unit, Earlier/Later Date and All Dates, driving ``travel.set_day``."""

    def __init__(self, travel: TimeTravel, day_of: DayOf, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._travel, self.day_of = travel, day_of
        self.date_edit = QDateEdit()
        self.date_edit.setObjectName("timelineDate")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("d MMM yyyy")
        self.date_edit.setToolTip("Show the books as of the end of this booking date")
        self.unit = QComboBox()
        self.unit.setObjectName("timelineDateUnit")
        for unit in DateUnit:
            self.unit.addItem(unit.value, unit)
        self.unit.setCurrentIndex(1)  # a month: the step people think in
        self.unit.setToolTip("What Earlier Date and Later Date step by")
        self.earlier = self._action("Earlier Date", "Ctrl+Alt+[", "◀")
        self.later = self._action("Later Date", "Ctrl+Alt+]", "▶")
        self.all_dates = self._action("All Dates", "Ctrl+Alt+\\", "✕")
        self.all_dates.setToolTip("Count every booking date again (stay at this event)")
        self._shown = dt.date.today()  # what the field shows, set or not
        self._typed = QTimer(self)
        self._typed.setSingleShot(True)
        self._typed.setInterval(_TYPED_MS)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(2)
        for widget in (self._button(self.earlier), self.date_edit, self._button(self.later),
                       self.unit, self._button(self.all_dates)):  # fmt: skip
            row.addWidget(widget)
        self.earlier.triggered.connect(lambda: self.step(-1))
        self.later.triggered.connect(lambda: self.step(1))
        self.all_dates.triggered.connect(lambda: travel.set_day(None))
        self.date_edit.dateChanged.connect(self._typed.start)
        self.date_edit.editingFinished.connect(self._apply_typed)
        self._typed.timeout.connect(self._apply_typed)
        travel.cursor_changed.connect(self._show)
        travel.head_changed.connect(self._show)
        self._show()

    def actions_(self) -> list[QAction]:
        return [self.earlier, self.later, self.all_dates]

    def _action(self, text: str, shortcut: str, glyph: str) -> QAction:
        action = QAction(glyph, self)
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        native = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        action.setText(text)
        action.setIconText(glyph)
        action.setToolTip(f"{text} ({native})")
        self.addAction(action)
        return action

    def _button(self, action: QAction) -> QToolButton:
        button = QToolButton()
        button.setDefaultAction(action)
        button.setAutoRaise(True)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        button.setText(action.iconText())
        action.changed.connect(lambda: button.setText(action.iconText()))
        return button

    @property
    def unit_value(self) -> DateUnit:
        unit = self.unit.currentData()
        return unit if isinstance(unit, DateUnit) else DateUnit.MONTH

    def start_day(self) -> dt.date:
        """Where a step starts: the date set, else the cursor's event's date."""
        if self._travel.day is not None:
            return self._travel.day
        return self.day_of(self._travel.cursor) or dt.date.today()

    def step(self, steps: int) -> None:
        """Move the date ``steps`` units (of the unit chosen) on."""
        self._travel.set_day(shift(self.start_day(), self.unit_value, steps))

    @Slot()
    def _apply_typed(self) -> None:
        self._typed.stop()
        day = from_qdate(self.date_edit.date())
        if day != self._shown:
            self._travel.set_day(day)

    @Slot()
    def _show(self) -> None:
        """The date set, or (greyed: none is) the day a step would start from."""
        head = self._travel.head
        for action in self.actions_():
            action.setEnabled(head > 0)
        self.date_edit.setEnabled(head > 0)
        self.all_dates.setEnabled(self._travel.day is not None)
        self._shown = self.start_day() if head else dt.date.today()
        self.date_edit.blockSignals(True)
        self.date_edit.setDate(to_qdate(self._shown))
        self.date_edit.blockSignals(False)
        dated = self._travel.day is not None
        self.date_edit.setProperty("dated", dated)
        font = self.date_edit.font()
        font.setItalic(not dated)
        self.date_edit.setFont(font)
