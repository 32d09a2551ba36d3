"""Edit ▸ Undo and Redo: their text says what they would take back, from the log's stacks.

The stacks are asked again whenever the head moves (a command of ours, or events another
program appended) and whenever editing becomes possible or not; reading them walks back
from the head over a few changes, so it is quick enough for the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QAction

from app.book_health import breakage_from_error
from app.controller import CommandController
from app.formatting import babel_locale_name
from app.window.long_commands import LongCommands
from domain.application.undo_stack import Stacks, Step
from domain.model.commands import RedoChange, UndoChange

StacksSource = Callable[[str | None], Stacks]
"""The undo and redo stacks' tops, summaries in a Babel locale (``BookService.undo_stacks``)."""

MAX_TEXT = 70
"""Characters of a change's summary the menu shows (the rest is in the tooltip)."""


class UndoMenu(QObject):
    """Keeps the Undo and Redo actions' text and state, and runs them through the
    controller. A refused one stays enabled, with the reason in its tooltip: triggered, the
    books refuse it and the window says why (as for any command)."""

    def __init__(
        self,
        undo: QAction,
        redo: QAction,
        stacks: StacksSource,
        controller: CommandController,
        editable: Callable[[], bool],
        parent: QObject | None = None,
        *,
        long_commands: LongCommands | None = None,
    ) -> None:
        super().__init__(parent)
        self._long = long_commands
        self._undo, self._redo = undo, redo
        self._stacks = stacks
        self._controller = controller
        self._editable = editable
        self._top = Stacks(None, None)
        undo.triggered.connect(self._on_undo)
        redo.triggered.connect(self._on_redo)
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        """Ask the stacks again (editing off: plain, disabled items)."""
        self._top = Stacks(None, None)
        if self._editable():
            try:
                self._top = self._stacks(babel_locale_name())
            except Exception as exc:
                breakage = breakage_from_error(exc)
                if breakage is None:
                    raise
                # a damaged page on the way back from the head: the book turns read-only,
                # and so do these (as for any read the views make)
                self._controller.health.mark_broken(breakage)
        _show(self._undo, "&Undo", self._top.undo)
        _show(self._redo, "&Redo", self._top.redo)

    @Slot()
    def _on_undo(self) -> None:
        self.refresh()  # what the menu said may be stale: name what is on top now
        if self._top.undo is not None:
            self._execute(UndoChange(undoes=self._top.undo.command_id), self._top.undo, "Undoing")

    @Slot()
    def _on_redo(self) -> None:
        self.refresh()
        if self._top.redo is not None:
            self._execute(RedoChange(redoes=self._top.redo.command_id), self._top.redo, "Redoing")

    def _execute(self, command: UndoChange | RedoChange, step: Step, doing: str) -> None:
        """A big change (an import's thousands of entries) in a worker, the rest here."""
        size = step.change.last - step.change.first + 1
        if self._long is not None and self._long.is_big(size) and not step.refusal:
            self._long.run(command, f"{doing} {step.summary}…")
        else:
            self._controller.execute(command)


def _show(action: QAction, plain: str, step: Step | None) -> None:
    if step is None:
        action.setText(plain)
        action.setEnabled(False)
        action.setToolTip("")
        action.setStatusTip("")
        return
    summary = step.summary if len(step.summary) <= MAX_TEXT else step.summary[: MAX_TEXT - 1] + "…"
    action.setText(f"{plain} {summary.replace('&', '&&')}")
    action.setEnabled(True)
    word = plain.replace("&", "")
    tip = f"{word} {step.summary}"
    action.setToolTip(f"{tip}\nNot possible: {step.refusal}" if step.refusal else tip)
    # shown in the status bar while the item is highlighted: why it would be refused
    action.setStatusTip(f"Not possible: {step.refusal}" if step.refusal else tip)


def undo_menu_for(
    undo: QAction,
    redo: QAction,
    stacks: StacksSource | None,
    controller: CommandController,
    editable: Callable[[], bool],
    long_commands: LongCommands,
) -> UndoMenu | None:
    """The window's Undo and Redo; None (both disabled) for a book without stacks."""
    if stacks is None:
        undo.setEnabled(False)
        redo.setEnabled(False)
        return None
    return UndoMenu(undo, redo, stacks, controller, editable, long_commands.parent(),
                    long_commands=long_commands)  # fmt: skip
