"""Deciding an import: the rules of :class:`ImportStatement` (its undo is in
:mod:`domain.model.import_undo`, the suspense account in :mod:`domain.model.suspense`).

Each new row becomes an ordinary entry (a deposit, withdrawal or transfer by the types of its
two accounts), posted by the entry rules against a simulated copy of the accounts, row after
row, so the no-overdraft rule sees the balance each row leaves. A row without a category goes
against the suspense account **Uncategorised** (equity, of the account's currency;
"Uncategorised - USD" for a book's other currencies), opened by the import if the book has
none. Provenance (the import, the row's line or bank id, its text) is in the
:class:`StatementImported` event, which lists the entries the change created.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from typing import Any

from domain.model.accounts import Account, clean_text, require_date, require_id, require_open
from domain.model.chart import Chart
from domain.model.commands import (
    Deposit,
    ImportStatement,
    StatementLine,
    Transfer,
    Withdraw,
)
from domain.model.entries import Entry
from domain.model.errors import (
    CurrencyMismatch,
    DomainError,
    EntryAlreadyVoided,
    InvalidCommand,
    UnknownEntry,
    WrongAccountType,
)
from domain.model.events import (
    AccountType,
    BalanceMismatch,
    EntryPosted,
    EntryVoided,
    Event,
    ImportedRow,
    ReplacedEntry,
    SkippedRow,
    StatementBalance,
    StatementImported,
)
from domain.model.guards import MAX_TEXT
from domain.model.imports import Import, ImportedRows, row_key
from domain.model.money import Money, check_currency, describe
from domain.model.suspense import suspense_account
from domain.model.transfer_sides import MATCH_DAYS
from domain.model.transfer_sides import other_side as _other_side

NO_CURRENCY = "XXX"
MAX_RAW = 4000
"""The longest original row text kept as provenance (an OFX transaction block fits)."""
MAX_FIELD = 300
"""The longest file name, format, hash or bank id."""

Load = Callable[[str], Account]
LoadEntry = Callable[[str], Entry]


def entry_id_of(import_id: str, number: int) -> str:
    """The id of the entry the import's ``number``-th row (from 1) creates."""
    return f"{import_id}-{number}"


def import_statement(
    command: ImportStatement,
    imported: ImportedRows,
    this: Import,
    chart: Chart,
    account: Load,
    entry: LoadEntry,
) -> list[Event]:
    """The events of an import: StatementImported, the suspense account's opening if needed,
    and one EntryPosted per new row."""
    import_id = require_id(command.import_id, "import_id")
    if this.exists:
        raise InvalidCommand(f"import id {import_id} is already used by {this.file_name!r}")
    target = require_open(account(require_id(command.account_id, "account_id")))
    if target.account_type not in (AccountType.ASSET, AccountType.LIABILITY):
        raise WrongAccountType(
            f"a statement is imported into an asset or liability account, but {target.name} "
            f"is an {target.account_type.value} account"
        )
    # "XXX" is ISO 4217's "no currency": a statement saying so says nothing about its currency
    stated = "" if command.currency.strip().upper() == NO_CURRENCY else command.currency
    if stated and check_currency(stated) != target.currency:
        raise CurrencyMismatch(
            f"the statement is in {command.currency} but {target.name} is in {target.currency}"
        )
    file_name = clean_text(command.file_name, "file name", MAX_FIELD)
    sha256 = clean_text(command.sha256, "sha256", MAX_FIELD)
    fmt = clean_text(command.format, "format", MAX_FIELD)
    currency = target.currency
    events: list[Event] = []
    accounts: dict[str, Account] = {target.id: target.copy()}
    kept: list[ImportedRow] = []
    linked: list[ImportedRow] = []
    skipped: list[SkippedRow] = []
    replaced: list[ReplacedEntry] = []
    occurrences: dict[tuple[object, ...], int] = {}
    suspense: list[str] = []  # the suspense account's id, once one is needed

    def counter(row: StatementLine, at: str) -> Account:
        if row.category_id:
            found = accounts.get(row.category_id)
            if found is None:
                found = accounts[row.category_id] = account(row.category_id).copy()
            return require_open(found)
        if not suspense:
            suspense_id, opened = suspense_account(command, chart, account, target)
            suspense.append(suspense_id)
            if opened is not None:
                events.append(opened)
                blank = Account(suspense_id)
                blank.apply(opened)
                accounts[suspense_id] = blank
            else:
                accounts[suspense_id] = account(suspense_id).copy()
        return accounts[suspense[0]]

    dates = []
    for number, row in enumerate(command.rows, start=1):
        at = f"row {number} (line {row.line})"
        try:
            booking_date = require_date(row.booking_date, f"{at}: booking date")
            payee = clean_text(_cut(row.payee, MAX_TEXT), "payee", MAX_TEXT)
            memo = clean_text(_cut(row.memo, MAX_TEXT), "memo", MAX_TEXT)
            bank_id = clean_text(row.bank_id, "bank id", MAX_FIELD)
            raw = clean_text(row.raw[:MAX_RAW], "memo", MAX_RAW)  # newlines and tabs kept
            amount = Money.of(row.amount, currency)
            dates.append(booking_date)
            text = f"{payee} {memo}"
            # the n-th of equal rows (or of rows with one bank id: some banks repeat an id
            # for distinct transactions) is told apart by n, the same n on every import
            same = (bank_id,) if bank_id else (booking_date, amount.minor, _words(text))
            occurrence = occurrences[same] = occurrences.get(same, 0) + 1
            key = row_key(bank_id, booking_date, Decimal(amount.minor), text, occurrence)
            skip = _skip_reason(row, amount, key, imported)
            if skip:
                skipped.append(SkippedRow(row.line, key, *skip))
                continue
            entry_id = entry_id_of(import_id, number)
            new = entry(entry_id)
            side = None
            if row.match_entry_id:
                side = _other_side(row, entry, target, amount, chart, account)
            if side is not None:
                if any(r.entry_id == side.entry_id for r in replaced):
                    raise InvalidCommand(f"entry {side.entry_id} is linked to another row")
                for touched in dict.fromkeys(p.account_id for p in side.entry.postings):
                    if touched not in accounts:
                        accounts[touched] = account(touched).copy()
                posted = side.entry.correct(side.correction(entry_id), new, accounts)
                replaced.append(ReplacedEntry(side.entry_id, entry_id))
            elif row.match_entry_id:
                match = _matched(row, entry, target, amount, imported, linked)
                linked.append(ImportedRow(match, row.line, bank_id, key, raw))
                continue
            else:
                other = counter(row, at)
                made = _entry_command(target, other, row, (payee, memo), amount, entry_id)
                posted = new.post(made, accounts)
        except DomainError as exc:
            raise type(exc)(f"{at}: {exc.message}") from exc
        for event in posted:
            assert isinstance(event, EntryPosted | EntryVoided)
            for touched in dict.fromkeys(p.account_id for p in event.postings):
                accounts[touched].apply(event)
        events.extend(posted)
        kept.append(ImportedRow(entry_id, row.line, bank_id, key, raw))
    header = StatementImported(
        import_id=import_id,
        account_id=target.id,
        file_name=file_name,
        sha256=sha256,
        format=fmt,
        currency=currency,
        first_date=min(dates).isoformat() if dates else "",
        last_date=max(dates).isoformat() if dates else "",
        row_count=len(command.rows),
        balances=tuple(_balance(b.kind, b.amount, b.on, currency) for b in command.balances),
        rows=tuple(kept),
        skipped=tuple(skipped),
        linked=tuple(linked),
        replaced=tuple(replaced),
    )
    header = replace(header, mismatches=_mismatches(accounts[target.id], header))
    return [header, *events]


def _matched(
    row: StatementLine,
    entry: LoadEntry,
    target: Account,
    amount: Money,
    imported: ImportedRows,
    linked: list[ImportedRow],
) -> str:
    """The entry ``row.match_entry_id`` names, checked to be this row: posted, not voided,
    moving the row's amount on the account within MATCH_DAYS of its date, and not linked to
    another row of the account's statements already."""
    entry_id = require_id(row.match_entry_id, "match_entry_id")
    found = entry(entry_id)
    if not found.exists:
        raise UnknownEntry(f"there is no entry with id {entry_id} to link the row to")
    if found.voided:
        raise EntryAlreadyVoided(f"the {found.describe()} was voided: no row links to it")
    moved = sum(p.amount for p in found.postings if p.account_id == target.id)
    if moved != amount.minor:
        raise InvalidCommand(
            f"the {found.describe()} moves {describe(moved, target.currency)} on {target.name}, "
            f"not the row's {describe(amount.minor, target.currency)}"
        )
    if abs((found.booking_date - row.booking_date).days) > MATCH_DAYS:
        raise InvalidCommand(
            f"the {found.describe()} is more than {MATCH_DAYS} days from the row's date "
            f"{row.booking_date}"
        )
    if entry_id in imported.linked or any(r.entry_id == entry_id for r in linked):
        raise InvalidCommand(f"the {found.describe()} is linked to another statement row")
    return entry_id


DUPLICATE, PENDING, ZERO = "duplicate", "pending", "zero"
"""The kinds of :class:`SkippedRow`."""


def _cut(text: str, limit: int) -> str:
    """A bank's text within the books' limit (the row's original text keeps it whole)."""
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _words(text: str) -> str:
    return " ".join(text.split()).casefold()


def _skip_reason(
    row: StatementLine, amount: Money, key: str, imported: ImportedRows
) -> tuple[str, str] | None:
    """(kind, reason) of a row not to post, or None."""
    if row.pending:
        return PENDING, "pending: the bank has not booked it yet"
    if amount.minor == 0:
        return ZERO, "a zero amount: nothing to post"
    if key in imported.keys:
        return DUPLICATE, "already imported" + (f" (bank id {row.bank_id})" if row.bank_id else "")
    return None


def _entry_command(
    target: Account,
    other: Account,
    row: StatementLine,
    texts: tuple[str, str],
    amount: Money,
    entry_id: str,
) -> Deposit | Withdraw | Transfer:
    """A deposit or withdrawal where the accounts' types fit one, else a transfer."""
    # the import's command id is the one: its entries' own (never stored) need no new id
    common: dict[str, Any] = {
        "booking_date": row.booking_date, "payee": texts[0], "memo": texts[1],
        "command_id": entry_id,
    }  # fmt: skip
    size = abs(amount.amount)
    incoming = amount.minor > 0
    if target.account_type is AccountType.ASSET:
        if incoming and other.account_type is AccountType.INCOME:
            return Deposit(
                account_id=target.id, income_account_id=other.id, amount=size,
                entry_id=entry_id, **common,
            )  # fmt: skip
        if not incoming and other.account_type is AccountType.EXPENSE:
            return Withdraw(
                account_id=target.id, expense_account_id=other.id, amount=size,
                entry_id=entry_id, **common,
            )  # fmt: skip
    source, destination = (other, target) if incoming else (target, other)
    return Transfer(
        from_account_id=source.id, to_account_id=destination.id, amount=size,
        entry_id=entry_id, **common,
    )  # fmt: skip


def _mismatches(after: Account, header: StatementImported) -> tuple[BalanceMismatch, ...]:
    """The closing balance against the account's balance on its date after the import (on the
    last row's date when the file gives none). Known where the account keeps its balance by
    day (no overdraft), or nothing is booked after that date; else it is not checked."""
    closing = [b for b in header.balances if b.kind == "closing"]
    on = (closing[-1].on or header.last_date) if closing else ""
    if not on:
        return ()
    day = dt.date.fromisoformat(on)
    if after.daily is not None:
        booked = after.daily.balance_on(day)
    elif day >= after.last_day:
        booked = after.balance
    else:
        return ()
    stated = closing[-1].amount
    return () if booked == stated else (BalanceMismatch(on, stated, booked),)


def _balance(kind: str, amount: Decimal, on: object, currency: str) -> StatementBalance:
    if kind not in ("opening", "closing"):
        raise InvalidCommand(f"a statement balance is opening or closing, not {kind!r}")
    day = "" if on is None else require_date(on, f"the {kind} balance's date").isoformat()
    return StatementBalance(kind, day, Money.of(amount, currency).minor)
