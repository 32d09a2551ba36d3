"""Reports ▸ Export hledger Journal…: the entries up to the timeline's current event as an
hledger journal (``tallybook-cli export --format hledger`` does the same), written in a worker."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from app.background.report_jobs import journal_job
from app.background.runner import BackgroundTask


class JournalExport(QObject):
    """Asks where, then writes; ``say(text)`` reports the outcome (the status bar)."""

    def __init__(self, book: Path, say: Callable[[str], None], parent: QWidget) -> None:
        super().__init__(parent)
        self._book, self._say, self._widget = book, say, parent
        self.task: BackgroundTask | None = None

    def export(self, as_of: int) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self._widget, "Export hledger Journal", f"{self._book.stem}.journal",
            "hledger journals (*.journal *.hledger *.ledger);;All files (*)",
        )  # fmt: skip
        if not name:
            return
        task = BackgroundTask(journal_job(self._book, as_of, Path(name)), "Export hledger Journal",
                              "Writing the journal…", self._widget)  # fmt: skip
        done = f"Journal of the entries up to event #{as_of} written to {name}"
        task.finished.connect(lambda _target: self._say(done))
        task.failed.connect(self._on_failed)
        self.task = task.start()

    def _on_failed(self, message: str) -> None:
        QMessageBox.warning(
            self._widget, "Export hledger Journal", f"The journal was not written: {message}"
        )
