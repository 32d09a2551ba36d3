"""Given-helpers for aggregate tests: past events in, aggregates (as the streams hold them) out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from domain.model.accounts import Account
from domain.model.chart import Chart
from domain.model.entries import Entry
from domain.model.events import (
    AccountClosed,
    AccountOpened,
    AccountRenamed,
    AccountType,
    EntryKind,
    EntryPosted,
    EntryVoided,
    Event,
    Posting,
)

DAY = dt.date(2024, 3, 1)


def opened(
    account_id: str,
    name: str | None = None,
    account_type: AccountType = AccountType.ASSET,
    *,
    currency: str = "EUR",
    opening: int = 0,
    overdraft: bool = True,
    on: dt.date = DAY,
) -> AccountOpened:
    return AccountOpened(
        account_id=account_id,
        name=name or account_id.title(),
        account_type=account_type,
        currency=currency,
        opening_balance=opening,
        opening_date=on,
        overdraft_allowed=overdraft,
    )


def posted(
    entry_id: str,
    *legs: tuple[str, int],
    currency: str = "EUR",
    kind: EntryKind = EntryKind.SPLIT,
    payee: str = "",
    on: dt.date = DAY,
) -> EntryPosted:
    return EntryPosted(
        entry_id=entry_id,
        kind=kind,
        booking_date=on,
        payee=payee,
        memo="",
        postings=tuple(Posting(a, currency, m) for a, m in legs),
    )


def voided(entry: EntryPosted, on: dt.date = DAY) -> EntryVoided:
    return EntryVoided(entry_id=entry.entry_id, voided_on=on, reason="", postings=entry.postings)


@dataclass
class World:
    """Aggregates folded from a flat history, each seeing only its own stream's events."""

    accounts: dict[str, Account] = field(default_factory=dict)
    entries: dict[str, Entry] = field(default_factory=dict)
    chart: Chart = field(default_factory=Chart)

    @classmethod
    def given(cls, *events: Event) -> World:
        world = cls()
        for event in events:
            world.apply(event)
        return world

    def apply(self, event: Event) -> None:
        if isinstance(event, AccountOpened | AccountRenamed | AccountClosed):
            self.account(event.account_id).apply(event)
            self.chart.apply(event)
        elif isinstance(event, EntryPosted | EntryVoided):
            self.entry(event.entry_id).apply(event)
            for account_id in dict.fromkeys(p.account_id for p in event.postings):
                self.account(account_id).apply(event)
        else:
            raise AssertionError(event)

    def account(self, account_id: str) -> Account:
        return self.accounts.setdefault(account_id, Account(account_id))

    def entry(self, entry_id: str) -> Entry:
        return self.entries.setdefault(entry_id, Entry(entry_id))
