"""The timeline along the bottom: a slider over every event, step, play and return to present.

The widget only drives a :class:`TimeTravel`; what "as of event n" means for each view is the
models' business.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QSlider,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.models.history import type_labels, wide_times
from app.window.date_axis import DateAxis, DayOf
from app.window.elided import ElidedText
from app.window.play_speeds import SPEEDS, NextMatch, PlayClock, every_event
from app.window.time_travel import TimeTravel

EventCaption = Callable[[int], tuple[str, str]]
"""Position -> (recorded time in local time, event type) of that event."""


class TimelineActions:
    """The timeline's commands, shared by its buttons and the View menu."""

    def __init__(self, parent: QWidget) -> None:
        style = parent.style()

        def make(text: str, icon: QStyle.StandardPixmap, shortcut: str) -> QAction:
            action = QAction(style.standardIcon(icon), text, parent)
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            return action

        sp = QStyle.StandardPixmap
        self.first = make("First Event", sp.SP_MediaSkipBackward, "Ctrl+Shift+Home")
        self.back = make("Step Back", sp.SP_MediaSeekBackward, "Ctrl+[")
        self.play = make("Play", sp.SP_MediaPlay, "Ctrl+Shift+Space")
        self.play.setCheckable(True)
        self.forward = make("Step Forward", sp.SP_MediaSeekForward, "Ctrl+]")
        self.present = make("Return to Present", sp.SP_MediaSkipForward, "Ctrl+Shift+End")

    def all(self) -> list[QAction]:
        return [self.first, self.back, self.play, self.forward, self.present]


class Timeline(QWidget):
    """Slider, buttons and the "Event #n of N" label for one :class:`TimeTravel`."""

    def __init__(
        self,
        travel: TimeTravel,
        caption: EventCaption,
        day_of: DayOf = lambda _position: None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._travel = travel
        self._caption = caption
        self._next_match: NextMatch = every_event
        self.dates = DateAxis(travel, day_of)
        self.actions_ = TimelineActions(self)
        self.addActions(self.actions_.all())
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setObjectName("timelineSlider")
        self.slider.setPageStep(10)
        self.slider.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.slider.setToolTip("Drag to see the books as of any event (arrows, Home, End)")
        # as wide as the widest caption, whatever it says: the slider keeps its length
        self.label = ElidedText()
        self.label.setObjectName("timelineCaption")
        self.speed = QComboBox()
        self.speed.setObjectName("timelineSpeed")
        self.speed.addItems([s.label for s in SPEEDS])
        self.speed.setToolTip("Playback speed: events, or booking days, a second")
        self._play_timer = QTimer(self)
        self._clock = PlayClock(SPEEDS[0])
        # dragging fires valueChanged for every pixel; only the last value is applied
        self._coalesce = QTimer(self)
        self._coalesce.setSingleShot(True)
        self._coalesce.setInterval(0)
        self._pending: int | None = None
        self._layout()
        self._connect()
        self._on_head_changed(travel.head)
        self._on_cursor_changed(travel.cursor)
        self._on_present_changed(travel.in_present)

    def _layout(self) -> None:
        # two rows: the slider keeps its length at 1024 px beside the date axis's controls
        rows = QVBoxLayout(self)
        rows.setContentsMargins(6, 2, 6, 2)
        rows.setSpacing(0)
        row, second = QHBoxLayout(), QHBoxLayout()
        rows.addLayout(row)
        rows.addLayout(second)
        for action in (self.actions_.first, self.actions_.back, self.actions_.play,
                       self.actions_.forward):  # fmt: skip
            button = QToolButton()
            button.setDefaultAction(action)
            button.setAutoRaise(True)
            row.addWidget(button)
        row.addWidget(self.speed)
        row.addWidget(self.slider, stretch=1)
        present = QToolButton()
        present.setDefaultAction(self.actions_.present)
        present.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        row.addWidget(present)
        second.addWidget(self.label, stretch=1)
        second.addWidget(self.dates)
        self._second_row = second

    def add_button(self, action: QAction) -> None:
        """Another command on the date axis's row, by its icon text (the diff's Compare…)."""
        button = QToolButton()
        button.setDefaultAction(action)
        button.setAutoRaise(True)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self._second_row.addWidget(button)

    def _connect(self) -> None:
        travel = self._travel
        self.actions_.first.triggered.connect(self._on_first)
        self.actions_.back.triggered.connect(self._on_back)
        self.actions_.forward.triggered.connect(self._on_forward)
        self.actions_.present.triggered.connect(self._on_present)
        self.actions_.play.toggled.connect(self._on_play_toggled)
        self.speed.currentIndexChanged.connect(self._on_speed_changed)
        self.slider.valueChanged.connect(self._on_slider_moved)
        self.slider.sliderPressed.connect(self.pause)
        self._coalesce.timeout.connect(self._apply_pending)
        self._play_timer.timeout.connect(self._on_play_tick)
        travel.cursor_changed.connect(self._on_cursor_changed)
        travel.head_changed.connect(self._on_head_changed)
        travel.present_changed.connect(self._on_present_changed)

    def set_next_match(self, next_match: NextMatch | None) -> None:
        """Step and play only to the events ``next_match`` finds (say, those of the
        history's filter); None: every event again."""
        self._next_match = next_match or every_event

    def _step(self, direction: int, times: int = 1) -> bool:
        """Move ``times`` matching events on; False if there was none to move to."""
        start = position = self._travel.cursor
        for _ in range(times):
            found = self._next_match(position, direction)
            if found is None or not 0 < found <= self._travel.head:
                break
            position = found
        self._travel.move_to(position)
        return position != start

    @property
    def playing(self) -> bool:
        return self._play_timer.isActive()

    def play(self) -> None:
        self.actions_.play.setChecked(True)

    def pause(self) -> None:
        self.actions_.play.setChecked(False)

    @Slot()
    def _on_first(self) -> None:
        self.pause()
        self._travel.to_start()

    @Slot()
    def _on_back(self) -> None:
        self.pause()
        self._step(-1)

    @Slot()
    def _on_forward(self) -> None:
        self.pause()
        self._step(1)

    @Slot()
    def _on_present(self) -> None:
        self.pause()
        self._travel.return_to_present()

    @Slot(bool)
    def _on_play_toggled(self, playing: bool) -> None:
        style = self.style()
        sp = QStyle.StandardPixmap
        icon = sp.SP_MediaPause if playing else sp.SP_MediaPlay
        self.actions_.play.setIcon(style.standardIcon(icon))
        self.actions_.play.setText("Pause" if playing else "Play")
        if not playing:
            self._play_timer.stop()
            return
        self._on_speed_changed()
        if self._clock.speed.by_days:
            if self._travel.day is None or self._travel.day >= self._last_day():
                self._travel.set_day(self._day_of_first())  # replay every date from the first
        elif self._travel.in_present:
            self._travel.to_start()  # replay the whole book from its first event
        self._play_timer.start()

    @Slot()
    def _on_speed_changed(self) -> None:
        self._clock = PlayClock(SPEEDS[max(self.speed.currentIndex(), 0)])
        self._play_timer.setInterval(self._clock.speed.interval_ms)

    def _day_of_first(self) -> dt.date:
        return self.dates.day_of(1) or dt.date.today()

    def _last_day(self) -> dt.date:
        """Where playing by days stops: the head's event's date, or today if later."""
        return max(self.dates.day_of(self._travel.head) or dt.date.min, dt.date.today())

    @Slot()
    def _on_play_tick(self) -> None:
        steps = self._clock.tick()
        if self._clock.speed.by_days:
            day = self._travel.day or self._day_of_first()
            last = self._last_day()
            self._travel.set_day(min(day + dt.timedelta(days=steps), last))
            if self._travel.day == last:
                self.pause()
            return
        if (steps and not self._step(1, steps)) or self._travel.cursor >= self._travel.head:
            self.pause()  # at the head, or no matching event after the cursor

    @Slot(int)
    def _on_slider_moved(self, value: int) -> None:
        self._pending = value
        self._coalesce.start()

    @Slot()
    def _apply_pending(self) -> None:
        if self._pending is not None:
            position, self._pending = self._pending, None
            self._travel.move_to(position)

    @Slot(int)
    def _on_cursor_changed(self, cursor: int) -> None:
        if self._pending is None:
            self.slider.blockSignals(True)
            self.slider.setValue(cursor)
            self.slider.blockSignals(False)
        self._update_label()

    @Slot(int)
    def _on_head_changed(self, head: int) -> None:
        self.slider.blockSignals(True)
        self.slider.setRange(min(1, head), head)
        self.slider.setValue(self._travel.cursor)
        self.slider.blockSignals(False)
        self.slider.setEnabled(head > 0)
        self._size_label(head)
        for action in (self.actions_.first, self.actions_.back, self.actions_.play,
                       self.actions_.forward):  # fmt: skip
            action.setEnabled(head > 1)
        self._update_label()

    @Slot(bool)
    def _on_present_changed(self, present: bool) -> None:
        self.actions_.present.setEnabled(not present)

    def _size_label(self, head: int) -> None:
        """Fix the caption's width to the widest it can be for ``head`` events: any event's
        number, any time and any type of event."""
        metrics = self.label.fontMetrics()
        texts = ["No events yet"]
        if head > 0:
            when = max([*wide_times(), self._caption(head)[0]], key=metrics.horizontalAdvance)
            texts += [f"Event #{head} of {head} · {when} · {kind}" for kind in type_labels()]
        air = metrics.horizontalAdvance("0")  # a digit narrower than another, in some fonts
        width = max(metrics.horizontalAdvance(text) for text in texts) + air
        # it asks for that room whatever it shows; a narrow window still shrinks it (elided)
        self.label.want_width(width)

    def _update_label(self) -> None:
        head, cursor = self._travel.head, self._travel.cursor
        if head == 0:
            self.label.setText("No events yet")
            return
        when, kind = self._caption(cursor)
        self.label.setText(f"Event #{cursor} of {head} · {when} · {kind}")
