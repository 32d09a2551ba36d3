"""Commands: what a person asks the books to do, in the imperative.

Amounts are exact ``Decimal`` values in major units of the account's currency; the aggregate
turns them into minor units and refuses anything inexact. ``command_id`` makes a retried
command a no-op.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
import os
import threading
import time
from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Annotated, Any

from domain.model.events import AccountType

ID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"
"""new_id's digits, in ASCII order so that ids sort as the numbers they spell."""
# every pair of digits, indexed by the 10 bits they spell: an id is 8 lookups (base64's
# b32encode and a translate took four times as long, twice for every entry posted)
_PAIRS = tuple(a + b for a in ID_ALPHABET for b in ID_ALPHABET)
_RANDOM_BITS = 38
_id_lock = threading.Lock()
_last_id = 0
# random bits for ids, drawn from os.urandom 4 KB at a time (as secrets.randbits does, but
# one system call for 800 ids instead of one each); a forked child draws its own
_random = bytearray()
os.register_at_fork(after_in_child=_random.clear)


def _random_bits(bits: int) -> int:
    """``bits`` (at most 40) random bits; call with _id_lock held."""
    if len(_random) < 5:
        _random[:] = os.urandom(4096)
    number = int.from_bytes(_random[-5:], "big") >> 40 - bits
    del _random[-5:]
    return number


def new_id() -> str:
    """A fresh id: 16 characters of ``ID_ALPHABET`` spelling an 80-bit number, the time in
    milliseconds (42 bits, good until 2109) then 38 random bits.

    Half the length of a uuid's hex: ids repeat in every event, stream id and link. Safe in
    URLs, JSON and file names and never starting with "-" (so never taken for a command-line
    option). Ids made later sort later, so the book's indexes keyed by them (entry streams,
    commands) grow at their right edge: one page written per insert, and full pages, where
    random ids touched a random page each time and left pages a third empty. Within one
    process ids strictly increase (the number is bumped past the last one, if need be);
    two processes would need the same millisecond and the same 38 random bits to collide.
    """
    global _last_id
    millis = time.time_ns() // 1_000_000 & (1 << 42) - 1
    with _id_lock:
        number = millis << _RANDOM_BITS | _random_bits(_RANDOM_BITS)
        if number <= _last_id:  # the same millisecond (or the clock went back)
            number = _last_id + 1 + _random_bits(20)  # not merely the last id plus one
        _last_id = number
    return spell_id(number)


def spell_id(number: int) -> str:
    """The 16 digits of ``ID_ALPHABET`` that spell an 80-bit ``number``, most significant
    first (what base32 of its 10 big-endian bytes spells, in this alphabet)."""
    p = _PAIRS
    return (
        p[number >> 70 & 1023] + p[number >> 60 & 1023] + p[number >> 50 & 1023]
        + p[number >> 40 & 1023] + p[number >> 30 & 1023] + p[number >> 20 & 1023]
        + p[number >> 10 & 1023] + p[number & 1023]
    )  # fmt: skip


def created_id() -> str:
    """A field for the id a command gives what it creates (an account, an entry): a new one
    unless given. :func:`fingerprint` leaves such ids out."""
    created: str = field(default_factory=new_id, metadata={"created": True})
    return created


@dataclass(frozen=True, slots=True)
class RefersToAccount:
    """A type-hint marker: the field holds the id of an account that must exist already, so a
    front end may let people name the account instead (see :data:`AccountRef`)."""


AccountRef = Annotated[str, RefersToAccount()]
"""The id of an existing account (not of one the command creates)."""


@dataclass(frozen=True, kw_only=True)
class Command:
    command_id: str = field(default_factory=new_id)


@dataclass(frozen=True, kw_only=True)
class OpenAccount(Command):
    """Open an account. A non-zero opening balance is posted, on the opening date, against
    the equity account "Opening Balances" of the account's currency (opened if need be), so
    the books balance from the first day (see :mod:`domain.model.opening`)."""

    name: str
    account_type: AccountType
    currency: str
    opening_balance: Decimal = Decimal(0)
    opening_date: dt.date
    overdraft_allowed: bool = True
    parent_id: AccountRef = ""  # the account to open it under; "" for the top of its type
    account_id: str = created_id()
    opening_entry_id: str = created_id()  # the opening balance's entry, if there is one
    # the Opening Balances account, if this command has to open it
    opening_balances_account_id: str = created_id()


@dataclass(frozen=True, kw_only=True)
class RenameAccount(Command):
    account_id: AccountRef
    new_name: str


@dataclass(frozen=True, kw_only=True)
class MoveAccount(Command):
    """Put an account under another one of its type (``new_parent_id`` ""): at the top).
    The parent must be open, and not the account itself or one under it."""

    account_id: AccountRef
    new_parent_id: AccountRef = ""


@dataclass(frozen=True, kw_only=True)
class CloseAccount(Command):
    account_id: AccountRef
    closed_on: dt.date


@dataclass(frozen=True, kw_only=True)
class Deposit(Command):
    """Money into an asset account, from an income category."""

    account_id: AccountRef
    income_account_id: AccountRef
    amount: Decimal
    booking_date: dt.date
    payee: str = ""
    memo: str = ""
    entry_id: str = created_id()


@dataclass(frozen=True, kw_only=True)
class Withdraw(Command):
    """Money out of an asset account, to an expense category."""

    account_id: AccountRef
    expense_account_id: AccountRef
    amount: Decimal
    booking_date: dt.date
    payee: str = ""
    memo: str = ""
    entry_id: str = created_id()


@dataclass(frozen=True, kw_only=True)
class Transfer(Command):
    """Money between two accounts of one currency."""

    from_account_id: AccountRef
    to_account_id: AccountRef
    amount: Decimal
    booking_date: dt.date
    payee: str = ""
    memo: str = ""
    entry_id: str = created_id()


@dataclass(frozen=True, kw_only=True)
class SplitLine:
    """One line of a split: a signed debit-positive amount on an account."""

    account_id: AccountRef
    amount: Decimal


@dataclass(frozen=True, kw_only=True)
class PostSplitEntry(Command):
    """An entry over two or more accounts whose lines balance per currency."""

    booking_date: dt.date
    lines: tuple[SplitLine, ...]
    payee: str = ""
    memo: str = ""
    entry_id: str = created_id()


@dataclass(frozen=True, kw_only=True)
class VoidEntry(Command):
    """Reverse an entry with a compensating event; the original stays in the history."""

    entry_id: str
    voided_on: dt.date
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class CorrectEntry(Command):
    """Replace an entry by a corrected one, as one change: the entry is voided on its own
    booking date and ``replacement`` is posted, both or neither. Both stay in the history.
    (The replacement's own ``command_id`` is not used: this command's id is the one.)"""

    entry_id: str
    replacement: Deposit | Withdraw | Transfer | PostSplitEntry
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class StatementLine:
    """One row of a statement to import: a signed amount from the account holder's side
    (positive: money came in) and the counter-account it goes against (``category_id``;
    "" for the suspense account Uncategorised, opened by the import if need be)."""

    line: int
    booking_date: dt.date
    amount: Decimal
    payee: str = ""
    memo: str = ""
    bank_id: str = ""
    raw: str = ""
    pending: bool = False
    category_id: AccountRef = ""
    match_entry_id: str = ""
    """An entry already in the books that is this row (typed by hand): linked, not posted."""


@dataclass(frozen=True, kw_only=True)
class StatementBalanceLine:
    """A balance a statement states (``kind`` "opening" or "closing"), from the account
    holder's side."""

    kind: str
    amount: Decimal
    on: dt.date | None = None


@dataclass(frozen=True, kw_only=True)
class ImportStatement(Command):
    """Import a bank statement into an account, as one change: an entry per new row, rows
    already imported (same bank id, or same date, amount, text and occurrence in the file)
    skipped. Entry ids are ``<import_id>-<row number>``."""

    account_id: AccountRef
    file_name: str
    sha256: str
    format: str
    rows: tuple[StatementLine, ...]
    currency: str = ""
    balances: tuple[StatementBalanceLine, ...] = ()
    import_id: str = created_id()
    suspense_account_id: str = created_id()  # Uncategorised, if this import has to open it


@dataclass(frozen=True, kw_only=True)
class UndoImport(Command):
    """Take an import back: void each of its entries (on its own booking date) that is not
    voided already, in one change."""

    import_id: str
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class Reconcile(Command):
    """Record that a statement ending on ``statement_date`` with ``balance`` (in the account's
    natural sign) shows ``entry_ids`` besides the entries reconciled before."""

    account_id: AccountRef
    statement_date: dt.date
    balance: Decimal
    entry_ids: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class UndoChange(Command):
    """Take back the change command ``undoes`` recorded, by compensating events (a void, a
    reopening, a rename back, …) and a CommandUndone naming it, in one change."""

    undoes: str


@dataclass(frozen=True, kw_only=True)
class RedoChange(Command):
    """Take back the undo ``redoes`` (an UndoChange's command id): the change it undid is
    made again (an entry posted again gets a new id), with a CommandRedone naming it."""

    redoes: str


ENTRY_COMMANDS = (Deposit, Withdraw, Transfer, PostSplitEntry)
"""The commands that post an entry (a correction's replacement is one of them). The names
commands go by are in :mod:`domain.application.handlers`, where each is registered."""


def fingerprint(command: Command) -> bytes:
    """8 bytes naming what ``command`` asks for: its type and its fields, leaving out its own
    id and the ids it gives what it creates (so a retry that let those default again is the
    same command). The store keeps it with the command id, to refuse the id when it comes
    back with another command."""
    # surrogatepass: a lone surrogate in a field must reach the rule that refuses it
    return hashlib.sha256(_JSON(_canonical(command)).encode("utf-8", "surrogatepass")).digest()[:8]


def _canonical(command: Command) -> list[Any]:
    names = _FINGERPRINTED.get(type(command))
    if names is None:
        names = tuple(
            f.name
            for f in fields(command)
            if f.name != "command_id" and not f.metadata.get("created")
        )
        _FINGERPRINTED[type(command)] = names
    # (most fields are text: taken as they are without a call)
    values = [getattr(command, n) for n in names]
    return [type(command).__name__, *[v if type(v) is str else _plain(v) for v in values]]


_FINGERPRINTED: dict[type[Command], tuple[str, ...]] = {}
_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _plain(value: Any) -> Any:
    """A command field as JSON: an amount by its value (1.50 and 1.5 are one amount)."""
    if type(value) is str:  # most fields
        return value
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value.is_finite() else str(value)
    if isinstance(value, enum.Enum):
        return _plain(value.value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, SplitLine):
        return [value.account_id, _plain(value.amount)]
    if isinstance(value, StatementLine | StatementBalanceLine):
        return [_plain(getattr(value, f.name)) for f in fields(value)]
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, Command):  # a correction's replacement
        return _canonical(value)
    return value
