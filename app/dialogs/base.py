"""The shared shape of a command dialog: a form, a message line and OK/Cancel.

OK stays disabled while the form is incomplete and the message line says what is missing.
On OK the command goes through the controller; if the books refuse it, the reason is shown in
red and the dialog stays open with the input intact.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.controller import CommandController
from domain.model.commands import Command

_HINT_STYLE = "color: palette(placeholder-text);"
_ERROR_STYLE = "color: #c0392b; font-weight: bold;"


class CommandDialog(QDialog):
    """Subclasses fill ``self.form``, call ``revalidate`` on edits, and implement
    ``problem`` (what is missing, "" when complete) and ``build_command``."""

    def __init__(self, title: str, controller: CommandController, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(420)
        self._controller = controller
        self._pending: object = None  # what was sent: a command, or a tuple of them
        self._rejected = False
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        # Enter means OK wherever the keyboard is (not the button that happens to have focus)
        self.ok_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        controller.command_rejected.connect(self._on_command_rejected)

    @property
    def ok_button(self) -> QPushButton:
        button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert button is not None
        return button

    def problem(self) -> str:
        raise NotImplementedError

    def build_command(self) -> Command:
        raise NotImplementedError

    def build_commands(self) -> list[Command]:
        """What OK sends, as one change: the one command, unless a dialog needs more."""
        return [self.build_command()]

    @Slot()
    def revalidate(self) -> None:
        """Enable OK only for a complete form; explain what is missing."""
        self._rejected = False
        problem = self.problem()
        self.ok_button.setEnabled(not problem)
        self.message.setStyleSheet(_HINT_STYLE)
        self.message.setText(problem)
        self._fit_message()

    def error_text(self) -> str:
        """The rejection shown in red, if any."""
        return self.message.text() if self._rejected else ""

    def accept(self) -> None:
        if self.problem():
            return
        commands = self.build_commands()
        if len(commands) == 1:
            self._pending = commands[0]
            accepted = self._controller.execute(commands[0])
        else:
            self._pending = batch = tuple(commands)
            accepted = self._controller.execute_all(batch)
        if accepted:
            super().accept()

    @Slot(object, str)
    def _on_command_rejected(self, command: object, message: str) -> None:
        if command is not self._pending:
            return
        self._rejected = True
        self.message.setStyleSheet(_ERROR_STYLE)
        self.message.setText(message)
        self._fit_message()

    def _fit_message(self) -> None:
        """Grow the dialog to show all of a long message: left to the layout, the wrapped
        label would take its lines from the form's fields instead."""
        layout = self.layout()
        if layout is None or not self.isVisible():
            return
        layout.activate()
        width = self.width()
        need = (
            layout.totalHeightForWidth(width)
            if layout.hasHeightForWidth()
            else layout.totalSizeHint().height()
        )
        if need > self.height():
            self.resize(width, need)
