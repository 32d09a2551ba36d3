"""Where the Diff window is opened from: the history's context menu (Diff From / To This
Event, Compare With Now…), the timeline's Compare… button and View ▸ Timeline ▸ Compare
Two Moments… (Ctrl+Shift+D), which take the timeline's cursor and date as one point."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, SignalInstance
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

from app.background.diff_jobs import DiffSource
from app.window.diff_window import DiffWindow
from app.window.history_dock import HistoryDock
from app.window.timeline import Timeline
from app.window.window_parts import WindowParts
from domain.projections.diff import Moment


class DiffWiring(QObject):
    """The diff's actions for the window ``parent``; the Diff window is made on first use
    and closed when ``closed`` fires."""

    def __init__(
        self,
        parent: QWidget,
        parts: WindowParts,
        history: HistoryDock,
        timeline: Timeline,
        closed: SignalInstance,
    ) -> None:
        super().__init__(parent)
        self._parent, self._parts = parent, parts
        self._history, self._timeline = history, timeline
        self.window: DiffWindow | None = None
        self.diff_from = QAction("Diff &From This Event", parent)
        self.diff_to = QAction("Diff &To This Event", parent)
        self.compare_now = QAction("Compare With &Now…", parent)
        self.compare = QAction("&Compare Two Moments…", parent)
        self.compare.setShortcut(QKeySequence("Ctrl+Shift+D"))
        self.compare.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.compare.setStatusTip("The balances at the timeline's point and another, and the "
                                  "events between them")  # fmt: skip
        self.compare.setIconText("Compare…")
        self.compare.setToolTip("Compare the books here with another moment (Ctrl+Shift+D)")
        separator = QAction(history.table)
        separator.setSeparator(True)
        history.table.addActions([separator, self.diff_from, self.diff_to, self.compare_now])
        parent.addAction(self.compare)  # the shortcut works wherever the focus is
        timeline.add_button(self.compare)
        menu = _menu_of(timeline.actions_.present)
        if menu is not None:
            menu.addSeparator()
            menu.addAction(self.compare)
        self.diff_from.triggered.connect(lambda: self._from_selected(to_now=False))
        self.compare_now.triggered.connect(lambda: self._from_selected(to_now=True))
        self.diff_to.triggered.connect(self._to_selected)
        self.compare.triggered.connect(self._from_timeline)
        closed.connect(self.close)

    def _now(self) -> Moment:
        return Moment(self._parts.travel.head)

    def _from_selected(self, *, to_now: bool) -> None:
        position = self._history.selected_position()
        if position is None:
            return
        second = self._now() if to_now or self.window is None else self.window.points()[1]
        self.open(Moment(position), second)

    def _to_selected(self) -> None:
        position = self._history.selected_position()
        if position is None:
            return
        first = Moment(0) if self.window is None else self.window.points()[0]
        self.open(first, Moment(position))

    def _from_timeline(self) -> None:
        travel = self._parts.travel
        self.open(Moment(travel.cursor, travel.day), self._now())

    def open(self, first: Moment, second: Moment) -> DiffWindow:
        """Show the Diff window (made on first use) on ``first`` and ``second``."""
        parts = self._parts
        if self.window is None:
            self.window = DiffWindow(DiffSource(parts.path), parts.history.describe,
                                     parts.title or parts.path.stem, self._parent)  # fmt: skip
            self.window.event_requested.connect(self._show_event)
            parts.travel.head_changed.connect(self.window.set_head)
        self.window.set_head(parts.travel.head)
        day = parts.travel.day or self._timeline.dates.start_day()
        self.window.compare(first, second, day)
        return self.window

    def _show_event(self, position: int) -> None:
        """As a double-click on a history row: the timeline moves there, the row is shown."""
        self._history.show()
        self._parts.travel.move_to(position)
        self._history.select_position(position)

    def close(self) -> None:
        if self.window is not None:
            self.window.close()


def _menu_of(action: QAction) -> QMenu | None:
    """The menu ``action`` is in (the View menu's Timeline submenu), if any."""
    for holder in action.associatedObjects():
        if isinstance(holder, QMenu):
            return holder
    return None
