"""File ▸ Import Statement… (and a file dropped on the window), and Entry ▸ Undo Import….

The file is read in a worker (progress bar, Cancel: nothing imported); a CSV then goes through
the mapping step (the account's saved import profile offered first); the preview dialog shows
the domain's dry run and sends the one Import Statement command through the controller.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from app import preferences
from app.background.runner import BackgroundTask
from app.background.statement_jobs import (
    import_job,
    preview_job,
    read_statement,
    read_statement_job,
    reparse_job,
)
from app.controller import CommandController
from app.desktop.settings import AppSettings
from app.dialogs import import_preview as preview_dialog
from app.dialogs.csv_mapping import CsvMappingDialog
from app.dialogs.import_preview import Finished, ImportPreviewDialog, Previewer
from app.import_preview import ImportPreview, StatementFile
from app.models.sources import AccountRow
from domain.model.commands import ImportStatement, UndoImport
from domain.model.events import ImportUndone, from_data
from domain.model.imports import import_id_of
from domain.store.base import StoredEvent

STATEMENT_FILTER = (
    "Bank statements (*.csv *.txt *.tsv *.ofx *.qfx *.xml *.sta *.mt940 *.940 *.qif);;All files (*)"
)


class StatementImport(QObject):
    """One window's statement imports. ``message(str)`` is for the status bar."""

    message = Signal(str)

    def __init__(
        self,
        window: QWidget,
        controller: CommandController,
        previewer: Previewer,
        accounts: Callable[[], Sequence[AccountRow]],
        selected: Callable[[], str | None],
        settings: AppSettings,
        book: Path | str,
        known_head: Callable[[], int],
    ) -> None:
        super().__init__(window)
        self._book = book
        self._known_head = known_head  # the last event the views have taken
        self._window = window
        self._controller = controller
        self._previewer = previewer
        self._accounts = accounts
        self._selected = selected
        self._settings = settings
        self.task: BackgroundTask | None = None
        self.mapping: CsvMappingDialog | None = None
        self.preview: ImportPreviewDialog | None = None
        self._path: Path | None = None
        self._saved = False  # the mapping offered is the account's saved import profile
        self.drop: QObject | None = None  # takes files dropped on the window
        self.closings: dict[str, tuple[Decimal, dt.date | None]] = {}  # account -> imported

    @Slot()
    def ask(self) -> None:
        """File ▸ Import Statement…: choose a file, then import it."""
        name, _ = QFileDialog.getOpenFileName(
            self._window, "Import Statement", str(Path.home()), STATEMENT_FILTER
        )
        if name:
            self.start(Path(name))

    def start(self, path: Path) -> None:
        """Read ``path`` in a worker, then the mapping step (CSV) and the preview."""
        if self.task is not None:
            return  # one file at a time
        selected = self._selected()
        profile = self._settings.import_profile(selected) if selected else None
        self._path = path
        self._saved = profile is not None
        self.task = BackgroundTask(
            read_statement_job(path, profile), "Import Statement", f"Reading {path.name}…",
            self._window,
        )  # fmt: skip
        self.task.finished.connect(self._on_read)
        self.task.failed.connect(self._on_failed)
        self.task.done.connect(self._on_done)
        self.task.start()

    def cancel_all(self) -> None:
        if self.task is not None:
            self.task.cancel_and_wait()

    @Slot()
    def _on_done(self) -> None:
        self.task = None

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        name = self._path.name if self._path else "the file"
        QMessageBox.warning(
            self._window, "Import Statement", f"{name} cannot be imported: {message}"
        )

    @Slot(object)
    def _on_read(self, file: StatementFile | None) -> None:
        if file is None:
            self.message.emit("Import cancelled: nothing was imported.")
            return
        if file.mapping is not None:
            self._ask_mapping(file)
        else:
            self._show_preview(file)

    def _ask_mapping(self, file: StatementFile) -> None:
        assert file.mapping is not None
        dialog = CsvMappingDialog(
            file.data, file.name, dict(file.mapping), read_statement, saved=self._saved,
            parent=self._window,
        )  # fmt: skip
        self.mapping = dialog

        def confirmed() -> None:
            profile = dialog.profile()
            if profile == file.mapping:
                self._show_preview(file)
            else:
                self._reread(file, profile)

        dialog.accepted.connect(confirmed)
        dialog.rejected.connect(
            lambda: self.message.emit("Import cancelled: nothing was imported.")
        )
        dialog.finished.connect(lambda _r: setattr(self, "mapping", None))
        dialog.open()

    def _reread(self, file: StatementFile, profile: dict[str, Any]) -> None:
        """Read the file again by the mapping the user changed, in a worker too."""
        task = BackgroundTask(
            reparse_job(file, profile), "Import Statement", f"Reading {file.name}…", self._window
        )

        def read(again: StatementFile | None) -> None:
            if again is None:
                self.message.emit("Import cancelled: nothing was imported.")
            else:
                self._show_preview(again)

        task.finished.connect(read)
        task.failed.connect(self._on_failed)
        task.done.connect(self._on_done)
        self.task = task
        task.start()

    def _show_preview(self, file: StatementFile, initial: ImportPreview | None = None) -> None:
        selected = self._selected()
        rows = sum(len(s.rows) for s in file.statements)
        if initial is None and selected is not None and rows >= preview_dialog.BIG_IMPORT:
            self._dry_run(file, selected)  # a big file's dry run takes a while: in a worker
            return
        dialog = ImportPreviewDialog(
            self._controller, self._previewer, self._accounts(), file, selected,
            self._window, in_worker=self._import_in_worker, initial=initial,
            reload_accounts=self._accounts,
        )  # fmt: skip
        self.preview = dialog

        def imported(summary: str) -> None:
            if file.mapping is not None:
                self._settings.save_import_profile(dialog.account_id, dict(file.mapping))
            if file.closing is not None:  # offered when the account is reconciled next
                self.closings[dialog.account_id] = file.closing
            self.message.emit(summary)

        dialog.imported.connect(imported)
        dialog.finished.connect(lambda _r: setattr(self, "preview", None))
        dialog.open()

    def _dry_run(self, file: StatementFile, account_id: str) -> None:
        task = BackgroundTask(
            preview_job(self._book, file, account_id), "Import Statement",
            f"Comparing {file.name} with the books…", self._window,
        )  # fmt: skip

        def previewed(preview: ImportPreview | None) -> None:
            if preview is None:
                self.message.emit("Import cancelled: nothing was imported.")
            else:
                self._show_preview(file, preview)

        task.finished.connect(previewed)
        task.failed.connect(self._on_failed)
        task.done.connect(self._on_done)
        self.task = task
        task.start()

    def _import_in_worker(self, command: ImportStatement, finished: Finished) -> None:
        """A big import: run on the book's own connection in a worker; the views then take
        its events through the controller's signal."""
        breakage = self._controller.health.breakage
        if breakage is not None:
            finished(breakage.refusal())
            return
        task = BackgroundTask(
            import_job(self._book, command, preferences.current().author or None),
            "Import Statement", "Importing…", self._window,
            dialog=False,
        )  # fmt: skip

        def recorded(stored: object) -> None:
            assert isinstance(stored, list)
            # the watcher may have shown some of them already (it polls for others' events)
            head = self._known_head()
            self._controller.recorded_elsewhere([e for e in stored if e.position > head])
            finished("")

        task.finished.connect(recorded)
        task.failed.connect(lambda message: finished(f"Not recorded: {message}"))
        task.done.connect(lambda: setattr(self, "task", None))
        self.task = task
        task.start()

    # --- Undo Import ------------------------------------------------------------------------

    def undo(self, entry_id: str | None, import_id: str | None = None) -> bool:
        """Entry ▸ Undo Import…: undo the import the selected entry came from, or the one
        named (an import chosen in the history), asked first."""
        import_id = import_id or (import_id_of(entry_id) if entry_id else None)
        if import_id is None:
            QMessageBox.information(
                self._window, "Undo Import",
                "Select an entry that came from a statement import, or the import in the "
                "history: the whole import is undone.",
            )  # fmt: skip
            return False
        answer = QMessageBox.question(
            self._window, "Undo Import",
            f"Void every entry of import {import_id} that has not been reconciled since?",
        )  # fmt: skip
        if answer != QMessageBox.StandardButton.Yes:
            return False
        return self.undo_import(import_id)

    def undo_import(self, import_id: str) -> bool:
        """Run Undo Import; the status bar says what was voided, and what was kept and why."""
        seen: list[object] = []
        self._controller.events_appended.connect(seen.extend)
        try:
            done = self._controller.execute(
                UndoImport(import_id=import_id, reason="undone in the app")
            )
        finally:
            self._controller.events_appended.disconnect(seen.extend)
        undone = next((e for e in map(_decoded, seen) if isinstance(e, ImportUndone)), None)
        if done and undone is not None:
            text = f"Import {import_id} undone: {len(undone.voided)} entries voided"
            if undone.kept:
                reasons = "; ".join(f"{k.entry_id}: {k.reason}" for k in undone.kept)
                text += f"; {len(undone.kept)} kept ({reasons})"
            self.message.emit(text + ".")
        return done


def _decoded(stored: object) -> object:
    if not isinstance(stored, StoredEvent):
        return None
    return from_data(stored.type, stored.schema_version, stored.data)
