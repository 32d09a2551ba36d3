"""A real book with ReadModels as the service's projector, and helpers that run commands."""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from unittest import mock

from domain.application.service import BookService
from domain.model.commands import (
    CloseAccount,
    Command,
    Deposit,
    OpenAccount,
    PostSplitEntry,
    RenameAccount,
    SplitLine,
    Transfer,
    VoidEntry,
    Withdraw,
)
from domain.model.events import AccountType
from domain.projections import FoldedBooks, ReadModels, fold, tables
from domain.store.base import Metadata, NewEvent, StoredEvent
from domain.store.sqlite import SqliteEventStore

DAY = dt.date(2024, 3, 1)


@contextlib.contextmanager
def block_size(positions: int) -> Iterator[None]:
    """Read models keeping rm_blocks rows per ``positions`` positions instead of BLOCK: small
    blocks put block edges among the few events of a test."""
    with mock.patch.object(tables, "BLOCK", positions):
        yield


@contextlib.contextmanager
def span_size(blocks: int) -> Iterator[None]:
    """Month sums kept per span of ``blocks`` blocks instead of SPAN (see block_size)."""
    with mock.patch.object(tables, "SPAN", blocks):
        yield


@dataclass
class Book:
    """A book under test: store, read models and the service that feeds them."""

    path: Path
    store: SqliteEventStore
    read_models: ReadModels
    service: BookService

    def run(self, command: Command) -> list[StoredEvent]:
        return self.service.execute(command)

    def events(self) -> list[StoredEvent]:
        return list(self.store.read_all())

    def folded(self, as_of: int | None = None) -> FoldedBooks:
        return fold(self.store.read_all(), as_of)

    def open(
        self,
        name: str,
        account_type: AccountType,
        opening: str = "0",
        *,
        currency: str = "EUR",
        overdraft: bool = True,
        day: dt.date = DAY,
    ) -> str:
        command = OpenAccount(
            name=name,
            account_type=account_type,
            currency=currency,
            opening_balance=Decimal(opening),
            opening_date=day,
            overdraft_allowed=overdraft,
        )
        self.run(command)
        return command.account_id

    def deposit(
        self, account: str, income: str, amount: str, day: dt.date = DAY, payee: str = ""
    ) -> str:
        command = Deposit(
            account_id=account,
            income_account_id=income,
            amount=Decimal(amount),
            booking_date=day,
            payee=payee,
        )
        self.run(command)
        return command.entry_id

    def withdraw(
        self, account: str, expense: str, amount: str, day: dt.date = DAY, payee: str = ""
    ) -> str:
        command = Withdraw(
            account_id=account,
            expense_account_id=expense,
            amount=Decimal(amount),
            booking_date=day,
            payee=payee,
            memo="a memo",
        )
        self.run(command)
        return command.entry_id

    def transfer(self, source: str, target: str, amount: str, day: dt.date = DAY) -> str:
        command = Transfer(
            from_account_id=source, to_account_id=target, amount=Decimal(amount), booking_date=day
        )
        self.run(command)
        return command.entry_id

    def split(self, lines: dict[str, str], day: dt.date = DAY, payee: str = "") -> str:
        command = PostSplitEntry(
            booking_date=day,
            lines=tuple(SplitLine(account_id=a, amount=Decimal(m)) for a, m in lines.items()),
            payee=payee,
        )
        self.run(command)
        return command.entry_id

    def void(self, entry_id: str, reason: str = "", day: dt.date = DAY) -> None:
        self.run(VoidEntry(entry_id=entry_id, voided_on=day, reason=reason))

    def rename(self, account: str, name: str) -> None:
        self.run(RenameAccount(account_id=account, new_name=name))

    def close(self, account: str, day: dt.date = DAY) -> None:
        self.run(CloseAccount(account_id=account, closed_on=day))


def make_book(path: Path, author: str = "tester") -> Book:
    store = SqliteEventStore.create(path)
    read_models = ReadModels(store)
    service = BookService(store, author=author, projectors=(read_models,))
    return Book(path, store, read_models, service)


def open_one_sided_account(book: Book, name: str, currency: str, opening_minor: int) -> str:
    """Append and project an asset account's AccountOpened of the current schema carrying its
    opening balance, with no entry against Opening Balances: what Tallybook wrote before
    opening balances were entries (the projections still read such books); its id."""
    account_id = uuid.uuid4().hex
    data = {
        "account_id": account_id,
        "name": name,
        "account_type": "asset",
        "currency": currency,
        "opening_balance": opening_minor,
        "opening_date": DAY.isoformat(),
        "overdraft_allowed": True,
    }
    stored = book.store.append(
        [NewEvent(f"account-{account_id}", "AccountOpened", 2, data, ("chart",))],
        {f"account-{account_id}": 0, "chart": book.store.stream_version("chart")},
        Metadata(command_id=uuid.uuid4().hex),
    )
    book.read_models.apply(stored)
    return account_id


def open_legacy_account(book: Book) -> str:
    """Append and project a real AccountOpened of schema 1 ("Legacy", opening balance 12.30
    as a decimal string, no overdraft field), as an older Tallybook stored it; its id."""
    account_id = uuid.uuid4().hex
    data = {
        "account_id": account_id,
        "name": "Legacy",
        "account_type": "asset",
        "currency": "EUR",
        "opening_balance": "12.30",
        "opening_date": "2020-01-01",
    }
    stored = book.store.append(
        [NewEvent(f"account-{account_id}", "AccountOpened", 1, data, ("chart",))],
        {f"account-{account_id}": 0, "chart": 0},
        Metadata(command_id=uuid.uuid4().hex),
    )
    book.read_models.apply(stored)
    return account_id
