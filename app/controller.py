"""The command controller: the only way the UI changes the books."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QObject, Signal

from domain.model.commands import Command
from domain.model.errors import DomainError, StoreError
from domain.store.base import StoredEvent


class CommandService(Protocol):
    """What the controller needs from the domain: run one command, get its stored events."""

    def execute(self, command: Command) -> list[StoredEvent]: ...


class CommandController(QObject):
    """Runs commands through the book service and says what happened, by signal.

    ``events_appended(list[StoredEvent])`` follows every successful command (the projectors
    listen to it); ``command_rejected(command, message)`` follows a broken rule, when nothing
    was appended.
    """

    events_appended = Signal(list)
    command_rejected = Signal(object, str)

    def __init__(self, service: CommandService, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._service = service

    def execute(self, command: Command) -> bool:
        """Run ``command``; True if the books accepted it."""
        try:
            events = self._service.execute(command)
        except DomainError as exc:
            self.command_rejected.emit(command, exc.message)
            return False
        except StoreError as exc:
            # e.g. another program holds the book: the user can retry, the app goes on
            self.command_rejected.emit(command, f"The book could not be written: {exc}")
            return False
        if events:
            self.events_appended.emit(list(events))
        return True
