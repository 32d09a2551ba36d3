"""The window's answers to its long operations on the book (Verify Integrity, Rebuild Views,
Save a Copy): the integrity shown in the status bar, the receipt, the views reloaded."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QMessageBox, QWidget

from app.background.book_operations import BookOperations
from app.window.actions import Actions
from app.window.integrity import Integrity, IntegrityState
from app.window.receipts_wiring import ReceiptsWiring
from app.window.status_bar import BookStatusBar
from domain.store.base import VerifyReport


class OperationsWiring(QObject):
    """Menu actions → ``operations``; their results → status bar, receipt, message boxes."""

    def __init__(
        self,
        window: QWidget,
        operations: BookOperations,
        actions: Actions,
        status: BookStatusBar,
        receipts: ReceiptsWiring,
        reload_views: Callable[[], None],
    ) -> None:
        super().__init__(window)
        self._window = window
        self._status = status
        self._receipts = receipts
        self._reload_views = reload_views
        self.integrity = IntegrityState()
        actions.verify.triggered.connect(lambda: operations.verify())
        actions.rebuild.triggered.connect(lambda: operations.rebuild())
        operations.verified.connect(self._on_verified)
        operations.rebuilt.connect(self._on_rebuilt)
        operations.copied.connect(self._on_copied)
        operations.failed.connect(self._on_failed)

    @Slot(object)
    def _on_verified(self, report: VerifyReport) -> None:
        self.integrity = IntegrityState.from_report(report)
        self._status.set_integrity(self.integrity)
        if self.integrity.state is Integrity.TAMPERED:
            QMessageBox.critical(self._window, "Verify Integrity", self.integrity.break_message())
        else:  # the receipt says what the message did, and can be copied and kept
            self._receipts.show_verified(report)

    @Slot(bool)
    def _on_rebuilt(self, finished: bool) -> None:
        if finished:
            self._reload_views()
            self._status.showMessage("Views rebuilt from the events", 4000)

    @Slot(object)
    def _on_copied(self, target: Path) -> None:
        self._status.showMessage(f"Copy saved to {target}", 6000)

    @Slot(str, str)
    def _on_failed(self, title: str, message: str) -> None:
        QMessageBox.warning(self._window, title, message)
