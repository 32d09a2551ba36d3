"""The Qt models' reads of a book that may be damaged: a read the store refuses as damage
marks the book broken (the window turns read-only and says why) and answers empty, so the
rows that cannot be read show blank instead of raising inside Qt's painting."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar

from app.book_health import BookHealth, breakage_from_error
from app.models.sources import (
    AccountRow,
    AccountsSource,
    HistoryRow,
    HistorySource,
    RegisterRow,
    RegisterSource,
)

T = TypeVar("T")


class BookReads(AccountsSource, RegisterSource, HistorySource, Protocol):
    """Every read the models make (the book's ReadModels)."""


class GuardedReads:
    """``reads`` with damage turned into a known break (see :class:`BookHealth`)."""

    def __init__(self, reads: BookReads, health: BookHealth) -> None:
        self._reads = reads
        self._health = health

    def accounts(self, as_of: int | None = None) -> list[AccountRow]:
        return self._guard(lambda: self._reads.accounts(as_of), [])

    def register(
        self, account_id: str, as_of: int | None = None, offset: int = 0, limit: int = 100
    ) -> list[RegisterRow]:
        return self._guard(lambda: self._reads.register(account_id, as_of, offset, limit), [])

    def register_count(self, account_id: str, as_of: int | None = None) -> int:
        return self._guard(lambda: self._reads.register_count(account_id, as_of), 0)

    def register_hidden(self, account_id: str, as_of: int | None = None) -> list[int]:
        return self._guard(lambda: self._reads.register_hidden(account_id, as_of), [])

    def history(
        self, offset: int = 0, limit: int = 100, *, locale: str | None = None
    ) -> list[HistoryRow]:
        return self._guard(lambda: self._reads.history(offset, limit, locale=locale), [])

    def event_count(self) -> int:
        return self._guard(self._reads.event_count, 0)

    def _guard(self, read: Callable[[], T], empty: T) -> T:
        try:
            return read()
        except Exception as exc:
            breakage = breakage_from_error(exc)
            if breakage is None:
                raise
            self._health.mark_broken(breakage)
            return empty
