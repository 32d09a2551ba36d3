"""The rows the read models answer with: plain frozen values, no behaviour beyond display."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from domain.model.events import AccountType

TYPE_ORDER: dict[AccountType, int] = {t: i for i, t in enumerate(AccountType)}


@dataclass(frozen=True, slots=True)
class AccountRow:
    """One account as of a position; ``balance`` is natural-signed minor units."""

    account_id: str
    name: str
    account_type: AccountType
    currency: str
    balance: int  # AccountType.sign * debit balance, opening balance included
    closed: bool
    overdraft_allowed: bool
    opened_position: int
    last_position: int  # the last event (open, rename, close, entry, void) touching it
    parent_id: str = ""  # the account it sits under, "" at the top of its type


@dataclass(frozen=True, slots=True)
class RegisterRow:
    """One line of an account's register, in (booking date, position) order.

    A voided entry keeps its row (``voided_by`` says where it was voided, shown struck out)
    and the void adds a reversing row (``is_void``) at the void's position and date, so the
    running balance always adds up.
    """

    position: int
    entry_id: str
    booking_date: dt.date
    payee: str
    memo: str  # the entry's memo; on a void row, the reason given for the void
    other_accounts: str  # "Salary", "Food, Rent" or "Split (3 accounts)"
    amount: int  # natural sign for this account
    running_balance: int  # natural sign, opening balance included
    voided_by: int | None  # position of the EntryVoided, if it is at or before as_of
    is_void: bool = False

    @property
    def struck_out(self) -> bool:
        """True for an original entry that has since been voided."""
        return self.voided_by is not None


@dataclass(frozen=True, slots=True)
class HistoryRow:
    """One recorded event, described for people; names are those at the event's position."""

    position: int
    recorded_at: dt.datetime  # timezone-aware UTC
    booking_date: dt.date | None
    type: str
    account: str  # the account's name, or the entry's accounts comma separated
    summary: str  # "Deposit 1,250.00 EUR into Checking from Salary — ACME Corp"
    author: str
    stream_id: str


PATH_SEPARATOR = " ▸ "


def account_paths(rows: Iterable[AccountRow]) -> dict[str, tuple[str, ...]]:
    """Account id -> its name after its parents' (``("Car", "Fuel")``), of the given rows."""
    by_id = {row.account_id: row for row in rows}
    paths: dict[str, tuple[str, ...]] = {}
    for row in by_id.values():
        names: list[str] = []
        seen: set[str] = set()
        at: AccountRow | None = row
        while at is not None and at.account_id not in seen:  # seen: a book made by hand
            seen.add(at.account_id)
            names.append(at.name)
            at = by_id.get(at.parent_id) if at.parent_id else None
        paths[row.account_id] = tuple(reversed(names))
    return paths


def account_order(row: AccountRow) -> tuple[int, str, str]:
    """The order of the chart: asset, liability, equity, income, expense; then by name."""
    return TYPE_ORDER[row.account_type], row.name.casefold(), row.account_id
