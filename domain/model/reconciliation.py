"""The Reconciliation aggregate (stream ``reconciled-<account id>``): which of an account's
entries were reconciled against a statement, and the balance they add up to.

Reconciling ticks entries until, with those reconciled before, they add up to the
statement's balance; an import's undo keeps reconciled entries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from domain.model.accounts import Account, require_date, require_exists, require_id
from domain.model.commands import Reconcile
from domain.model.entries import Entry
from domain.model.errors import InvalidCommand, ReconciliationMismatch, UnknownEntry
from domain.model.events import (
    AccountReconciled,
    ClearedEntry,
    EntryPosted,
    EntryVoided,
    Event,
    ReconciliationReopened,
)
from domain.model.money import Money, describe

SNAPSHOT_VERSION = "reconciled-1"
VOIDED, BACK_DATED, UNDONE = "voided", "back-dated", "undone"
"""The ways a change reopens a reconciliation (:class:`ReconciliationReopened`): UNDONE is
an undo of the reconciliation itself, which takes its entries off it."""
PREFIX = "reconciled-"


def stream_id(account_id: str) -> str:
    """The stream of an account's reconciliations."""
    return f"{PREFIX}{account_id}"


@dataclass(slots=True)
class Reconciliation:
    """An account's reconciled entries (id -> statement date) and their balance."""

    account_id: str
    entries: dict[str, dt.date] = field(default_factory=dict)
    balance: int = 0  # debit-positive
    last_date: dt.date | None = None
    version: int = 0

    def apply(self, event: Event) -> None:
        if isinstance(event, ReconciliationReopened):
            if event.how in (VOIDED, UNDONE):
                self.entries.pop(event.entry_id, None)
                self.balance -= event.amount
            self.version += 1
            return
        if not isinstance(event, AccountReconciled):
            raise ValueError(f"{type(event).__name__} does not belong to a reconciled stream")
        self.entries.update((e.entry_id, event.statement_date) for e in event.entries)
        self.balance = event.balance
        self.last_date = event.statement_date
        self.version += 1

    def copy(self) -> Reconciliation:
        return Reconciliation(
            self.account_id, dict(self.entries), self.balance, self.last_date, self.version
        )

    def to_snapshot(self) -> dict[str, Any]:
        return {
            "account_id": self.account_id,
            "entries": {k: v.isoformat() for k, v in self.entries.items()},
            "balance": self.balance,
            "last_date": self.last_date.isoformat() if self.last_date else None,
            "version": self.version,
        }

    @classmethod
    def from_snapshot(cls, state: Mapping[str, Any]) -> Reconciliation:
        last = state["last_date"]
        return cls(
            str(state["account_id"]),
            {str(k): dt.date.fromisoformat(v) for k, v in state["entries"].items()},
            int(state["balance"]),
            dt.date.fromisoformat(last) if last else None,
            int(state["version"]),
        )

    def reconcile(
        self, command: Reconcile, account: Account, entry: Callable[[str], Entry]
    ) -> list[Event]:
        """Clear ``command.entry_ids``: each posted to the account by the statement's date, not
        voided, not reconciled before; with the earlier ones they must make its balance."""
        require_exists(account)
        day = require_date(command.statement_date, "statement date")
        if self.last_date is not None and day < self.last_date:
            raise InvalidCommand(
                f"{account.name} was reconciled up to {self.last_date}; a statement of {day} "
                "comes before it"
            )
        target = account.account_type.sign * Money.of(command.balance, account.currency).minor
        cleared: list[ClearedEntry] = []
        for entry_id in dict.fromkeys(command.entry_ids):
            found = entry(require_id(entry_id, "entry id"))
            if not found.exists:
                raise UnknownEntry(f"there is no entry with id {entry_id}")
            moved = sum(p.amount for p in found.postings if p.account_id == account.id)
            if not any(p.account_id == account.id for p in found.postings):
                raise InvalidCommand(f"the {found.describe()} does not post to {account.name}")
            if found.voided:
                raise InvalidCommand(f"the {found.describe()} was voided: a statement shows none")
            if entry_id in self.entries:
                raise InvalidCommand(
                    f"the {found.describe()} was reconciled on {self.entries[entry_id]}"
                )
            if found.booking_date > day:
                raise InvalidCommand(f"the {found.describe()} is dated after {day}")
            cleared.append(ClearedEntry(entry_id, moved))
        total = self.balance + sum(c.amount for c in cleared)
        if total != target:
            sign = account.account_type.sign
            raise ReconciliationMismatch(
                f"the cleared entries make {describe(sign * total, account.currency)}, the "
                f"statement says {describe(sign * target, account.currency)}: a difference of "
                f"{describe(sign * (target - total), account.currency)}; nothing was recorded"
            )
        return [
            AccountReconciled(
                account_id=account.id, statement_date=day, balance=total, entries=tuple(cleared)
            )
        ]


def reopenings(events: list[Event], reconciliation: Callable[[str], Reconciliation]) -> list[Event]:
    """``events`` and, after them, a :class:`ReconciliationReopened` for each reconciled entry
    they void and each entry they post on or before its account's last statement date (not
    for a correction's replacement, whose void already says so)."""
    extra: list[Event] = []
    reopened: set[str] = set()  # accounts a void of this change reopened
    states: dict[str, Reconciliation] = {}

    def state(account_id: str) -> Reconciliation:
        if account_id not in states:
            states[account_id] = reconciliation(account_id)
        return states[account_id]

    for event in events:
        if not isinstance(event, EntryPosted | EntryVoided):
            continue
        moved: dict[str, int] = {}
        for posting in event.postings:
            moved[posting.account_id] = moved.get(posting.account_id, 0) + posting.amount
        for account_id, amount in moved.items():
            found = state(account_id)
            if found.last_date is None:
                continue
            if isinstance(event, EntryVoided) and event.entry_id in found.entries:
                extra.append(
                    ReconciliationReopened(
                        account_id, found.entries[event.entry_id], event.entry_id, VOIDED, amount
                    )
                )
                reopened.add(account_id)
            elif (
                isinstance(event, EntryPosted)
                and event.booking_date <= found.last_date
                and account_id not in reopened
            ):
                extra.append(
                    ReconciliationReopened(
                        account_id, found.last_date, event.entry_id, BACK_DATED, 0
                    )
                )
    return [*events, *extra]
