"""How the main window offers statement imports: File ▸ Import Statement…, a file dropped on
the window, Entry ▸ Undo Import… and Entry ▸ Reconcile Account…."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QAbstractItemView, QWidget

from app.desktop.settings import AppSettings
from app.models.history import HistoryModel
from app.models.sources import AccountRow, RegisterRow
from app.window.actions import Actions
from app.window.command_dialogs import CommandDialogs
from app.window.statement_import import StatementImport
from app.window.window_parts import WindowParts
from domain.model.imports import IMPORT_PREFIX


class FileDrop(QObject):
    """Takes a file dropped on ``widget`` (while ``enabled()``) to ``dropped(path)``."""

    def __init__(
        self, widget: QWidget, enabled: Callable[[], bool], dropped: Callable[[Path], None]
    ) -> None:
        super().__init__(widget)
        self._enabled = enabled
        self._dropped = dropped
        widget.setAcceptDrops(True)
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(event, QDragEnterEvent):
            if self._enabled() and event.mimeData().hasUrls():
                event.acceptProposedAction()
                return True
        elif isinstance(event, QDropEvent):
            files = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
            if self._enabled() and files:
                event.acceptProposedAction()
                self._dropped(Path(files[0]))
                return True
        return super().eventFilter(watched, event)


def wire_imports(
    window: QWidget,
    parts: WindowParts,
    actions: Actions,
    settings: AppSettings,
    dialogs: CommandDialogs,
    selected: tuple[Callable[[], AccountRow | None], Callable[[], RegisterRow | None]],
    editable: Callable[[], bool],
    show: Callable[[str], None],
    history_table: QAbstractItemView | None = None,
) -> StatementImport | None:
    """The window's statement imports (None, and the actions hidden, without a previewer)."""
    previewer, reconciling, history = parts.previewer, parts.reconciling, parts.history
    if previewer is None:
        for action in (actions.import_statement, actions.undo_import, actions.reconcile):
            action.setVisible(False)
        return None
    account, entry = selected

    def account_id() -> str | None:
        found = account()
        return found.account_id if found else None

    imports = StatementImport(
        window, parts.controller, previewer, parts.accounts.accounts, account_id, settings,
        parts.address, lambda: parts.travel.head,
    )  # fmt: skip
    actions.import_statement.triggered.connect(imports.ask)
    actions.undo_import.triggered.connect(lambda: imports.undo(getattr(entry(), "entry_id", None)))
    if history_table is not None:
        history_table.addAction(undo_from_history(history_table, history, imports, actions))

    def reconcile() -> None:
        chosen = account()
        if chosen is not None and reconciling is not None:
            dialogs.reconcile(reconciling, chosen, imports.closings.get(chosen.account_id))

    actions.reconcile.triggered.connect(reconcile)
    actions.reconcile.setVisible(reconciling is not None)
    imports.message.connect(show)
    imports.drop = FileDrop(window, editable, imports.start)
    return imports


def undo_from_history(
    table: QAbstractItemView, history: HistoryModel, imports: StatementImport, actions: Actions
) -> QAction:
    """ "Undo This Import…" on the history's right-click menu: the selected row's import."""
    action = QAction("Undo This Import…", table)

    def undo() -> None:
        row = history.row_at(table.currentIndex().row())
        stream = row.stream_id if row is not None else ""
        chosen = stream.removeprefix(IMPORT_PREFIX) if stream.startswith(IMPORT_PREFIX) else None
        imports.undo(None, chosen)

    action.triggered.connect(undo)
    # enabled with the window's other editing commands
    actions.undo_import.changed.connect(lambda: action.setEnabled(actions.undo_import.isEnabled()))
    return action
