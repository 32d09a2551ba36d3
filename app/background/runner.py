"""Long work off the GUI thread: a worker QObject in a QThread, with a cancellable progress dialog.

A job is a plain function taking a progress callback ``(done, total) -> bool`` (False cancels)
and returning its result; :mod:`app.background.jobs` has the app's jobs. Jobs open their own
book or store: SQLite connections never cross threads.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

Progress = Callable[[int, int], bool]
Job = Callable[[Progress], object]

_MIN_DIALOG_WIDTH = 360
_REPORT_EVERY_S = 0.05  # a million events must not flood the GUI thread with signals


class Worker(QObject):
    """Runs one job; reports ``progress(done, total)``, then ``finished(result)`` or ``failed``."""

    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, job: Job) -> None:
        super().__init__()
        self._job = job
        self._cancelled = threading.Event()
        self._last_report = 0.0

    def cancel(self) -> None:
        """Ask the job to stop at its next progress report (thread-safe)."""
        self._cancelled.set()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    @Slot()
    def run(self) -> None:
        try:
            result = self._job(self._report)
        except Exception as exc:  # any failure is shown to the user, not lost in a thread
            self.failed.emit(str(exc) or type(exc).__name__)
        else:
            self.finished.emit(result)

    def _report(self, done: int, total: int) -> bool:
        now = time.monotonic()
        if done >= total or now - self._last_report >= _REPORT_EVERY_S:
            self._last_report = now
            self.progress.emit(done, total)
        return not self._cancelled.is_set()


class BackgroundTask(QObject):
    """A job running in its own thread, with a progress dialog the user can cancel.

    ``finished(result)`` / ``failed(message)`` are delivered in the GUI thread; ``done`` follows
    either, once the thread has stopped. With ``dialog=False`` the task shows nothing itself:
    whoever shows its ``progress`` (a status bar) offers :meth:`cancel`.
    """

    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(str)
    done = Signal()

    def __init__(
        self,
        job: Job,
        title: str,
        label: str,
        parent: QWidget | None = None,
        *,
        dialog: bool = True,
    ) -> None:
        super().__init__(parent)
        self._thread = QThread()
        self._worker = Worker(job)
        self._worker.moveToThread(self._thread)
        self._dialog: QProgressDialog | None = None
        if dialog:
            self._dialog = QProgressDialog(label, "Cancel", 0, 0, parent)
            self._dialog.setWindowTitle(title)
            # sized by its short label the dialog is ~200 px wide, and the window manager cuts
            # the title to "Openi… ybook": room for the title (in a title bar's bigger, bold
            # font) beside the bar's buttons
            title_width = self._dialog.fontMetrics().horizontalAdvance(title) * 13 // 10
            self._dialog.setMinimumWidth(max(_MIN_DIALOG_WIDTH, title_width + 150))
            self._dialog.setWindowModality(Qt.WindowModality.WindowModal)
            self._dialog.setMinimumDuration(400)
            self._dialog.setAutoClose(False)
            self._dialog.setAutoReset(False)
            self._dialog.canceled.connect(self._worker.cancel)
        self._thread.started.connect(self._worker.run)
        self._worker.progress.connect(self._on_progress)
        self._worker.finished.connect(self._on_finished)
        self._worker.failed.connect(self._on_failed)

    @property
    def cancelled(self) -> bool:
        return self._worker.cancelled

    def start(self) -> BackgroundTask:
        self._thread.start()
        return self

    def cancel(self) -> None:
        """Ask the job to stop; ``finished`` follows soon (the GUI thread does not wait)."""
        self._worker.cancel()

    def cancel_and_wait(self) -> None:
        """Stop the job and its thread (used when the window closes)."""
        self._worker.cancel()
        self._thread.quit()
        self._thread.wait()

    @Slot(int, int)
    def _on_progress(self, done: int, total: int) -> None:
        if self._dialog is not None:
            self._dialog.setMaximum(max(total, 1))
            self._dialog.setValue(min(done, max(total, 1)))
        self.progress.emit(done, total)

    @Slot(object)
    def _on_finished(self, result: object) -> None:
        self._stop()
        self.finished.emit(result)
        self.done.emit()

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self._stop()
        self.failed.emit(message)
        self.done.emit()

    def _stop(self) -> None:
        self._thread.quit()
        self._thread.wait()
        if self._dialog is not None:
            self._dialog.close()
            self._dialog.deleteLater()
