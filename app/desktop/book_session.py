"""A book's session in the GUI: the command controller, the timeline's cursor, the Qt
models and the watcher over one :class:`~app.composition.Book`, and the parts its window gets.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, SignalInstance, Slot

from app.background import jobs
from app.background.cursor_reads import CursorReader
from app.background.history_search import HistorySearcher
from app.background.runner import BackgroundTask
from app.book_health import BookHealth, Breakage, breakage_from_error
from app.composition import Book, app_version
from app.controller import CommandController, CommandService
from app.desktop.shared_session import (
    CaughtUpService,
    SharedSource,
)
from app.import_preview import StatementPreviewer
from app.models.accounts import AccountsModel
from app.models.completions import PayeeSuggestions
from app.models.guarded import GuardedReads
from app.models.history import HistoryModel
from app.models.register import RegisterModel, StatusRegisterModel
from app.models.sources import AccountRow
from app.reconciling import ReconcileReader
from app.window.event_details import EventDetails
from app.window.server_link import ServerLink
from app.window.time_travel import TimeTravel
from app.window.watcher import BookWatcher
from app.window.window_parts import WindowParts
from domain.model.entries import as_command
from domain.projections.dated_reads import DatedReads
from domain.projections.payees import PayeeRecall
from domain.projections.search_index import HistorySearch


def connect_projectors(
    sources: list[SignalInstance],
    travel: TimeTravel,
    accounts: AccountsModel,
    register: RegisterModel,
    history: HistoryModel,
    dated: DatedReads,
) -> None:
    """Keep the models current: new events (from the controller or from outside) and
    moves of the timeline's cursor update them incrementally."""
    for appended in sources:
        # history first: the cursor (moved by travel) must find its row already there
        appended.connect(history.on_events_appended)
        appended.connect(accounts.on_events_appended)
        appended.connect(register.on_events_appended)
        appended.connect(travel.on_events_appended)
    # first: the models read through a DatedReads that must know the date before they read
    travel.as_of_changed.connect(lambda _as_of: setattr(dated, "day", travel.day))
    travel.as_of_changed.connect(accounts.set_as_of)
    travel.as_of_changed.connect(register.set_as_of)
    travel.as_of_changed.connect(history.set_cursor)


class BookSession(QObject):
    """One open book: the domain :class:`Book` and the Qt objects built on it."""

    def __init__(
        self,
        book: Book,
        read_only_note: str = "",
        breakage: Breakage | None = None,
        *,
        link: ServerLink | None = None,
        title: str = "",
    ) -> None:
        super().__init__()
        self.book = book
        read_models = book.read_models
        self.health = BookHealth(breakage, self)
        self.travel = TimeTravel(read_models.event_count(), self)
        self.dated = DatedReads(read_models)  # the timeline's booking date, if one is set
        reads = GuardedReads(self.dated, self.health)  # damage read: read-only, not a crash
        self._tasks: list[BackgroundTask] = []  # the workers reading for the models
        # a shared book's path is its local copy's: read without the network
        self.cursor_reads = CursorReader(book.path, self)
        self.accounts = AccountsModel(reads, self, reader=self.read_accounts)
        reconciling = ReconcileReader(book)
        self.register = StatusRegisterModel(reads, reconciling.statuses, self)
        self.register.set_hidden_reader(self.read_hidden)
        search = HistorySearch(read_models.store)  # a page of a filter's rows, here
        self.history = HistoryModel(reads, self, rows_at=search.rows_at)
        self.searcher = HistorySearcher(book.path, self)  # the filters: in its worker
        self.searcher.prepare()  # a new cache's index is filled before the first search
        self.payees = PayeeSuggestions(self)
        # a shared book: its read models are a local copy's, caught up when the server says
        source = SharedSource(book) if link is not None else read_models
        self.watcher = BookWatcher(source, book.events, lambda: self.travel.head, self)
        service: CommandService = book.service
        readable = None  # a worker's events on a shared book: the local copy takes them first
        if isinstance(source, SharedSource):
            shared = CaughtUpService(book, source, lambda upto: self.watcher.poll(upto))
            service, readable = shared, shared.caught_up
        self.controller = CommandController(service, self, health=self.health, readable=readable)
        self.link = link
        connect_projectors(
            [self.controller.events_appended, self.watcher.events_found],
            self.travel, self.accounts, self.register, self.history, self.dated,
        )  # fmt: skip
        for appended in (self.controller.events_appended, self.watcher.events_found):
            appended.connect(self.payees.on_events_appended)
        self.parts = WindowParts(
            path=book.path,
            controller=self.controller,
            travel=self.travel,
            accounts=self.accounts,
            register=self.register,
            history=self.history,
            details=EventDetails(book.events, read_models, self.health),
            caption=self.history.caption,
            entry_command=lambda entry_id: as_command(book.service.entry(entry_id)),
            health=self.health,
            read_only_note=read_only_note,
            notice=read_models.cache_problem,
            previewer=StatementPreviewer(book),
            reconciling=reconciling,
            undo_stacks=book.service.undo_stacks,
            payees=self.payees,
            title=title,
            where=getattr(book.store, "address", ""),
            link=link,
            book_id=book.log.info().book_id,
            app_version=app_version(),
            searcher=self.searcher,
        )
        # the book's payees are read in a worker; the entry row suggests them once read
        self.payees_task = BackgroundTask(jobs.payees_job(book.path), "", "", dialog=False)
        self.payees_task.finished.connect(self._on_payees_read)
        self.payees_task.start()
        if link is not None:
            link.setParent(self)
            link.committed.connect(self.watcher.poll)
            link.start()
        else:  # read-only too: what the writing Tallybook (or the CLI) appends shows up live
            self.watcher.start()

    def stop(self) -> None:
        """Stop watching for others' events and reading payees (the window closed)."""
        self.watcher.stop()
        self.searcher.stop()
        self.cursor_reads.stop()
        self.payees_task.cancel_and_wait()
        for task in list(self._tasks):
            task.cancel_and_wait()
            task.blockSignals(True)  # its answer, still queued, is for models closing now
        if self.link is not None:
            self.link.stop()

    def read_hidden(
        self, account_id: str, as_of: int | None, done: Callable[[list[int]], None]
    ) -> None:
        """Find a long register's voided rows in a worker; ``done`` gets them (not on
        failure: the register then goes on showing every row)."""
        # a shared book's path is its local copy's: read without the network
        task = BackgroundTask(jobs.hidden_rows_job(self.book.path, account_id, as_of,
                                                      self.travel.day), "", "",
                              dialog=False)  # fmt: skip
        self._tasks.append(task)
        task.finished.connect(lambda hidden: done(hidden) if isinstance(hidden, list) else None)
        task.done.connect(lambda: self._tasks.remove(task))
        task.start()

    def read_accounts(
        self, as_of: int | None, done: Callable[[list[AccountRow] | None], None]
    ) -> None:
        """Read the accounts as of ``as_of`` (and the timeline's booking date) in the
        worker; ``done`` gets them, or None if the read failed (the model then reads them
        itself, so damage is reported as on any read)."""
        self.cursor_reads.read_accounts(as_of, self.travel.day, done)

    @Slot(object)
    def _on_payees_read(self, recall: object) -> None:
        if isinstance(recall, PayeeRecall):
            recall.rebind(self.book.log)  # a shared book's copy: no network on the GUI thread
            try:
                self.payees.adopt(recall)
            except Exception as exc:  # a damaged book: it turns read-only, as for any read
                breakage = breakage_from_error(exc)
                if breakage is None:
                    raise
                self.health.mark_broken(breakage)
