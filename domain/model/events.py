"""Domain events: immutable facts in the past tense, each with a schema version.

Amounts are integer minor units in the account's currency; postings are signed debit-positive
(a debit adds, a credit subtracts) so every entry sums to zero per currency.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, ClassVar, TypeVar


class AccountType(StrEnum):
    """The five account types of double entry."""

    ASSET = "asset"
    LIABILITY = "liability"
    EQUITY = "equity"
    INCOME = "income"
    EXPENSE = "expense"

    @property
    def sign(self) -> int:
        """+1 where a debit increases the shown balance (asset, expense), else -1."""
        return 1 if self in (AccountType.ASSET, AccountType.EXPENSE) else -1


class EntryKind(StrEnum):
    DEPOSIT = "deposit"
    WITHDRAWAL = "withdrawal"
    TRANSFER = "transfer"
    SPLIT = "split"


@dataclass(frozen=True, slots=True)
class Posting:
    """One leg of an entry: a signed (debit-positive) amount on one account."""

    account_id: str
    currency: str
    amount: int


@dataclass(frozen=True)
class Event:
    """Base of all domain events. Subclasses set ``schema_version``."""

    schema_version: ClassVar[int] = 1

    @classmethod
    def type_name(cls) -> str:
        return cls.__name__


@dataclass(frozen=True)
class AccountOpened(Event):
    schema_version: ClassVar[int] = 2  # v1 stored the opening balance as a decimal string
    account_id: str
    name: str
    account_type: AccountType
    currency: str
    opening_balance: int  # minor units, in the account's natural sign (what the user sees)
    opening_date: dt.date
    overdraft_allowed: bool


@dataclass(frozen=True)
class AccountRenamed(Event):
    account_id: str
    old_name: str
    new_name: str


@dataclass(frozen=True)
class AccountClosed(Event):
    account_id: str
    closed_on: dt.date


@dataclass(frozen=True)
class EntryPosted(Event):
    entry_id: str
    kind: EntryKind
    booking_date: dt.date
    payee: str
    memo: str
    postings: tuple[Posting, ...]


@dataclass(frozen=True)
class EntryVoided(Event):
    """A compensating event: the entry's postings are reversed; nothing is deleted."""

    entry_id: str
    voided_on: dt.date
    reason: str
    postings: tuple[Posting, ...]  # the original postings, so folds need not look them up


E = TypeVar("E", bound=Event)

EVENT_TYPES: dict[str, type[Event]] = {
    cls.type_name(): cls
    for cls in (AccountOpened, AccountRenamed, AccountClosed, EntryPosted, EntryVoided)
}

Upcaster = Callable[[dict[str, Any]], dict[str, Any]]
# (type name, stored version) -> function returning the data of version + 1
UPCASTERS: dict[tuple[str, int], Upcaster] = {}


def upcaster(type_name: str, from_version: int) -> Callable[[Upcaster], Upcaster]:
    """Register a function that turns version ``from_version`` data into the next version."""

    def register(fn: Upcaster) -> Upcaster:
        UPCASTERS[(type_name, from_version)] = fn
        return fn

    return register


@upcaster("AccountOpened", 1)
def _account_opened_v1(data: dict[str, Any]) -> dict[str, Any]:
    # v1 kept the opening balance as a decimal string and had no overdraft flag
    from domain.model.money import Money

    upgraded = dict(data)
    upgraded["opening_balance"] = Money.of(data["opening_balance"], data["currency"]).minor
    upgraded.setdefault("overdraft_allowed", True)
    return upgraded


_FIELD_NAMES: dict[type[Event], tuple[str, ...]] = {}


def _field_names(cls: type[Event]) -> tuple[str, ...]:
    # dataclasses.fields() walks the class's fields anew on every call: once per event type
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(field.name for field in dataclasses.fields(cls))
    return names


def to_data(event: Event) -> dict[str, Any]:
    """The JSON-ready data of an event (dates as ISO strings, postings as lists)."""
    data: dict[str, Any] = {}
    for name in _field_names(type(event)):
        value = getattr(event, name)
        if isinstance(value, dt.date):
            value = value.isoformat()
        elif isinstance(value, tuple):
            value = [[p.account_id, p.currency, p.amount] for p in value]
        data[name] = value
    return data


def from_data(type_name: str, schema_version: int, data: Mapping[str, Any]) -> Event:
    """Rebuild an event from stored data, upcasting older schema versions on the way."""
    try:
        cls = EVENT_TYPES[type_name]
    except KeyError:
        raise ValueError(f"unknown event type {type_name!r}") from None
    current = dict(data)
    version = schema_version
    while version < cls.schema_version:
        try:
            current = UPCASTERS[(type_name, version)](current)
        except KeyError:
            raise ValueError(f"no upcaster for {type_name} v{version}") from None
        version += 1
    if version > cls.schema_version:
        raise ValueError(f"{type_name} v{version} is newer than this Tallybook understands")
    kwargs: dict[str, Any] = {}
    for field in dataclasses.fields(cls):
        value = current[field.name]
        if field.name in ("opening_date", "closed_on", "booking_date", "voided_on"):
            value = dt.date.fromisoformat(value)
        elif field.name == "postings":
            value = tuple(Posting(a, c, int(m)) for a, c, m in value)
        elif field.name == "account_type":
            value = AccountType(value)
        elif field.name == "kind":
            value = EntryKind(value)
        kwargs[field.name] = value
    return cls(**kwargs)
