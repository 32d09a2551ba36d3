"""The command controller: the only way the UI changes the books."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Protocol

from PySide6.QtCore import QObject, Signal

from app.book_health import BookHealth, breakage_from_error
from app.formatting import localised_amounts
from domain.model.commands import Command
from domain.model.errors import DomainError, StoreError
from domain.store.base import StoredEvent


class CommandService(Protocol):
    """What the controller needs from the domain: run one command, get its stored events."""

    def execute(self, command: Command) -> list[StoredEvent]: ...

    def execute_batch(self, commands: Sequence[Command]) -> list[StoredEvent]: ...


# execute_batch names the command refused ("command 2 (CloseAccount): …"): the dialog that
# sent them knows which is which, and the user never numbered them
_BATCH_PREFIX = re.compile(r"^command \d+ \(\w+\): ")


class CommandController(QObject):
    """Runs commands through the book service and says what happened, by signal.

    ``events_appended(list[StoredEvent])`` follows every successful command (the projectors
    listen to it); ``command_rejected(command, message)`` follows a broken rule, when nothing
    was appended. Once ``health`` knows the book's history is broken, every command is
    refused (the window disables its commands too, but a command sent anyway must not land).
    """

    events_appended = Signal(list)
    command_rejected = Signal(object, str)

    def __init__(
        self,
        service: CommandService,
        parent: QObject | None = None,
        *,
        health: BookHealth | None = None,
        readable: Callable[[list[StoredEvent]], object] | None = None,
    ) -> None:
        """``readable``: what makes events a worker recorded readable by the views first (a
        shared book's local copy catching up with the server; a file's worker projects
        them itself)."""
        super().__init__(parent)
        self._service = service
        self._readable = readable
        self.health = health if health is not None else BookHealth(parent=self)

    def execute(self, command: Command) -> bool:
        """Run ``command``; True if the books accepted it."""
        return self._run(command, lambda: self._service.execute(command))

    def execute_all(self, commands: Sequence[Command]) -> bool:
        """Run ``commands`` as one change, all recorded or none (a transfer of the balance
        and the closing of the account); a refusal names the tuple of them."""
        batch = tuple(commands)
        return self._run(batch, lambda: self._service.execute_batch(batch))

    def _run(self, sent: object, run: Callable[[], list[StoredEvent]]) -> bool:
        breakage = self.health.breakage
        if breakage is not None:
            self.command_rejected.emit(sent, breakage.refusal())
            return False
        try:
            events = run()
        except Exception as exc:  # whatever class the store's damage errors are, ask first
            breakage = breakage_from_error(exc)
            if breakage is not None:  # the store found the book broken: it stays read-only
                self.health.mark_broken(breakage)
                self.command_rejected.emit(sent, breakage.refusal())
            elif isinstance(exc, DomainError):
                message = localised_amounts(exc.message)  # money as the screen shows it
                if isinstance(sent, tuple):
                    message = _BATCH_PREFIX.sub("", message)
                self.command_rejected.emit(sent, message)
            elif isinstance(exc, StoreError):
                # e.g. another program holds the book: the user can retry, the app goes on
                self.command_rejected.emit(sent, f"The book could not be written: {exc}")
            else:
                raise
            return False
        if events:
            self.events_appended.emit(list(events))
        return True

    def recorded_elsewhere(self, events: list[StoredEvent]) -> None:
        """Events a worker appended on its own connection (a big import, so the GUI thread
        does not wait): the views take them as they take any command's."""
        if events and self._readable is not None:
            self._readable(events)
        if events:
            self.events_appended.emit(list(events))
