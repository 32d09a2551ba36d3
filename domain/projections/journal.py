"""Plain-text exports of the entries: an hledger journal and a register CSV.

Both walk the events in position order (up to a chosen one) and need nothing from the read
models. Voided entries and their voids are both kept, each on its own date, exactly as the
register shows them: the balances agree on every date, and the journal keeps the history.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TextIO

from domain.model.events import (
    AccountOpened,
    AccountRenamed,
    AccountType,
    EntryPosted,
    EntryVoided,
    Posting,
    from_data,
)
from domain.model.money import decimal_string, minor_digits
from domain.projections.report_table import neutralise
from domain.store.base import StoredEvent

_TOP = {
    AccountType.ASSET: "assets",
    AccountType.LIABILITY: "liabilities",
    AccountType.EQUITY: "equity",
    AccountType.INCOME: "income",
    AccountType.EXPENSE: "expenses",
}
UNPOSTED_OPENINGS = "equity:Opening balances (not posted as entries)"
"""Where the opening balance an old-format ``AccountOpened`` carried itself is balanced."""


@dataclass(frozen=True, slots=True)
class Account:
    account_id: str
    name: str
    account_type: AccountType
    currency: str


@dataclass(frozen=True, slots=True)
class Transaction:
    """One event that moves money: an entry, its void, or an old-style opening balance."""

    position: int
    entry_id: str
    day: dt.date
    payee: str
    memo: str
    postings: tuple[Posting, ...]  # debit-positive, as in the events
    void_of: str | None = None  # the voided entry's id, on a void
    opening: bool = False


@dataclass(slots=True)
class Books:
    """The accounts (names as at the last event read) and the transactions, in order."""

    accounts: dict[str, Account]
    transactions: list[Transaction]


def read_books(events: Iterable[StoredEvent]) -> Books:
    """Fold the events (in position order) into accounts and transactions."""
    accounts: dict[str, Account] = {}
    entries: dict[str, EntryPosted] = {}
    transactions: list[Transaction] = []
    for stored in events:
        event = from_data(stored.type, stored.schema_version, stored.data)
        if isinstance(event, AccountOpened):
            accounts[event.account_id] = Account(
                event.account_id, event.name, event.account_type, event.currency
            )
            if event.opening_balance:
                debit = event.account_type.sign * event.opening_balance
                postings = (Posting(event.account_id, event.currency, debit),)
                transactions.append(Transaction(stored.position, "", event.opening_date,
                                                "Opening balance", event.name, postings,
                                                opening=True))  # fmt: skip
        elif isinstance(event, AccountRenamed):
            old = accounts[event.account_id]
            accounts[event.account_id] = Account(
                old.account_id, event.new_name, old.account_type, old.currency
            )
        elif isinstance(event, EntryPosted):
            entries[event.entry_id] = event
            transactions.append(Transaction(stored.position, event.entry_id, event.booking_date,
                                            event.payee, event.memo, event.postings))  # fmt: skip
        elif isinstance(event, EntryVoided):
            original = entries.get(event.entry_id)
            reversed_ = tuple(Posting(p.account_id, p.currency, -p.amount) for p in event.postings)
            payee = original.payee if original is not None else ""
            transactions.append(Transaction(stored.position, event.entry_id, event.voided_on,
                                            payee, event.reason, reversed_,
                                            void_of=event.entry_id))  # fmt: skip
    return Books(accounts, transactions)


# --- hledger ---------------------------------------------------------------------------------

_SPACES = re.compile(r"\s+")


def _text(text: str) -> str:
    """One line of text: newlines, tabs and runs of spaces become one space (two spaces end
    an hledger account name or description)."""
    return _SPACES.sub(" ", text).strip()


def hledger_names(accounts: Iterable[Account]) -> dict[str, str]:
    """account id -> ``assets:Checking`` style name: a type's top account, then the name with
    the characters hledger reads otherwise (``:`` parts, ``;`` comments, two spaces)
    replaced; a name made equal to another's that way gets its id appended."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for account in sorted(accounts, key=lambda a: a.account_id):
        # behind the type's top account, a leading bracket or status mark is just text
        plain = _text(re.sub(r"[:;]", "-", account.name)) or account.account_id
        name = f"{_TOP[account.account_type]}:{plain}"
        if name.casefold() in taken:
            name = f"{name} {account.account_id}"
        taken.add(name.casefold())
        names[account.account_id] = name
    return names


def _amount(minor: int, currency: str) -> str:
    return f"{decimal_string(minor, currency)} {currency}"


def write_hledger(books: Books, out: TextIO, *, title: str = "") -> None:
    """The journal: declarations, then one transaction per entry, void and old-style opening,
    in position order; amounts in the events' debit-positive sign, the currency code as the
    commodity."""
    names = hledger_names(books.accounts.values())
    out.write(f"; {_text(title)}\n" if title else "")
    out.write("; exported by Tallybook: voided entries and their voids are both included\n")
    out.write("decimal-mark .\n\n")
    currencies = sorted({a.currency for a in books.accounts.values()})
    for currency in currencies:
        digits = minor_digits(currency)
        # the directive needs its decimal mark even with no decimals ("1000.")
        out.write(f"commodity 1000.{'0' * digits} {currency}\n")
    out.write("\n")
    for account_id in sorted(books.accounts, key=lambda a: names[a]):
        out.write(f"account {names[account_id]}  ; id: {account_id}\n")
    if any(t.opening for t in books.transactions):
        out.write(f"account {UNPOSTED_OPENINGS}\n")
    for t in books.transactions:
        out.write("\n")
        description = _text(t.payee) or ("Void" if t.void_of else "Entry")
        if t.void_of:
            description = f"Void: {description}"
        out.write(f"{t.day.isoformat()} (#{t.position}) {description}\n")
        if t.entry_id:
            out.write(f"    ; entry: {t.entry_id}\n")
        if t.memo:
            out.write(f"    ; {'reason' if t.void_of else 'memo'}: {_text(t.memo)}\n")
        for posting in t.postings:
            amount = _amount(posting.amount, posting.currency)
            out.write(f"    {names[posting.account_id]}  {amount}\n")
        if t.opening:
            posting = t.postings[0]
            out.write(f"    {UNPOSTED_OPENINGS}  {_amount(-posting.amount, posting.currency)}\n")


# --- register CSV ----------------------------------------------------------------------------

CSV_COLUMNS = ("position", "entry_id", "date", "account_id", "account", "currency", "amount",
               "payee", "memo", "void")  # fmt: skip


def register_rows(books: Books, account_id: str | None = None) -> Iterator[list[str]]:
    """One row per transaction and account it moves, amounts in the account's natural sign;
    for one account, in (booking date, position) order with a running balance (from zero:
    an old-style opening balance is its first row)."""
    per_line: list[tuple[dt.date, int, Transaction, str, int]] = []
    for t in books.transactions:
        moved: dict[str, int] = {}
        for posting in t.postings:
            moved[posting.account_id] = moved.get(posting.account_id, 0) + posting.amount
        for acct, debit in moved.items():
            if account_id is None or acct == account_id:
                account = books.accounts[acct]
                per_line.append((t.day, t.position, t, acct, account.account_type.sign * debit))
    if account_id is not None:
        per_line.sort(key=lambda row: (row[0], row[1]))
    running = 0
    for day, position, t, acct, amount in per_line:
        account = books.accounts[acct]
        row = [str(position), t.entry_id, day.isoformat(), acct, neutralise(account.name),
               account.currency, decimal_string(amount, account.currency),
               neutralise(t.payee), neutralise(t.memo), "void" if t.void_of else ""]  # fmt: skip
        if account_id is not None:
            running += amount
            row.append(decimal_string(running, account.currency))
        yield row


def write_register_csv(books: Books, out: TextIO, account_id: str | None = None) -> None:
    """The register rows with a header line; text cells neutralised (see ``neutralise``)."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([*CSV_COLUMNS, *(["balance"] if account_id is not None else [])])
    writer.writerows(register_rows(books, account_id))
