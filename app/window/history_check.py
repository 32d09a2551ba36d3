"""The check of the whole hash chain that runs every time a book's window opens.

It runs in a worker (the window stays usable), shows its progress in the status bar with a
Cancel button, and hands what it finds to the session's :class:`BookHealth`: a break turns
the window read-only.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Slot

from app.background.book_operations import BookOperations
from app.book_health import BookHealth, Breakage
from app.window.integrity import IntegrityState
from app.window.status_bar import BookStatusBar
from domain.store.base import VerifyReport


class HistoryCheck(QObject):
    """Starts the check on opening and wires it: worker → status bar, worker → health."""

    def __init__(
        self, operations: BookOperations, status: BookStatusBar, health: BookHealth
    ) -> None:
        super().__init__(status)
        self._operations = operations
        self._status = status
        self._health = health
        progress = status.check
        operations.check_progress.connect(progress.set_progress)
        operations.check_ended.connect(progress.stop)
        operations.history_checked.connect(self._on_checked)
        # Verify Integrity finds breaks too: whichever finds one, the book turns read-only
        operations.history_broken.connect(health.mark_broken)
        health.broken.connect(self._on_broken)
        if health.breakage is not None:  # known before the window was built
            self._on_broken(health.breakage)
        progress.cancel_requested.connect(operations.cancel_check)

    def start(self) -> None:
        self._operations.check_history()
        self._status.check.start()

    @Slot(object)
    def _on_checked(self, report: VerifyReport) -> None:
        if report.cancelled:
            self._status.showMessage(
                "History check stopped: File ▸ Verify Integrity runs it again", 8000
            )
        elif report.ok and self._health.breakage is not None:
            pass  # the chain is intact, but the store found the file damaged: that stands
        else:
            self._status.set_integrity(IntegrityState.from_report(report))

    @Slot(object)
    def _on_broken(self, breakage: Breakage) -> None:
        self._status.set_integrity(IntegrityState.from_breakage(breakage))
