"""The window's long operations on its book: Verify Integrity, Rebuild Views, Save a Copy,
and the check of its history that runs whenever it is opened.

Each is a job from :mod:`app.background.jobs`, run by a :class:`BackgroundTask`
(:mod:`app.background.runner`) in its own thread, with a progress dialog (the check on opening
has none: the window shows its progress in the status bar, and the window stays usable).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QWidget

from app.background import jobs
from app.background.runner import BackgroundTask, Job
from app.book_health import Breakage
from domain.store.base import VerifyReport


class BookOperations(QObject):
    """Long operations on one book file; results arrive by signal in the GUI thread."""

    verified = Signal(object)  # VerifyReport
    rebuilt = Signal(bool)  # True if finished, False if cancelled
    copied = Signal(object)  # Path of the copy (not emitted when cancelled)
    failed = Signal(str, str)  # what was being done, why it failed
    check_progress = Signal(int, int)  # the check on opening: events verified, of how many
    history_checked = Signal(object)  # its VerifyReport (``cancelled`` if the user stopped it)
    history_broken = Signal(object)  # the Breakage it (or Verify Integrity) found
    check_ended = Signal()  # the check on opening stopped: done, cancelled or failed

    def __init__(self, path: Path, parent: QWidget, *, address: str = "") -> None:
        """``path``: the book's file (a shared book's local copy); ``address``: a shared
        book's server, whose own chain Verify Integrity walks."""
        super().__init__(parent)
        self._path = path
        self._address = address
        self._widget = parent
        self._running: list[BackgroundTask] = []
        self._check: BackgroundTask | None = None
        self._superseded: BackgroundTask | None = None

    def verify(self) -> BackgroundTask:
        """Verify Integrity; it stands in for the check on opening if that still runs (two
        walks of one chain at once took twice as long each; Verify's report says it all)."""
        if self._check is not None:
            self._superseded = self._check
            self._check.cancel()
        task = self._start(jobs.verify_job(self._address or self._path), "Verify Integrity",
                           "Checking the hash chain of every event…")  # fmt: skip
        task.finished.connect(self._on_verified)
        return task

    def check_history(self) -> BackgroundTask:
        """Verify the whole chain without a dialog (see ``check_progress``, ``cancel_check``)."""
        task = self._start(jobs.check_history_job(self._path), "Check History",
                           "Verifying the book's history…", dialog=False)  # fmt: skip
        task.progress.connect(self.check_progress)
        task.finished.connect(self._on_checked)
        task.done.connect(self.check_ended)
        self._check = task
        return task

    @property
    def checking(self) -> bool:
        """Whether the check on opening is still running."""
        return self._check is not None

    def cancel_check(self) -> None:
        if self._check is not None:
            self._check.cancel()

    def rebuild(self) -> BackgroundTask:
        task = self._start(jobs.rebuild_job(self._path), "Rebuild Views",
                           "Replaying every event into fresh balances and registers…")  # fmt: skip
        task.finished.connect(self._on_rebuilt)
        return task

    def save_copy(self, target: Path) -> BackgroundTask:
        task = self._start(jobs.copy_job(self._path, target), "Save a Copy",
                           f"Copying the book to {target.name}…")  # fmt: skip
        task.finished.connect(self._on_copied)
        return task

    def cancel_all(self) -> None:
        for task in list(self._running):
            task.cancel_and_wait()
        self._running.clear()

    def _start(self, job: Job, title: str, label: str, *, dialog: bool = True) -> BackgroundTask:
        task = BackgroundTask(job, title, label, self._widget, dialog=dialog)
        task.failed.connect(lambda message, title=title: self.failed.emit(title, message))
        task.done.connect(lambda task=task: self._forget(task))
        self._running.append(task)
        return task.start()

    def _forget(self, task: BackgroundTask) -> None:
        if task in self._running:
            self._running.remove(task)
        if task is self._check:
            self._check = None
        task.deleteLater()

    @Slot(object)
    def _on_verified(self, report: object) -> None:
        if isinstance(report, VerifyReport) and not report.cancelled:
            self.verified.emit(report)
            self._found(report)

    @Slot(object)
    def _on_checked(self, result: object) -> None:
        superseded = self._superseded is not None and self._superseded is self._check
        self._superseded = None
        self._check = None
        if isinstance(result, VerifyReport) and result.cancelled and superseded:
            return  # stopped for Verify Integrity, whose report follows
        if isinstance(result, VerifyReport):
            self.history_checked.emit(result)
            self._found(result)
        elif isinstance(result, Breakage):
            self.history_broken.emit(result)

    def _found(self, report: VerifyReport) -> None:
        breakage = Breakage.from_report(report)
        if breakage is not None:
            self.history_broken.emit(breakage)

    @Slot(object)
    def _on_copied(self, target: object) -> None:
        if isinstance(target, Path):
            self.copied.emit(target)

    @Slot(object)
    def _on_rebuilt(self, finished: object) -> None:
        self.rebuilt.emit(bool(finished))
