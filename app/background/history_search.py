"""The history's filters, answered off the GUI thread on a connection of the worker's own.

:class:`HistorySearcher` keeps one worker thread with the book opened read-only in it (only
the read-model cache is written: the search index, caught up before a query). A request
answers in two steps: the first page of matches (``first_page``), then every match
(``matched``): the count may follow the first screenful. A newer request makes older ones
stale: a stale one stops at its next step, and a query running in SQLite is interrupted.
"""

from __future__ import annotations

import threading
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QMetaObject, QObject, Qt, QThread, Signal, Slot

from app.composition import Book
from domain.projections.history_filter import HistoryFilter
from domain.projections.lineage import lineage_total
from domain.projections.search_index import HistorySearch

FIRST_PAGE = 128


@dataclass(frozen=True, slots=True)
class SearchRequest:
    """What the history asks: a filter and a sort (see ``search_index.ORDERS``)."""

    generation: int
    keep: HistoryFilter
    order: str = "position"
    descending: bool = False
    sum_of: frozenset[str] | None = None  # a lineage: also add up these accounts' events


class _Stale(Exception):
    pass


class _Worker(QObject):
    indexing = Signal(int, int, int)  # generation, done, total
    # positions go as one Python object (an array): a list in a Qt signal is converted
    # element by element, which took the GUI thread 0.4-0.7 s for a million of them
    first_page = Signal(int, object, int)  # generation, positions, events in the book
    matched = Signal(int, object)  # generation, every matching position (array of int64)
    summed = Signal(int, object)  # generation, the lineage's total (int minor units)
    failed = Signal(int, str)

    def __init__(self, opener: Callable[[], Book]) -> None:
        super().__init__()
        self._opener = opener
        self._book: Book | None = None
        self.latest = 0  # the newest request's generation (set by the GUI thread)
        self.lock = threading.Lock()

    def _stale(self, generation: int) -> bool:
        with self.lock:
            return generation != self.latest

    @Slot(object)
    def run(self, request: SearchRequest) -> None:
        generation = request.generation
        if self._stale(generation):
            return
        try:
            if self._book is None:
                self._book = self._opener()
            book = self._book
            book.read_models.catch_up()
            search = HistorySearch(book.read_models.store)
            # a long scan stops soon after a newer request came
            with search.stopping_when(lambda: self._stale(generation)):
                self._answer(book, search, request)
        except Exception as exc:
            connection = self._book.read_models.store.connection if self._book else None
            if connection is not None and connection.in_transaction():
                connection.rollback()
            if not isinstance(exc, _Stale) and not self._stale(generation):
                self.failed.emit(generation, str(exc) or type(exc).__name__)

    def _answer(self, book: Book, search: HistorySearch, request: SearchRequest) -> None:
        generation = request.generation

        def indexing(done: int, total: int) -> bool:
            self.indexing.emit(generation, done, total)
            return not self._stale(generation)

        if search.behind():
            search.catch_up(indexing)
        if self._stale(generation):
            raise _Stale
        if not request.keep.active and request.order == "position" and not request.descending:
            self.indexing.emit(generation, 1, 1)  # prepared: nothing to look for
            return
        first, last = search.bounds(request.keep)
        page = search.positions(
            request.keep, first=first, last=last, order=request.order,
            descending=request.descending, limit=FIRST_PAGE,
        )  # fmt: skip
        self.first_page.emit(generation, page, book.read_models.event_count())
        every = array("q", page)
        if len(page) >= FIRST_PAGE:
            every = search.positions_array(
                request.keep, first=first, last=last, order=request.order,
                descending=request.descending,
            )  # fmt: skip
        self.matched.emit(generation, every)
        if request.sum_of is not None and request.keep.upto is not None:
            with book.read_models.querying(request.keep.upto) as (conn, upto):
                keep = request.keep
                total = lineage_total(conn, request.sum_of, upto, from_day=keep.from_date,
                                      to_day=keep.to_date)  # fmt: skip
            self.summed.emit(generation, total)

    @Slot(int)
    def prepare(self, generation: int) -> None:
        """Open the book and catch the index up, before anyone searches (a new cache's
        index takes a while on a big book); a search coming meanwhile waits its turn."""
        self.run(SearchRequest(generation, HistoryFilter()))

    @Slot()
    def close(self) -> None:
        if self._book is not None:
            self._book.close()
            self._book = None


class HistorySearcher(QObject):
    """Runs :class:`SearchRequest`\\ s in a worker thread; only the newest one's answers are
    passed on (in the GUI thread)."""

    indexing = Signal(int, int)  # done, total: the index is being caught up
    first_page = Signal(object, int)  # the first matches, and the book's event count
    matched = Signal(object)  # every match (an array of int64 positions)
    summed = Signal(object)  # a lineage's total
    failed = Signal(str)
    _requested = Signal(object)
    _preparing = Signal(int)

    def __init__(self, path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._generation = 0
        self._thread = QThread()
        self._worker = _Worker(lambda: Book.open(path, readonly=True))
        self._worker.moveToThread(self._thread)
        self._requested.connect(self._worker.run)
        self._preparing.connect(self._worker.prepare)
        self._worker.indexing.connect(self._on_indexing)
        self._worker.first_page.connect(self._on_first_page)
        self._worker.matched.connect(self._on_matched)
        self._worker.summed.connect(self._on_summed)
        self._worker.failed.connect(self._on_failed)
        self._thread.start()

    def search(
        self,
        keep: HistoryFilter,
        order: str = "position",
        descending: bool = False,
        sum_of: frozenset[str] | None = None,
    ) -> int:
        """Ask for the events ``keep`` keeps (and with ``sum_of``, their total on those
        accounts); returns the request's generation."""
        self._generation += 1
        with self._worker.lock:
            self._worker.latest = self._generation
        self._requested.emit(SearchRequest(self._generation, keep, order, descending, sum_of))
        return self._generation

    def prepare(self) -> None:
        """Catch the search index up in the worker now (see ``_Worker.prepare``)."""
        self._generation += 1
        with self._worker.lock:
            self._worker.latest = self._generation
        self._preparing.emit(self._generation)

    def cancel(self) -> None:
        """Forget the running request (its answers are dropped)."""
        self._generation += 1
        with self._worker.lock:
            self._worker.latest = self._generation

    def stop(self) -> None:
        """Stop the worker and close its book (the window closes)."""
        self.cancel()
        QMetaObject.invokeMethod(self._worker, "close", Qt.ConnectionType.BlockingQueuedConnection)
        self._thread.quit()
        self._thread.wait()

    def _current(self, generation: int) -> bool:
        return generation == self._generation

    @Slot(int, int, int)
    def _on_indexing(self, generation: int, done: int, total: int) -> None:
        if self._current(generation):
            self.indexing.emit(done, total)

    @Slot(int, object, int)
    def _on_first_page(self, generation: int, positions: list[int], events: int) -> None:
        if self._current(generation):
            self.first_page.emit(positions, events)

    @Slot(int, object)
    def _on_matched(self, generation: int, positions: Sequence[int]) -> None:
        if self._current(generation):
            self.matched.emit(positions)

    @Slot(int, object)
    def _on_summed(self, generation: int, total: object) -> None:
        if self._current(generation):
            self.summed.emit(total)

    @Slot(int, str)
    def _on_failed(self, generation: int, message: str) -> None:
        if self._current(generation):
            self.failed.emit(message)
