"""The GUI over a book: each book file the user opens becomes a window.

The book itself comes from :mod:`app.composition`, the one composition root (store, read
models, service). Over it this module assembles the GUI: a :class:`BookSession` (the command
controller, the timeline's cursor, the Qt models, the watcher) and the window, for each book
the :class:`Launcher` opens. Views get narrow parts (a model, the controller, a callable);
only this module sees the Book.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app import preferences
from app.background import jobs
from app.background.runner import BackgroundTask
from app.book_health import Breakage, breakage_from_error
from app.composition import Book, default_author
from app.desktop.book_claim import BookGuard, ClaimMode
from app.desktop.book_session import BookSession
from app.desktop.paths import default_book_path
from app.desktop.raise_socket import raise_window
from app.desktop.settings import AppSettings
from app.desktop.shared_address import server_name, shared_label, without_password
from app.desktop.shared_session import (
    open_shared,
    read_only_note,
    shared_access_job,
    with_hint,
)
from app.dialogs.preferences import PreferencesDialog
from app.window.main_window import MainWindow
from app.window.server_link import ServerLink
from domain.model.commands import Command
from domain.model.errors import BookError
from domain.store.postgres.notify import ChangeListener


@dataclass(frozen=True, slots=True)
class Access:
    """How this process may use a book: write it, or only read it (and why)."""

    read_only: bool = False
    note: str = ""


class Launcher(QObject):
    """Opens book files into windows: the command line, File ▸ New/Open/Recent and samples.

    Each book is claimed from the :class:`BookGuard` first (one writer per book; a book open
    in another Tallybook is raised there, or opened read-only). ``open_book`` brings the read
    models up to date in a worker (a big book can take a while) before the window is built.
    The preferences (``settings``) are put in effect here, and the author name they give goes
    into every book's events.
    """

    window_opened = Signal(object)  # MainWindow
    open_failed = Signal(str)

    def __init__(
        self,
        settings: AppSettings | None = None,
        guard: BookGuard | None = None,
        *,
        quit_when_nothing_opens: bool = False,
        default_book: Path | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings or AppSettings()
        preferences.apply(self.settings.preferences())
        self.windows: dict[Path, MainWindow] = {}
        self._sessions: dict[Path, BookSession] = {}
        # an empty default book's window gives way to a sample or new book opened from it
        self._default_book = (default_book or default_book_path()).resolve()
        self._replacing: set[Path] = set()  # new books that, once open, replace that window
        self._opened_as: dict[Path, str] = {}  # each book's author when the preferences name none
        self._guard = guard
        self._quit_when_nothing_opens = quit_when_nothing_opens
        self._tasks: list[BackgroundTask] = []
        self._shared_paths: dict[str, Path] = {}  # a shared book's address: its window's key

    def show_book(self, path: Path, access: Access | None = None) -> MainWindow:
        """Open ``path`` on this thread and show its window (raises BookError)."""
        path = path.resolve()
        if path in self.windows:
            return self._raise(self.windows[path])
        access = access or self._claim(path) or Access()
        try:
            book, breakage = self._open(path, access)
        except BaseException:
            self._release(path)
            raise
        window = self._window_for(path, BookSession(book, access.note, breakage))
        self.settings.add_recent_book(path)
        return self._shown(window, path)

    def _window_for(self, path: Path, session: BookSession) -> MainWindow:
        self._opened_as.pop(session.book.path, None)
        self._set_author(session.book)
        self._sessions[path] = session
        window = MainWindow(session.parts, self, self.settings)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        session.setParent(window)
        window.closed.connect(session.stop)
        window.closed.connect(lambda p=path: self._on_window_closed(p))
        # the file closes once every view is gone, so no late repaint can query it
        window.destroyed.connect(session.book.close)
        self.windows[path] = window
        return window

    def _shown(self, window: MainWindow, path: Path) -> MainWindow:
        self._raise(window)
        if path in self._replacing:
            self._replacing.discard(path)
            self._close_empty_default_book()
        self.window_opened.emit(window)
        return window

    def _close_empty_default_book(self) -> None:
        """Close the default book's window if nothing was ever recorded in it (the first start
        made it, then the user went for a sample or a template): it would only sit behind the
        new one."""
        session = self._sessions.get(self._default_book)
        window = self.windows.get(self._default_book)
        if session is not None and window is not None and session.travel.head == 0:
            window.close()

    def _set_author(self, book: Book) -> None:
        """Record the preferences' author name in the book's new events, or else the name
        the book was opened with (the login; for a shared book the role and the login)."""
        opened_as = self._opened_as.setdefault(book.path, book.service.author)
        book.service.author = preferences.current().author or opened_as

    def open_shared_book(self, address: str) -> bool:
        """Open the shared book at ``address`` in a window (after catching its local copy
        up in a worker). A password in ``address`` serves the connections only: the window,
        the settings and the messages get the address without it."""
        try:
            public = without_password(address)
        except BookError as exc:
            self._report_named("the shared book", str(exc))
            return False
        window = self.windows.get(self._shared_paths.get(public, Path()))
        if window is not None:
            self._raise(window)
            return True
        label = shared_label(address)
        task = BackgroundTask(shared_access_job(address), "Opening Shared Book",
                              f"Opening {label}…", self._parent_widget())  # fmt: skip
        task.finished.connect(lambda ro, a=address, t=task: self._shared_ready(a, bool(ro), t))
        task.failed.connect(lambda message, n=label: self._report_named(n, with_hint(message)))
        self._run(task)
        return True

    def _shared_ready(self, address: str, read_only: bool, task: BackgroundTask) -> None:
        if task.cancelled:
            self._quit_if_nothing_open(0)
            return
        try:
            self.show_shared(address, read_only=read_only)
        except (BookError, OSError) as exc:
            self._report_named(shared_label(address), with_hint(str(exc)))

    def show_shared(self, address: str, *, read_only: bool | None = None) -> MainWindow:
        """Open the shared book at ``address`` on this thread and show it (BookError)."""
        public = without_password(address)
        window = self.windows.get(self._shared_paths.get(public, Path()))
        if window is not None:
            return self._raise(window)
        book, read_only = open_shared(address, read_only=read_only)
        label = shared_label(address)
        where = server_name(address).replace("this computer", "on this computer")
        link = ServerLink(lambda: ChangeListener(address), where)
        note = read_only_note(book, address) if read_only else ""
        window = self._window_for(book.path, BookSession(book, note, link=link, title=label))
        self._shared_paths[public] = book.path
        self.settings.add_recent_shared_book(public)
        return self._shown(window, book.path)

    @staticmethod
    def _open(path: Path, access: Access) -> tuple[Book, Breakage | None]:
        """The book, and the break the store named if it refused to open it for writing:
        then it is opened read-only, to be shown as it is (raises BookError if it cannot)."""
        try:
            # no page check on the GUI thread: the window verifies the whole book in a worker
            return Book.open(path, create_if_missing=not access.read_only,
                             readonly=access.read_only), None  # fmt: skip
        except Exception as exc:
            breakage = breakage_from_error(exc)
            if breakage is None or access.read_only:
                raise
        return Book.open(path, readonly=True), breakage

    def open_book(self, path: Path) -> bool:
        """Open ``path`` in a window (after catching its views up in a worker).

        False when another Tallybook has it open and was asked to show it instead.
        """
        path = path.resolve()
        if path in self.windows:
            self._raise(self.windows[path])
            return True
        access = self._claim(path)
        if access is None:
            self._quit_if_nothing_open(0)
            return False
        # read-only too: the read models are a cache of their own, never in the book
        job = jobs.catch_up_job(path, read_only=access.read_only)
        task = BackgroundTask(job, "Opening Book", f"Opening {path.name}…",
                              self._parent_widget())  # fmt: skip
        task.finished.connect(lambda _applied, p=path, a=access, t=task: self._caught_up(p, a, t))
        task.failed.connect(lambda message, p=path: self._report(p, message))
        self._run(task)
        return True

    def _caught_up(self, path: Path, access: Access, task: BackgroundTask) -> None:
        if task.cancelled:  # the user stopped opening it: leave it closed
            self._release(path)
            self._quit_if_nothing_open(0)
            return
        self._show_or_report(path, access)

    def open_document(self, path: Path) -> None:
        """Open a book the desktop asked for (a double-clicked file)."""
        self.open_book(path)

    def create_book(self, path: Path, commands: Sequence[Command] = ()) -> BackgroundTask:
        """Create a book at ``path`` with ``commands`` recorded in it (a template's accounts,
        all or none) in a worker, then open it."""
        task = BackgroundTask(
            jobs.new_book_job(path, commands, preferences.current().author or None),
            "New Book", f"Creating {path.name}…", self._parent_widget(),
        )  # fmt: skip
        task.finished.connect(self._on_book_made)
        task.failed.connect(lambda message, p=path: self._report(p, message))
        return self._run(task)

    def edit_preferences(self, parent: QWidget | None = None) -> PreferencesDialog:
        """Show the Preferences; OK saves them and puts them in effect in every window."""
        dialog = PreferencesDialog(preferences.current(), default_author(), parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda d=dialog: self._save_preferences(d.preferences()))
        dialog.open()
        return dialog

    def _save_preferences(self, chosen: preferences.Preferences) -> None:
        self.settings.save_preferences(chosen)
        preferences.apply(chosen)
        for session in self._sessions.values():
            self._set_author(session.book)
        for window in self.windows.values():
            window.update()  # dates are formatted as they are painted

    def create_sample_book(self, path: Path) -> BackgroundTask:
        """Generate a year of a household's books into ``path`` in a worker, then open it."""
        task = BackgroundTask(
            jobs.sample_book_job(path, author=preferences.current().author or None),
            "New Sample Book",
            "Recording a year of sample bookkeeping…", self._parent_widget(),
        )  # fmt: skip
        task.finished.connect(self._on_book_made)
        task.failed.connect(lambda message, p=path: self._report(p, message))
        return self._run(task)

    @Slot(object)
    def _on_book_made(self, path: object) -> None:
        """A new book (a sample, a template's) is made: open it in place of an empty default
        book's window."""
        if isinstance(path, Path):
            self._replacing.add(path.resolve())
            self.open_book(path)
        else:  # cancelled: on the first start nothing is open then
            self._quit_if_nothing_open(0)

    def _claim(self, path: Path) -> Access | None:
        """Ask the guard for the book; None if another Tallybook shows it instead."""
        if self._guard is None:
            return Access()
        claim = self._guard.claim(path, on_raise=functools.partial(self._raise_path, path))
        if claim.mode is ClaimMode.RAISED:
            return None
        return Access(claim.mode is ClaimMode.READ_ONLY, claim.note)

    def _release(self, path: Path) -> None:
        if self._guard is not None:
            self._guard.release(path)

    def _on_window_closed(self, path: Path) -> None:
        self.windows.pop(path, None)
        self._sessions.pop(path, None)
        self._release(path)

    def _raise_path(self, path: Path) -> None:
        window = self.windows.get(path)
        if window is not None:
            self._raise(window)

    def _show_or_report(self, path: Path, access: Access | None = None) -> MainWindow | None:
        try:
            return self.show_book(path, access)
        except (BookError, OSError) as exc:
            self._report(path, str(exc))
            return None

    def _report(self, path: Path, message: str) -> None:
        self._release(path)
        self._report_named(path.name, message)

    def _report_named(self, name: str, message: str) -> None:
        QMessageBox.critical(
            self._parent_widget(), "Cannot Open Book",
            f"Tallybook cannot open “{name}”.\n\n{message}",
        )  # fmt: skip
        self.open_failed.emit(message)
        self._quit_if_nothing_open(1)

    def _quit_if_nothing_open(self, code: int) -> None:
        # the start-up book did not open here: the app has nothing to show
        if self._quit_when_nothing_opens and not self.windows:
            QTimer.singleShot(0, lambda: QCoreApplication.exit(code))

    def _run(self, task: BackgroundTask) -> BackgroundTask:
        self._tasks.append(task)
        task.done.connect(lambda t=task: self._tasks.remove(t))
        return task.start()

    def _parent_widget(self) -> QWidget | None:
        return QApplication.activeWindow() or next(iter(self.windows.values()), None)

    @staticmethod
    def _raise(window: MainWindow) -> MainWindow:
        raise_window(window)
        return window
