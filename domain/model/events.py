"""Domain events: immutable facts in the past tense, each with a schema version.

Each event type is declared once, here: a frozen dataclass under ``@event_type`` whose fields
and their types give its stored form, with its ``schema_version`` and, from version 2 on, one
static method ``upcast_vN_vM`` per step from each older version (see ``event_schema.py``).
A change to a type's stored form bumps its version and adds the step's upcaster; old books
then read through it everywhere (``from_data``). A new type must also be shown by the read
models (``projections/projector.py``'s ``account_event`` or the entry path), the reference
fold (``projections/fold.py``) and the history (``projections/text.py``'s ``describe``):
each refuses an event type it does not know.

Amounts are integer minor units in the account's currency; postings are signed
debit-positive (a debit adds, a credit subtracts) so every entry sums to zero per currency.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, ClassVar

from domain.model.event_schema import (
    CURRENT_VERSION,
    EVENT_TYPES,
    UPCASTERS,
    E,
    Event,
    Upcaster,
    current_data,
    data_key,
    event_type,
    from_data,
    to_data,
)

__all__ = [
    "CURRENT_VERSION",
    "EVENT_TYPES",
    "UPCASTERS",
    "AccountClosed",
    "AccountMoved",
    "AccountOpened",
    "AccountReconciled",
    "AccountRenamed",
    "AccountReopened",
    "AccountType",
    "BalanceMismatch",
    "ClearedEntry",
    "CommandRedone",
    "CommandUndone",
    "E",
    "EntryKind",
    "EntryPosted",
    "EntryVoided",
    "Event",
    "ImportUndone",
    "ImportedRow",
    "KeptEntry",
    "Posting",
    "ReconciliationReopened",
    "ReplacedEntry",
    "SkippedRow",
    "StatementBalance",
    "StatementImported",
    "Upcaster",
    "current_data",
    "data_key",
    "event_type",
    "from_data",
    "to_data",
]


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
    """What an entry is, as posted: the history's words for it and the rules it follows."""

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


@event_type
@dataclass(frozen=True)
class AccountOpened(Event):
    schema_version: ClassVar[int] = 3
    account_id: str
    name: str
    account_type: AccountType
    currency: str
    opening_balance: int  # minor units, in the account's natural sign (what the user sees)
    opening_date: dt.date
    overdraft_allowed: bool
    parent_id: str = ""  # the account it sits under (Expenses ▸ Car ▸ Fuel); "" at the top

    @staticmethod
    def upcast_v1_v2(data: dict[str, Any]) -> dict[str, Any]:
        # v1 kept the opening balance as a decimal string and had no overdraft flag
        from domain.model.money import Money

        data["opening_balance"] = Money.of(data["opening_balance"], data["currency"]).minor
        data.setdefault("overdraft_allowed", True)
        return data

    @staticmethod
    def upcast_v2_v3(data: dict[str, Any]) -> dict[str, Any]:
        # v2 knew no hierarchy: every account sat at the top of its type
        data.setdefault("parent_id", "")
        return data


@event_type
@dataclass(frozen=True)
class AccountRenamed(Event):
    account_id: str
    old_name: str
    new_name: str


@event_type
@dataclass(frozen=True)
class AccountMoved(Event):
    """An account was put under another parent (``""``: the top of its type)."""

    account_id: str
    old_parent_id: str
    new_parent_id: str


@event_type
@dataclass(frozen=True)
class AccountClosed(Event):
    account_id: str
    closed_on: dt.date


@event_type
@dataclass(frozen=True)
class AccountReopened(Event):
    """A closed account takes entries again: the undo of its closing (``closed_on``)."""

    account_id: str
    closed_on: dt.date


@event_type
@dataclass(frozen=True)
class EntryPosted(Event):
    entry_id: str
    kind: EntryKind
    booking_date: dt.date
    payee: str
    memo: str
    postings: tuple[Posting, ...]


@event_type
@dataclass(frozen=True)
class EntryVoided(Event):
    """A compensating event: the entry's postings are reversed; nothing is deleted."""

    entry_id: str
    voided_on: dt.date
    reason: str
    postings: tuple[Posting, ...]  # the original postings, so folds need not look them up


# --- bank statements ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ImportedRow:
    """Where an imported entry came from: its statement row (the entry's provenance)."""

    entry_id: str
    line: int  # the row's line in the file (or its ordinal, for XML formats)
    bank_id: str  # the bank's id for the transaction (FITID, entry reference), "" if none
    key: str  # what makes the row a duplicate (see domain.model.imports.row_key)
    raw: str  # the row's original text


@dataclass(frozen=True, slots=True)
class SkippedRow:
    """A statement row the import did not post: ``kind`` "duplicate", "pending" or "zero",
    and why, in words."""

    line: int
    key: str
    kind: str
    reason: str


@dataclass(frozen=True, slots=True)
class StatementBalance:
    """A balance the statement states: ``kind`` "opening" or "closing", ``on`` an ISO date or
    "" when the file gives none, ``amount`` minor units from the account holder's side."""

    kind: str
    on: str
    amount: int


@dataclass(frozen=True, slots=True)
class ReplacedEntry:
    """An entry of another account's import that was the other side of this row: voided and
    replaced by ``by``, one transfer between the two accounts (no second entry)."""

    entry_id: str
    by: str


@dataclass(frozen=True, slots=True)
class BalanceMismatch:
    """The statement's closing balance ``stated`` on ``on`` (ISO date) against the account's
    balance that day after the import (``booked``), minor units from the holder's side."""

    on: str
    stated: int
    booked: int


@event_type
@dataclass(frozen=True)
class StatementImported(Event):
    """A bank statement was imported into an account: what the file was, and the entries it
    created (each an EntryPosted of the same change) with their rows. Stored in the import's
    stream and linked into the account's imported-rows stream (the duplicate rule's state)."""

    import_id: str
    account_id: str
    file_name: str
    sha256: str  # of the file's bytes, hex
    format: str
    currency: str
    first_date: str  # the statement's period: ISO dates of its first and last rows, "" if none
    last_date: str
    row_count: int  # rows the statement holds (imported, skipped)
    balances: tuple[StatementBalance, ...]
    rows: tuple[ImportedRow, ...]
    skipped: tuple[SkippedRow, ...]
    linked: tuple[ImportedRow, ...]  # rows matched to entries already there (no new entry)
    replaced: tuple[ReplacedEntry, ...] = ()  # other sides of transfers, made transfers
    mismatches: tuple[BalanceMismatch, ...] = ()  # closing balances the books do not reach

    schema_version = 2

    @staticmethod
    def upcast_v1_v2(data: dict[str, Any]) -> dict[str, Any]:
        # v1 knew neither transfers' other sides nor checked the closing balance
        data.setdefault("replaced", [])
        data.setdefault("mismatches", [])
        return data


@dataclass(frozen=True, slots=True)
class KeptEntry:
    """An entry of an import that its undo left as it was, and why."""

    entry_id: str
    reason: str


@event_type
@dataclass(frozen=True)
class ImportUndone(Event):
    """An import was taken back: its entries were voided (EntryVoided events of the same
    change), but for those ``kept``; the rows of the voided ones may be imported again."""

    import_id: str
    account_id: str
    reason: str
    voided: tuple[ImportedRow, ...]
    kept: tuple[KeptEntry, ...]
    unlinked: tuple[ImportedRow, ...]  # the rows linked to existing entries, released


@event_type
@dataclass(frozen=True)
class ImportRestored(Event):
    """An undone import was redone: the entries its undo voided were posted again (the
    EntryPosted events of the same change, under new ids, listed in ``restored``), and its
    rows, and the links its undo released (``relinked``), are this import's again."""

    import_id: str
    account_id: str
    restored: tuple[ImportedRow, ...]
    relinked: tuple[ImportedRow, ...]


@dataclass(frozen=True, slots=True)
class ClearedEntry:
    """An entry a reconciliation cleared, and what it moves on the account (debit-positive)."""

    entry_id: str
    amount: int


@event_type
@dataclass(frozen=True)
class AccountReconciled(Event):
    """An account was reconciled against a statement: the entries it shows were ticked until
    their total, with those of earlier reconciliations, matched the statement's balance."""

    account_id: str
    statement_date: dt.date
    balance: int  # minor units, debit-positive: the reconciled balance
    entries: tuple[ClearedEntry, ...]


@event_type
@dataclass(frozen=True)
class ReconciliationReopened(Event):
    """A change touched an account's reconciled past, in the same change: a reconciled entry
    was voided or corrected (``how`` "voided"; ``amount``, debit-positive, leaves the
    reconciled balance) or an entry was posted on or before the last statement's date
    (``how`` "back-dated"; amount 0). The statement of ``statement_date`` no longer adds up
    as it did."""

    account_id: str
    statement_date: dt.date
    entry_id: str
    how: str
    amount: int


# --- undo and redo ------------------------------------------------------------------------------


@event_type
@dataclass(frozen=True)
class CommandUndone(Event):
    """A change was taken back: the ``compensations`` events of this command before this one
    (always its last) compensate the change ``undone_command_id`` recorded at positions
    ``first_position`` to ``last_position``. ``summary`` says what that change was."""

    undone_command_id: str
    first_position: int
    last_position: int
    compensations: int
    summary: str


@event_type
@dataclass(frozen=True)
class CommandRedone(Event):
    """An undo was taken back: the change ``redone_command_id`` made is made again by the
    ``compensations`` events of this command before this one (always its last), which
    compensate the undo ``undo_command_id`` recorded at ``first_position`` to
    ``last_position``."""

    undo_command_id: str
    redone_command_id: str
    first_position: int
    last_position: int
    compensations: int
    summary: str
