"""The narrow read-side interfaces the Qt models need (the book's ReadModels provide them)."""

from __future__ import annotations

from typing import Protocol

from domain.projections.rows import AccountRow, HistoryRow, RegisterRow

__all__ = [
    "AccountRow",
    "AccountsSource",
    "HistoryRow",
    "HistorySource",
    "RegisterRow",
    "RegisterSource",
]


class AccountsSource(Protocol):
    def accounts(self, as_of: int | None = None) -> list[AccountRow]: ...


class RegisterSource(Protocol):
    def register(
        self, account_id: str, as_of: int | None = None, offset: int = 0, limit: int = 100
    ) -> list[RegisterRow]: ...

    def register_count(self, account_id: str, as_of: int | None = None) -> int: ...

    def register_hidden(self, account_id: str, as_of: int | None = None) -> list[int]: ...


class HistorySource(Protocol):
    def history(
        self, offset: int = 0, limit: int = 100, *, locale: str | None = None
    ) -> list[HistoryRow]: ...

    def event_count(self) -> int: ...
