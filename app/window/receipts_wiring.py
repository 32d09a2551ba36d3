"""Receipts in the window: Verify Integrity ends with the verified head's receipt (kept in
the settings), and File ▸ Verify Against a Receipt… checks the book against one in a worker."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox, QWidget

from app.background.jobs import receipt_check_job
from app.background.runner import BackgroundTask
from app.desktop.settings import AppSettings
from app.desktop.shared_address import shared_label
from app.dialogs.receipt import ReceiptDialog, ReceiptPicker
from domain.application.receipts import Outcome, Receipt, ReceiptCheck
from domain.store.base import VerifyReport

TITLE = "Verify Against a Receipt"


class ReceiptsWiring(QObject):
    """Makes, keeps and checks receipts of one book (``book_id``) in the window ``parent``."""

    def __init__(
        self,
        parent: QWidget,
        path: Path | str,
        book_id: str,
        settings: AppSettings,
        verify_against: QAction,
        app_version: str = "",
    ) -> None:
        super().__init__(parent)
        self._parent = parent
        self._path = path  # a file, or a shared book's server: its own chain is checked
        self._name = path.stem if isinstance(path, Path) else shared_label(path)
        self._book_id = book_id
        self._settings = settings
        self._app_version = app_version
        self.dialog: ReceiptDialog | None = None
        self.picker: ReceiptPicker | None = None
        self._task: BackgroundTask | None = None
        verify_against.triggered.connect(self.choose)

    def show_verified(self, report: VerifyReport) -> ReceiptDialog:
        """The receipt of an intact chain, kept first among the book's and shown."""
        receipt = Receipt.of(report, self._book_id, self._app_version)
        self._settings.keep_receipt(receipt)
        self.dialog = ReceiptDialog(receipt, self._name, self._parent)
        self.dialog.open()
        return self.dialog

    @Slot()
    def choose(self) -> ReceiptPicker:
        """Ask which receipt to verify against (the picker is window-modal, not blocking)."""
        self.picker = ReceiptPicker(self._settings.receipts(self._book_id), self._parent)
        self.picker.accepted.connect(self._on_chosen)
        self.picker.open()
        return self.picker

    @Slot()
    def _on_chosen(self) -> None:
        if self.picker is not None and self.picker.chosen is not None:
            self.check(self.picker.chosen)

    def check(self, receipt: Receipt) -> BackgroundTask:
        """Check the book against ``receipt`` in a worker, with progress and Cancel."""
        task = BackgroundTask(
            receipt_check_job(self._path, receipt),
            TITLE,
            "Checking the hash chain against the receipt…",
            self._parent,
        )
        task.finished.connect(self._on_checked)
        task.failed.connect(lambda message: QMessageBox.warning(self._parent, TITLE, message))
        task.done.connect(self._on_done)
        self._task = task
        return task.start()

    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel_and_wait()

    @Slot()
    def _on_done(self) -> None:
        if self._task is not None:
            self._task.deleteLater()
            self._task = None

    @Slot(object)
    def _on_checked(self, found: object) -> None:
        if not isinstance(found, ReceiptCheck) or found.outcome is Outcome.CANCELLED:
            return
        if found.ok:
            QMessageBox.information(self._parent, TITLE, found.message)
        else:
            QMessageBox.critical(self._parent, TITLE, found.message)
