"""The Account aggregate (stream ``account-<id>``) and the guards on accounts entries use too.

An account's stream holds its own events and a link to every entry that posts to it, so its
balance is a fold of the stream and its version guards the overdraft rule against concurrent
writers. An account that forbids overdraft also keeps its balance by day
(:class:`~domain.model.daily.DailyBalances`): the rule holds on every date, not only today.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from domain.model.chart import Chart
from domain.model.commands import CloseAccount, MoveAccount, OpenAccount, RenameAccount
from domain.model.daily import DailyBalances
from domain.model.errors import (
    AccountClosedError,
    AccountNotEmpty,
    CurrencyMismatch,
    InsufficientFunds,
    InvalidAmount,
    InvalidCommand,
    OutsideOpenPeriod,
    UnknownAccount,
    WrongAccountType,
)
from domain.model.events import (
    AccountClosed,
    AccountMoved,
    AccountOpened,
    AccountRenamed,
    AccountReopened,
    AccountType,
    EntryPosted,
    EntryVoided,
    Event,
)

# the guards lived here until domain.model.guards: entries and handlers still import them here
from domain.model.guards import MAX_NAME as MAX_NAME
from domain.model.guards import MAX_TEXT as MAX_TEXT
from domain.model.guards import clean_text as clean_text
from domain.model.guards import require_date as require_date
from domain.model.guards import require_id as require_id
from domain.model.money import Money, check_currency, describe

SNAPSHOT_VERSION = "account-2"
"""Bump when the snapshot state changes shape; older snapshots are then ignored."""


def stream_id(account_id: str) -> str:
    """The stream that holds an account's events."""
    return f"account-{account_id}"


def positive(money: Money, what: str) -> Money:
    """Deposits, withdrawals and transfers move a positive amount."""
    if money.minor <= 0:
        raise InvalidAmount(f"a {what} amount must be positive, got {money}")
    return money


# --- the aggregate -------------------------------------------------------------------------


@dataclass(slots=True)
class Account:
    """An account's current state. ``version == 0`` means it was never opened."""

    id: str
    name: str = ""
    account_type: AccountType = AccountType.ASSET
    currency: str = ""
    overdraft_allowed: bool = True
    opening_date: dt.date = dt.date.min
    closed: bool = False
    closed_on: dt.date | None = None
    balance: int = 0  # debit-positive minor units
    version: int = 0
    last_day: dt.date = dt.date.min  # the latest day an entry or void was booked on
    daily: DailyBalances | None = None  # by day, kept when the account forbids overdraft

    @classmethod
    def replay(cls, account_id: str, events: Iterable[Event]) -> Account:
        """Fold a stream's events, from the beginning."""
        account = cls(account_id)
        for event in events:
            account.apply(event)
        return account

    def apply(self, event: Event) -> None:
        """Mutate the state by one event of this account's stream (its own, or a linked entry)."""
        # entries first: nearly every event of an account is one (each isinstance costs)
        if isinstance(event, EntryPosted):
            # inline, not a helper: this runs once per entry when a long stream is replayed
            change = sum(p.amount for p in event.postings if p.account_id == self.id)
            self.balance += change
            if event.booking_date > self.last_day:
                self.last_day = event.booking_date
            if self.daily is not None:
                self.daily.add(event.booking_date, change)
        elif isinstance(event, EntryVoided):
            change = -sum(p.amount for p in event.postings if p.account_id == self.id)
            self.balance += change
            if event.voided_on > self.last_day:
                self.last_day = event.voided_on
            if self.daily is not None:
                self.daily.add(event.voided_on, change)
        elif isinstance(event, AccountOpened):
            self.name = event.name
            self.account_type = event.account_type
            self.currency = event.currency
            self.overdraft_allowed = event.overdraft_allowed
            self.opening_date = event.opening_date
            self.balance = event.account_type.sign * event.opening_balance
            if self.forbids_overdraft:
                self.daily = DailyBalances()
                if self.balance:  # a book from before opening balances were entries
                    self.daily.add(event.opening_date, self.balance)
        elif isinstance(event, AccountRenamed):
            self.name = event.new_name
        elif isinstance(event, AccountMoved):
            pass  # where it sits is the chart's (the parent rules need the whole tree)
        elif isinstance(event, AccountClosed):
            self.closed = True
            self.closed_on = event.closed_on
        elif isinstance(event, AccountReopened):
            self.closed = False
            self.closed_on = None
        else:
            raise ValueError(f"{type(event).__name__} does not belong to an account stream")
        self.version += 1

    @property
    def exists(self) -> bool:
        return self.version > 0

    @property
    def forbids_overdraft(self) -> bool:
        """The no-overdraft rule applies: an asset account opened without overdraft."""
        return self.account_type is AccountType.ASSET and not self.overdraft_allowed

    @property
    def natural_balance(self) -> Money:
        """The balance as people read it: positive for money in an asset or owed on a loan."""
        return Money(self.account_type.sign * self.balance, self.currency)

    def money(self, minor: int) -> Money:
        return Money(minor, self.currency)

    def copy(self) -> Account:
        # the constructor directly: dataclasses.replace costs five times as much, per command
        return Account(
            self.id, self.name, self.account_type, self.currency, self.overdraft_allowed,
            self.opening_date, self.closed, self.closed_on, self.balance, self.version,
            self.last_day, None if self.daily is None else self.daily.copy(),
        )  # fmt: skip

    def to_snapshot(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "account_type": self.account_type.value,
            "currency": self.currency,
            "overdraft_allowed": self.overdraft_allowed,
            "opening_date": self.opening_date.isoformat(),
            "closed": self.closed,
            "closed_on": self.closed_on.isoformat() if self.closed_on else None,
            "balance": self.balance,
            "version": self.version,
            "last_day": self.last_day.isoformat(),
            "daily": None if self.daily is None else self.daily.to_pairs(),
        }

    @classmethod
    def from_snapshot(cls, state: Mapping[str, Any]) -> Account:
        closed_on, daily = state["closed_on"], state["daily"]
        return cls(
            id=state["id"],
            name=state["name"],
            account_type=AccountType(state["account_type"]),
            currency=state["currency"],
            overdraft_allowed=bool(state["overdraft_allowed"]),
            opening_date=dt.date.fromisoformat(state["opening_date"]),
            closed=bool(state["closed"]),
            closed_on=dt.date.fromisoformat(closed_on) if closed_on else None,
            balance=int(state["balance"]),
            version=int(state["version"]),
            last_day=dt.date.fromisoformat(state["last_day"]),
            daily=None if daily is None else DailyBalances.from_pairs(daily),
        )

    # --- commands ---------------------------------------------------------------------------

    def open(self, command: OpenAccount, chart: Chart) -> list[Event]:
        """Open this (new) account at zero; its name must be unique in the chart. The opening
        balance is checked here and posted by :func:`domain.model.opening.open_account`."""
        require_id(command.account_id, "account_id")
        if self.exists:
            raise InvalidCommand(f"account id {self.id} is already used by {self.name!r}")
        name = clean_text(command.name, "account name", MAX_NAME, required=True, name=True)
        chart.require_unique(name)
        account_type = _account_type(command.account_type)
        currency = check_currency(command.currency)
        if not isinstance(command.overdraft_allowed, bool):
            raise InvalidCommand(
                f"overdraft_allowed must be true or false, got {command.overdraft_allowed!r}"
            )
        opening = Money.of(command.opening_balance, currency)
        parent_id = _parent_id(command.parent_id)
        chart.require_parent(self.id, account_type, parent_id)
        no_overdraft = account_type is AccountType.ASSET and not command.overdraft_allowed
        if no_overdraft and opening.minor < 0:
            raise InsufficientFunds(f"{name} cannot open at {opening}: it does not allow overdraft")
        return [
            AccountOpened(
                account_id=self.id,
                name=name,
                account_type=account_type,
                currency=currency,
                opening_balance=0,  # posted as an entry (domain.model.opening)
                opening_date=require_date(command.opening_date, "opening date"),
                overdraft_allowed=command.overdraft_allowed,
                parent_id=parent_id,
            )
        ]

    def rename(self, command: RenameAccount, chart: Chart) -> list[Event]:
        """Rename; the new name must be unique (a change of case alone is fine)."""
        require_exists(self)
        name = clean_text(command.new_name, "account name", MAX_NAME, required=True, name=True)
        if name == self.name:
            raise InvalidCommand(f"the account is already named {name!r}")
        chart.require_unique(name, allow_id=self.id)
        return [AccountRenamed(account_id=self.id, old_name=self.name, new_name=name)]

    def move(self, command: MoveAccount, chart: Chart) -> list[Event]:
        """Put the account under another parent (the rules: :mod:`domain.model.chart`)."""
        require_exists(self)
        new_parent = _parent_id(command.new_parent_id)
        old_parent = chart.parents.get(self.id, "")
        if new_parent == old_parent:
            where = f"under {chart.display[old_parent]}" if old_parent else "at the top"
            raise InvalidCommand(f"{self.name} is already {where}")
        chart.require_parent(self.id, self.account_type, new_parent)
        return [
            AccountMoved(account_id=self.id, old_parent_id=old_parent, new_parent_id=new_parent)
        ]

    def close(self, command: CloseAccount) -> list[Event]:
        """Close an account whose balance is zero; it then takes no new entries."""
        require_open(self)
        closed_on = require_date(command.closed_on, "closing date")
        if closed_on < self.opening_date:
            raise OutsideOpenPeriod(
                f"{self.name} cannot be closed on {closed_on}, before it was opened on "
                f"{self.opening_date}"
            )
        if closed_on < self.last_day:
            raise OutsideOpenPeriod(
                f"{self.name} cannot be closed on {closed_on}: it has an entry dated "
                f"{self.last_day}, after that day"
            )
        if self.balance != 0:
            raise AccountNotEmpty(
                f"{self.name} has a balance of "
                f"{describe(self.account_type.sign * self.balance, self.currency)}; "
                f"it can be closed only at {describe(0, self.currency)}"
            )
        return [AccountClosed(account_id=self.id, closed_on=closed_on)]

    def reopen(self) -> list[Event]:
        """Take entries again after a close (what undoing a CloseAccount records)."""
        require_exists(self)
        if not self.closed or self.closed_on is None:
            raise InvalidCommand(f"{self.name} is not closed")
        return [AccountReopened(account_id=self.id, closed_on=self.closed_on)]


def _parent_id(value: object) -> str:
    """A parent's id, or "" for none."""
    return "" if value == "" else require_id(value, "parent account id")


def _account_type(value: object) -> AccountType:
    try:
        return AccountType(value if isinstance(value, str) else repr(value))
    except ValueError:
        kinds = ", ".join(t.value for t in AccountType)
        raise InvalidCommand(f"{value!r} is not an account type ({kinds})") from None


# --- guards on existing accounts (used by entries too) -------------------------------------


def require_exists(account: Account) -> Account:
    if not account.exists:
        raise UnknownAccount(f"there is no account with id {account.id}")
    return account


def require_open(account: Account, day: dt.date | None = None) -> Account:
    """The account exists and is not closed; an entry or void dated ``day`` on it is not
    dated before its opening date."""
    require_exists(account)
    if account.closed:
        dated = "" if day is None else f" (this one is dated {day})"
        raise AccountClosedError(
            f"{account.name} was closed on {account.closed_on} and takes no new entries{dated}"
        )
    if day is not None and day < account.opening_date:
        raise OutsideOpenPeriod(
            f"{account.name} was opened on {account.opening_date} and takes no entry dated "
            f"before it, but this one is dated {day}"
        )
    return account


def require_type(account: Account, wanted: AccountType, role: str) -> Account:
    if account.account_type is not wanted:
        raise WrongAccountType(
            f"{role} must be {_article(wanted)} {wanted.value} account, but {account.name} is "
            f"{_article(account.account_type)} {account.account_type.value} account"
        )
    return account


def require_same_currency(first: Account, second: Account) -> None:
    if first.currency != second.currency:
        raise CurrencyMismatch(
            f"{first.name} is in {first.currency} but {second.name} is in {second.currency}; "
            f"an entry between them needs one currency"
        )


def check_funds(account: Account, changes: Mapping[dt.date, int], what: str) -> None:
    """An asset account that forbids overdraft may not end any day below zero after
    ``changes`` (by day), from the first day they lower its balance on: each day counts with
    its whole net, so a deposit covers a withdrawal of the same day."""
    if account.daily is None:
        return
    found = account.daily.first_below_zero(changes)
    if found is None:
        return
    day, before, change = found
    after, currency = before + change, account.currency
    raise InsufficientFunds(
        f"{account.name} would go to {describe(after, currency)} on {day}, "
        f"{describe(-after, currency)} short, but it does not allow overdraft "
        f"(balance that day {describe(before, currency)}, {what} {describe(-change, currency)})"
    )


def _article(account_type: AccountType) -> str:
    return "an" if account_type.value[0] in "aeiou" else "a"
