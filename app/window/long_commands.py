"""Commands too big for the GUI thread (the undo of a 100,000-row import voids every entry):
run in a worker on the book's own connection, the views then take their events through the
controller, as a big import's."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from app import preferences
from app.background.jobs import command_job
from app.background.runner import BackgroundTask
from app.controller import CommandController
from domain.model.commands import Command

BIG_CHANGE = 500
"""Events a change may have for its undo or redo to run on the GUI thread."""


class LongCommands(QObject):
    """Runs one command at a time in a worker; ``say`` tells the window what happened."""

    def __init__(
        self,
        window: QWidget,
        path: Path | str,
        controller: CommandController,
        known_head: Callable[[], int],
        say: Callable[[str], None],
    ) -> None:
        super().__init__(window)
        self._window = window
        self._path = path
        self._controller = controller
        self._known_head = known_head
        self._say = say
        self.task: BackgroundTask | None = None
        self.big = BIG_CHANGE  # events of a change whose undo is run here

    def is_big(self, events: int) -> bool:
        """Whether a change of that many events is undone or redone here."""
        return events > self.big

    def run(self, command: Command, doing: str) -> None:
        """Run ``command`` ("Undoing the import…" is ``doing``), unless one runs already."""
        breakage = self._controller.health.breakage
        if breakage is not None:
            self._say(f"Not recorded: {breakage.refusal()}")
            return
        if self.task is not None:
            self._say("Another long change is being recorded; try again when it is done")
            return
        job = command_job(self._path, command, preferences.current().author or None)
        task = BackgroundTask(job, "Recording", doing, self._window)
        task.finished.connect(self._on_finished)
        task.failed.connect(lambda message: self._done(f"Not recorded: {message}"))
        self.task = task
        task.start()

    def _on_finished(self, stored: object) -> None:
        assert isinstance(stored, list)
        # the watcher may have shown some of them already (it polls for others' events)
        head = self._known_head()
        self._controller.recorded_elsewhere([e for e in stored if e.position > head])
        self._done(f"Recorded {len(stored):,} events")

    def _done(self, message: str) -> None:
        self.task = None
        self._say(message)
