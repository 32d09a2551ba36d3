"""The reference fold: the read models computed in memory from events, for tests and tools.

It is deliberately simple (lists and dicts, everything recomputed on each question) so the
SQL read models can be checked against it: for every position p, ``fold(events[:p])`` must
answer exactly what ``ReadModels`` answers as of p.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from domain.model.errors import UnknownAccount
from domain.model.events import (
    AccountClosed,
    AccountMoved,
    AccountOpened,
    AccountRenamed,
    AccountReopened,
    AccountType,
    EntryPosted,
    EntryVoided,
    Posting,
    from_data,
)
from domain.projections.rows import AccountRow, HistoryRow, RegisterRow, account_order
from domain.projections.text import history_row, others_label
from domain.store.base import StoredEvent


@dataclass(frozen=True, slots=True)
class _Line:
    position: int
    entry_id: str
    booking_date: dt.date
    amount: int  # natural sign
    others: tuple[str, ...]
    is_void: bool


@dataclass(slots=True)
class _Account:
    account_id: str
    name: str
    account_type: AccountType
    currency: str
    opening_balance: int
    overdraft_allowed: bool
    opened_position: int
    parent_id: str = ""
    closed: bool = False
    balance: int = 0
    last_position: int = 0
    lines: list[_Line] = field(default_factory=list)


@dataclass(slots=True)
class _Entry:
    position: int
    kind: str
    payee: str
    memo: str
    voided_by: int | None = None
    reason: str = ""


class FoldedBooks:
    """Books folded in memory from events in position order; see :func:`fold`."""

    def __init__(self) -> None:
        self.position = 0
        self._accounts: dict[str, _Account] = {}
        self._entries: dict[str, _Entry] = {}
        self._history: list[HistoryRow] = []

    def _name(self, account_id: str) -> str:
        return self._accounts[account_id].name

    def apply(self, stored: StoredEvent) -> None:
        """Fold one event; events must come in position order."""
        event = from_data(stored.type, stored.schema_version, stored.data)
        position = stored.position
        voided: tuple[str, str] | None = None
        if isinstance(event, AccountOpened):
            self._accounts[event.account_id] = _Account(
                account_id=event.account_id,
                name=event.name,
                account_type=event.account_type,
                currency=event.currency,
                opening_balance=event.opening_balance,
                overdraft_allowed=event.overdraft_allowed,
                opened_position=position,
                parent_id=event.parent_id,
                balance=event.opening_balance,
                last_position=position,
            )
        elif isinstance(event, AccountRenamed | AccountMoved | AccountClosed | AccountReopened):
            account = self._accounts[event.account_id]
            if isinstance(event, AccountRenamed):
                account.name = event.new_name
            elif isinstance(event, AccountMoved):
                account.parent_id = event.new_parent_id
            else:
                account.closed = isinstance(event, AccountClosed)
            account.last_position = position
        elif isinstance(event, EntryPosted):
            self._entries[event.entry_id] = _Entry(
                position, event.kind.value, event.payee, event.memo
            )
            self._post(position, event.entry_id, event.booking_date, event.postings, 1)
        elif isinstance(event, EntryVoided):
            entry = self._entries[event.entry_id]
            entry.voided_by, entry.reason = position, event.reason
            voided = (entry.kind, entry.payee)
            self._post(position, event.entry_id, event.voided_on, event.postings, -1)
        self._history.append(history_row(stored, event, self._name, voided))
        self.position = position

    def _post(
        self,
        position: int,
        entry_id: str,
        booking_date: dt.date,
        postings: Sequence[Posting],
        factor: int,
    ) -> None:
        per_account: dict[str, int] = {}
        for posting in postings:
            account_id = posting.account_id
            per_account[account_id] = per_account.get(account_id, 0) + posting.amount
        for account_id, debit in per_account.items():
            account = self._accounts[account_id]
            amount = factor * account.account_type.sign * debit
            others = tuple(a for a in per_account if a != account_id)
            account.lines.append(
                _Line(position, entry_id, booking_date, amount, others, factor < 0)
            )
            account.balance += amount
            account.last_position = position

    def accounts(self) -> list[AccountRow]:
        """Every account opened so far, in chart order."""
        rows = [
            AccountRow(
                account_id=a.account_id,
                name=a.name,
                account_type=a.account_type,
                currency=a.currency,
                balance=a.balance,
                closed=a.closed,
                overdraft_allowed=a.overdraft_allowed,
                opened_position=a.opened_position,
                last_position=a.last_position,
                parent_id=a.parent_id,
            )
            for a in self._accounts.values()
        ]
        return sorted(rows, key=account_order)

    def account_balance(self, account_id: str) -> int:
        """The natural-signed balance; UnknownAccount if the account is not open yet."""
        try:
            return self._accounts[account_id].balance
        except KeyError:
            raise UnknownAccount(f"no account {account_id!r} at position {self.position}") from None

    def register(self, account_id: str) -> list[RegisterRow]:
        """The account's register in (booking date, position) order; [] if unknown."""
        account = self._accounts.get(account_id)
        if account is None:
            return []
        lines = sorted(account.lines, key=lambda line: (line.booking_date, line.position))
        running = itertools.accumulate(
            (line.amount for line in lines), initial=account.opening_balance
        )
        next(running)
        rows = []
        for line, balance in zip(lines, running, strict=True):
            entry = self._entries[line.entry_id]
            rows.append(
                RegisterRow(
                    position=line.position,
                    entry_id=line.entry_id,
                    booking_date=line.booking_date,
                    payee=entry.payee,
                    memo=entry.reason if line.is_void else entry.memo,
                    other_accounts=others_label([self._name(a) for a in line.others]),
                    amount=line.amount,
                    running_balance=balance,
                    voided_by=None if line.is_void else entry.voided_by,
                    is_void=line.is_void,
                )
            )
        return rows

    def history(self) -> list[HistoryRow]:
        """Every folded event, described, in position order."""
        return list(self._history)


def fold(events: Iterable[StoredEvent], as_of: int | None = None) -> FoldedBooks:
    """Fold events (in position order) up to and including ``as_of`` (all if None)."""
    books = FoldedBooks()
    for event in events:
        if as_of is not None and event.position > as_of:
            break
        books.apply(event)
    return books
