"""What a shared book (on a PostgreSQL server) needs on top of a book file's session.

Its read models are on a local copy of the server's log, so nothing projects them inside a
command: :class:`CaughtUpService` catches the copy up after each command, and
:class:`SharedSource` does so for the window's watcher when the server says another client
committed. :func:`shared_access_job` opens the book once in a worker, as a file is caught up
before its window is built, and finds whether this role may write.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from app.background.runner import Job, Progress
from app.composition import Book
from app.desktop.shared_address import shared_label
from domain.model.commands import Command
from domain.model.errors import StoreError
from domain.store.base import StoredEvent
from domain.store.postgres.store import WriteNotGranted


def read_only_note(book: Book, address: str) -> str:
    """Why the book is read-only: the role (an auditor's) may not write it."""
    user = getattr(book.store, "user", "") or "this role"
    return (
        f"The database role {user} may read {shared_label(address)} but not write to it: "
        "the book is open read-only."
    )


def with_hint(message: str) -> str:
    """A failure to open a shared book, with what to do when the server wants a password."""
    if "password" not in message.lower():
        return message
    return (
        f"{message}\n\nThe server asks for a password: type it in File ▸ Open Shared Book… "
        "(it is not kept), or put it in ~/.pgpass."
    )


def open_shared(address: str, *, read_only: bool | None = None) -> tuple[Book, bool]:
    """The book at ``address``, for writing if the role may (or as ``read_only`` says);
    and whether it is read-only (raises BookError if it cannot be opened)."""
    if read_only:
        return Book.open(address, readonly=True), True
    try:
        return Book.open(address), False
    except WriteNotGranted:
        if read_only is False:
            raise
    return Book.open(address, readonly=True), True


def shared_access_job(address: str) -> Job:
    """Open the book in a worker (the local copy and its views caught up from the server);
    the result is whether it is to be read-only."""

    def run(_progress: Progress) -> bool:
        book, read_only = open_shared(address)
        book.close()
        return read_only

    return run


class SharedSource:
    """The watcher's source for a shared book: each poll catches the local copy up."""

    def __init__(self, book: Book) -> None:
        self._book = book

    def pending(self) -> int:
        return 1  # only polled when the server said something was committed

    def catch_up(self) -> int:
        # after the server restarted, the first use of the book's connection fails and
        # replaces it: one more try then reads through the new one
        for last in (False, True):
            try:
                self._book.catch_up()
                break
            except StoreError:
                if last:  # out of reach: the server link says so, and retries
                    break
        return self.event_count()

    def event_count(self) -> int:
        return self._book.read_models.event_count()


class CaughtUpService:
    """The book's service, with the local copy caught up after each command; what others
    committed just before it is shown first (``before(position)``), then the command's."""

    def __init__(self, book: Book, source: SharedSource, before: Callable[[int], object]) -> None:
        self._book = book
        self._source = source
        self._before = before

    def execute(self, command: Command) -> list[StoredEvent]:
        return self.caught_up(self._book.service.execute(command))

    def execute_batch(self, commands: Sequence[Command]) -> list[StoredEvent]:
        return self.caught_up(self._book.service.execute_batch(commands))

    def caught_up(self, events: list[StoredEvent]) -> list[StoredEvent]:
        """``events``, committed on the server (by this window or a worker of its), once the
        local copy has them and what others committed before them is shown."""
        if events:
            self._source.catch_up()
            self._before(events[0].position - 1)
        return events
