"""The read side's payee index: what each payee's entries were booked against, kept up to
date from the log incrementally (each call reads only the events after the last one it saw),
so an import's category proposals are look-ups (:mod:`domain.model.categories`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from domain.model.accounts import Account
from domain.model.categories import PayeeIndex, Proposal
from domain.model.commands import ImportStatement
from domain.model.errors import DomainError
from domain.model.event_schema import data_key
from domain.model.events import AccountType, EntryPosted
from domain.model.suspense import suspense_names
from domain.projections.event_json import POSTED, POSTINGS, account_debits

_PAYEE = data_key(EntryPosted, "payee")


class DataReader(Protocol):
    def read_data(
        self, after_position: int = 0, to_position: int | None = None, batch_size: int = 5000
    ) -> Iterator[list[tuple[int, str, int, dict[str, Any]]]]: ...


class PayeeLearner:
    """A :class:`PayeeIndex` of a store's entries up to :attr:`position`."""

    def __init__(self, store: DataReader) -> None:
        self._store = store
        self.index = PayeeIndex()
        self.position = 0

    def catch_up(self) -> PayeeIndex:
        """Learn the entries recorded since the last call; the index."""
        index = self.index
        for batch in self._store.read_data(after_position=self.position):
            for position, kind, _version, data in batch:
                if kind == POSTED:
                    index.add(data[_PAYEE], list(account_debits(data[POSTINGS])), position)
                self.position = position
        return index


_RANK = {AccountType.EXPENSE: 0, AccountType.INCOME: 0}


def propose_categories(
    learner: PayeeLearner, command: ImportStatement, account: Callable[[str], Account]
) -> dict[int, Proposal]:
    """Line -> the proposed counter-account of each row of ``command`` without a category
    (an income or expense account before an asset or liability; never a suspense account,
    a closed account or one of another currency)."""
    index = learner.catch_up()
    target = account(command.account_id)
    cache: dict[str, int | None] = {}

    def usable(account_id: str) -> int | None:
        if account_id not in cache:
            try:
                found = account(account_id)
            except DomainError:
                found = None
            fits = (
                found is not None and not found.closed and found.currency == target.currency
                and found.name not in suspense_names(target.currency)
            )  # fmt: skip
            cache[account_id] = _RANK.get(found.account_type, 1) if found and fits else None
        return cache[account_id]

    proposals: dict[int, Proposal] = {}
    for row in command.rows:
        if row.category_id or row.match_entry_id:
            continue
        proposal = index.propose(row.payee or row.memo, target.id, usable)
        if proposal is not None:
            proposals[row.line] = proposal
    return proposals


_MEMO = data_key(EntryPosted, "memo")


@dataclass(frozen=True, slots=True)
class LastEntry:
    """A payee's latest entry as the entry row fills it in: memo and debits per account."""

    payee: str
    memo: str
    debits: dict[str, int]  # account id -> debit in minor units, in posting order
    position: int


class PayeeRecall:
    """The book's payees, most recent first, each with its latest entry (overall and per
    account), learned from the log incrementally like :class:`PayeeLearner`."""

    def __init__(self, store: DataReader, batch_size: int = 2000) -> None:
        self._store = store
        self._batch_size = batch_size
        # key -> latest entry; insertion order is recency (a payee seen again moves last)
        self._latest: dict[str, LastEntry] = {}
        self._by_account: dict[tuple[str, str], LastEntry] = {}
        self.position = 0

    def rebind(self, store: DataReader) -> None:
        """Read on from another connection to the same book (a worker read the start)."""
        self._store = store

    def catch_up(self, max_batches: int | None = None) -> tuple[bool, list[str]]:
        """Learn up to ``max_batches`` batches of later events (all with None): whether the
        log is read to its end, and the payees seen, oldest first."""
        seen: list[str] = []
        batches = self._store.read_data(after_position=self.position, batch_size=self._batch_size)
        for count, batch in enumerate(batches, start=1):
            for position, kind, _version, data in batch:
                if kind == POSTED:
                    payee = self._learn(position, data)
                    if payee:
                        seen.append(payee)
                self.position = position
            if max_batches is not None and count >= max_batches:
                return False, seen
        return True, seen

    def _learn(self, position: int, data: dict[str, Any]) -> str:
        payee = str(data[_PAYEE]).strip()
        key = payee.casefold()
        if not key:
            return ""
        last = LastEntry(payee, str(data[_MEMO]), account_debits(data[POSTINGS]), position)
        self._latest.pop(key, None)
        self._latest[key] = last
        for account_id in last.debits:
            self._by_account[key, account_id] = last
        return payee

    def payees(self) -> list[str]:
        """Every payee as last spelt, the most recent first."""
        return [last.payee for last in reversed(self._latest.values())]

    def known(self, payee: str) -> str | None:
        """The payee as the book spells it, or None if no entry has it (case aside)."""
        last = self._latest.get(payee.strip().casefold())
        return last.payee if last else None

    def last(self, payee: str, account_id: str) -> LastEntry | None:
        """The payee's latest entry in ``account_id``, else its latest anywhere."""
        key = payee.strip().casefold()
        return self._by_account.get((key, account_id)) or self._latest.get(key)
