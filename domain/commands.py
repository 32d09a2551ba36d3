"""Commands: what a person asks the books to do, in the imperative.

Amounts are exact ``Decimal`` values in major units of the account's currency; the aggregate
turns them into minor units and refuses anything inexact. ``command_id`` makes a retried
command a no-op.
"""

from __future__ import annotations

import base64
import datetime as dt
import secrets
from dataclasses import dataclass, field
from decimal import Decimal

from domain.events import AccountType


def new_id() -> str:
    """A fresh id: 80 random bits as 16 lowercase base32 characters (a-z, 2-7).

    Half the length of a uuid's hex (ids are repeated in every event, stream and link), safe
    in URLs, JSON and file names, never starting with "-" (so never taken for a command-line
    option). Two ids among a billion collide with odds of about 1 in 2.4 million.
    """
    return base64.b32encode(secrets.token_bytes(10)).decode("ascii").lower()


@dataclass(frozen=True, kw_only=True)
class Command:
    command_id: str = field(default_factory=new_id)


@dataclass(frozen=True, kw_only=True)
class OpenAccount(Command):
    name: str
    account_type: AccountType
    currency: str
    opening_balance: Decimal = Decimal(0)
    opening_date: dt.date
    overdraft_allowed: bool = True
    account_id: str = field(default_factory=new_id)


@dataclass(frozen=True, kw_only=True)
class RenameAccount(Command):
    account_id: str
    new_name: str


@dataclass(frozen=True, kw_only=True)
class CloseAccount(Command):
    account_id: str
    closed_on: dt.date


@dataclass(frozen=True, kw_only=True)
class Deposit(Command):
    """Money into an asset account, from an income category."""

    account_id: str
    income_account_id: str
    amount: Decimal
    booking_date: dt.date
    payee: str = ""
    memo: str = ""
    entry_id: str = field(default_factory=new_id)


@dataclass(frozen=True, kw_only=True)
class Withdraw(Command):
    """Money out of an asset account, to an expense category."""

    account_id: str
    expense_account_id: str
    amount: Decimal
    booking_date: dt.date
    payee: str = ""
    memo: str = ""
    entry_id: str = field(default_factory=new_id)


@dataclass(frozen=True, kw_only=True)
class Transfer(Command):
    """Money between two accounts of one currency."""

    from_account_id: str
    to_account_id: str
    amount: Decimal
    booking_date: dt.date
    payee: str = ""
    memo: str = ""
    entry_id: str = field(default_factory=new_id)


@dataclass(frozen=True, kw_only=True)
class SplitLine:
    """One line of a split: a signed debit-positive amount on an account."""

    account_id: str
    amount: Decimal


@dataclass(frozen=True, kw_only=True)
class PostSplitEntry(Command):
    """An entry over two or more accounts whose lines balance per currency."""

    booking_date: dt.date
    lines: tuple[SplitLine, ...]
    payee: str = ""
    memo: str = ""
    entry_id: str = field(default_factory=new_id)


@dataclass(frozen=True, kw_only=True)
class VoidEntry(Command):
    """Reverse an entry with a compensating event; the original stays in the history."""

    entry_id: str
    voided_on: dt.date
    reason: str = ""


ENTRY_COMMANDS = (Deposit, Withdraw, Transfer, PostSplitEntry)
COMMAND_TYPES: dict[str, type[Command]] = {
    "open_account": OpenAccount,
    "rename_account": RenameAccount,
    "close_account": CloseAccount,
    "deposit": Deposit,
    "withdraw": Withdraw,
    "transfer": Transfer,
    "split": PostSplitEntry,
    "void": VoidEntry,
}
