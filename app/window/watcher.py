"""Notices events appended by another program (the CLI) and brings the views along."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from domain.store.base import StoredEvent

POLL_MS = 2000


class ExternalSource(Protocol):
    def pending(self) -> int: ...

    def catch_up(self) -> int: ...

    def event_count(self) -> int: ...


class NewEvents(Protocol):
    """The part of :class:`domain.application.event_log.EventLog` the watcher reads."""

    def events_after(self, position: int, limit: int) -> list[StoredEvent]: ...


class BookWatcher(QObject):
    """Polls for events this window has not seen yet; emits them once the read models have
    them. (Another Tallybook or the CLI usually projects its events itself; if not, they are
    caught up here.)"""

    events_found = Signal(list)

    def __init__(
        self,
        read_models: ExternalSource,
        events: NewEvents,
        known_head: Callable[[], int],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._read_models = read_models
        self._events = events
        self._known_head = known_head
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self.poll)

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def is_running(self) -> bool:
        """Whether it polls (every ``POLL_MS``)."""
        return self._timer.isActive()

    @Slot()
    def poll(self, upto: int | None = None) -> list[StoredEvent]:
        """Return (and emit) the events others appended since this window last looked (up
        to position ``upto``: a shared book's own command is emitted by the controller)."""
        if self._read_models.pending():
            self._read_models.catch_up()
        known, count = self._known_head(), self._read_models.event_count()
        if upto is not None:
            count = min(count, upto)
        if count <= known:
            return []
        events = self._events.events_after(known, count - known)
        if events:
            self.events_found.emit(events)
        return events
