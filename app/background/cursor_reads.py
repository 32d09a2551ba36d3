"""What a timeline step reads that grows with the book, off the GUI thread: the accounts with
their balances as of the cursor.

:class:`CursorReader` keeps one worker thread with the book opened read-only in it, so a
read costs its queries only: opening a book per read (SQLAlchemy's engine, the header and
cache checks) is tens of ms of Python, and while a worker runs Python the GUI thread waits
for the GIL at every call into Python a repaint makes. Coalescing is the caller's (the
accounts model asks again only once an answer came).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QMetaObject, QObject, Qt, QThread, Signal, Slot

from app.composition import Book
from domain.projections.dated_reads import DatedReads
from domain.projections.rows import AccountRow

AccountsDone = Callable[[list[AccountRow] | None], None]


class _Worker(QObject):
    read = Signal(int, object)  # number, the accounts (None: the read failed)

    def __init__(self, opener: Callable[[], Book]) -> None:
        super().__init__()
        self._opener = opener
        self._book: Book | None = None

    @Slot()
    def open(self) -> None:
        """Open the book now, before the first step (the open's Python would otherwise
        compete with that step's repaint for the GIL); a failure waits for a read to retry."""
        try:
            if self._book is None:
                self._book = self._opener()
        except Exception:
            self._book = None

    @Slot(int, object, object)
    def accounts(self, number: int, as_of: int | None, day: dt.date | None) -> None:
        try:
            if self._book is None:
                self._book = self._opener()
            dated = DatedReads(self._book.read_models)  # the checkpoint is read each time
            dated.day = day
            rows: list[AccountRow] | None = dated.accounts(as_of)
        except Exception:  # the model reads on the GUI thread instead, which reports damage
            self.close()
            rows = None
        self.read.emit(number, rows)

    @Slot()
    def close(self) -> None:
        if self._book is not None:
            self._book.close()
            self._book = None


class CursorReader(QObject):
    """Reads for the models in one worker thread; each answer comes on the GUI thread."""

    _asked = Signal(int, object, object)
    _opening = Signal()

    def __init__(self, path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread = QThread()
        self._worker = _Worker(lambda: Book.open(path, readonly=True))
        self._worker.moveToThread(self._thread)
        self._asked.connect(self._worker.accounts)
        self._opening.connect(self._worker.open)
        self._worker.read.connect(self._on_read)
        self._waiting: dict[int, AccountsDone] = {}
        self._number = 0
        self._thread.start()
        self._opening.emit()

    def read_accounts(self, as_of: int | None, day: dt.date | None, done: AccountsDone) -> None:
        """Read the accounts as of ``as_of`` (cut at the end of ``day``); ``done`` gets them,
        or None if the read failed."""
        self._number += 1
        self._waiting[self._number] = done
        self._asked.emit(self._number, as_of, day)

    @Slot(int, object)
    def _on_read(self, number: int, rows: object) -> None:
        done = self._waiting.pop(number, None)
        if done is not None:
            done(rows if isinstance(rows, list) else None)

    def stop(self) -> None:
        """Close the worker's book and stop its thread (the window closes); answers still
        on their way are dropped."""
        self._waiting.clear()
        QMetaObject.invokeMethod(self._worker, "close", Qt.ConnectionType.BlockingQueuedConnection)
        self._thread.quit()
        self._thread.wait()
