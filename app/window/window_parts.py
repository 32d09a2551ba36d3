"""What the main window is built from: one open book's parts, and who opens other books."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from PySide6.QtWidgets import QWidget

from app.background.history_search import HistorySearcher
from app.book_health import BookHealth
from app.controller import CommandController
from app.dialogs.import_preview import Previewer
from app.dialogs.reconcile import ReconcileSource
from app.models.accounts import AccountsModel
from app.models.completions import PayeeSuggestions
from app.models.history import HistoryModel
from app.models.register import RegisterModel
from app.window.event_details import EventDetails
from app.window.server_link import ServerLink
from app.window.time_travel import TimeTravel
from app.window.timeline import EventCaption
from app.window.undo_menu import StacksSource
from domain.model.commands import Command
from domain.model.entries import EntryCommand


class BookOpener(Protocol):
    """What the window asks of the application for other book files."""

    def open_book(self, path: Path) -> object: ...

    def create_book(self, path: Path, commands: Sequence[Command] = ()) -> object: ...

    def create_sample_book(self, path: Path) -> object: ...

    def edit_preferences(self, parent: QWidget) -> object: ...

    def open_shared_book(self, address: str) -> object: ...


@dataclass(frozen=True, slots=True)
class WindowParts:
    """The pieces of one open book the window shows (built by the launcher)."""

    path: Path
    controller: CommandController
    travel: TimeTravel
    accounts: AccountsModel
    register: RegisterModel
    history: HistoryModel
    details: EventDetails
    caption: EventCaption
    entry_command: Callable[[str], EntryCommand]  # what a correction starts from
    health: BookHealth  # a break found in the book's history makes the window read-only
    read_only_note: str = ""
    notice: str = ""  # another standing note for the banner (say, the cache cannot be kept)
    previewer: Previewer | None = None  # the dry run of Import Statement (None: no imports)
    reconciling: ReconcileSource | None = None  # what Reconcile Account… reads
    undo_stacks: StacksSource | None = None  # what Edit ▸ Undo and Redo would take back
    payees: PayeeSuggestions | None = None  # the entry row's payees (None: no entry row)
    title: str = ""  # the window's name for the book ("" : the file's name)
    where: str = ""  # where the book is, for the status bar ("" : the file's path)
    link: ServerLink | None = None  # a shared book's server: out of reach makes it read-only
    book_id: str = ""  # the book's id, which its receipts name
    app_version: str = ""  # this Tallybook's version, which its receipts name
    searcher: HistorySearcher | None = None  # the history's filters (None: no filter bar)

    @property
    def address(self) -> Path | str:
        """Where a worker opens the book to write: a shared book's server, else the file."""
        return self.where or self.path
