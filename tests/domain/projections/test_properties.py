"""Property: for every position p, the read models as of p (kept up to date command by
command) equal the rebuilt read models as of p and the pure fold of events 1..p.

Random command sequences run through BookService on a real book file; many commands are
refused (wrong account types, overdrafts, closed accounts, double voids, duplicate names,
unbalanced splits, mixed currencies) and must leave no trace. TALLYBOOK_STRESS=N runs N times
as many, and longer, sequences.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st
from projection_book import DAY, Book, block_size, make_book, open_one_sided_account

from domain.model.commands import (
    CloseAccount,
    Command,
    CorrectEntry,
    Deposit,
    MoveAccount,
    OpenAccount,
    PostSplitEntry,
    RenameAccount,
    SplitLine,
    Transfer,
    VoidEntry,
    Withdraw,
)
from domain.model.errors import DomainError
from domain.model.events import AccountType
from domain.model.money import minor_digits
from domain.projections import FoldedBooks, ReadModels

STRESS = max(1, int(os.environ.get("TALLYBOOK_STRESS", "1")))
NAMES = ("Checking", "Savings", "Cash", "Salary", "Food", "Rent", "Card", " checking")
CURRENCIES = ("EUR", "EUR", "EUR", "JPY")

Op = tuple[Any, ...]
index = st.integers(min_value=0, max_value=50)
minor = st.integers(min_value=1, max_value=30_000)
day = st.integers(min_value=-30, max_value=30)
typed = st.integers(min_value=0, max_value=7).map(bool)  # mostly pick fitting accounts


def open_op(account_type: st.SearchStrategy[AccountType]) -> st.SearchStrategy[Op]:
    return st.tuples(
        st.just("open"),
        # a few names, so duplicates (also " checking" vs "Checking") get refused now and then
        st.tuples(st.sampled_from(NAMES), st.sampled_from(("", "", " 2", " 3"))).map("".join),
        account_type,
        st.sampled_from(CURRENCIES),
        st.one_of(st.just(0), st.integers(min_value=0, max_value=50_000)),
        st.booleans(),
        st.one_of(st.none(), index),  # a parent: one of the accounts so far, usually none
    )


entry_ops: st.SearchStrategy[Op] = st.one_of(
    st.tuples(st.just("deposit"), typed, index, index, minor, day, st.sampled_from(("", "ACME"))),
    st.tuples(st.just("withdraw"), typed, index, index, minor, day, st.sampled_from(("", "Shop"))),
    st.tuples(st.just("transfer"), typed, index, index, minor, day),
    st.tuples(
        st.just("split"),
        typed,
        st.lists(st.tuples(index, minor), min_size=1, max_size=4),
        st.integers(min_value=0, max_value=5).map(bool),  # balance the last line, mostly
        day,
    ),
)
ops: st.SearchStrategy[Op] = st.one_of(
    open_op(st.sampled_from(list(AccountType))),
    entry_ops,
    entry_ops,
    entry_ops,
    st.tuples(st.just("void"), index, st.sampled_from(("", "typo"))),
    st.tuples(st.just("correct"), index, entry_ops),
    st.tuples(st.just("rename"), index, st.sampled_from(NAMES)),
    # under one of its type (some make cycles, refused), or back to the top
    st.tuples(st.just("move"), index, st.one_of(st.none(), index)),
    st.tuples(st.just("move"), index, st.one_of(st.none(), index)),
    st.tuples(st.just("close"), index, day),
    # an account opened by an older Tallybook: its opening balance on AccountOpened alone
    st.tuples(st.just("one-sided"), st.sampled_from(CURRENCIES), minor),
)
# every program starts by opening an asset, an income and an expense account
programs = st.tuples(
    open_op(st.just(AccountType.ASSET)),
    open_op(st.just(AccountType.INCOME)),
    open_op(st.just(AccountType.EXPENSE)),
    st.lists(ops, min_size=15, max_size=40 * STRESS),
).map(lambda t: [t[0], t[1], t[2], *t[3]])


def _money(minor_units: int, currency: str) -> Decimal:
    return Decimal(minor_units).scaleb(-minor_digits(currency))


class Runner:
    """Turns abstract operations into commands against the accounts and entries so far."""

    def __init__(self, book: Book) -> None:
        self.book = book
        self.accounts: list[tuple[str, str, AccountType]] = []  # (id, currency, type)
        self.entries: list[str] = []
        self.refused = 0

    def account(
        self, i: int, types: tuple[AccountType, ...] = (), currency: str = ""
    ) -> tuple[str, str, AccountType]:
        """The i-th account (cyclically) of those fitting, or of all if none fit."""
        fitting = [
            a
            for a in self.accounts
            if (not types or a[2] in types) and (not currency or a[1] == currency)
        ]
        pool = fitting or self.accounts
        return pool[i % len(pool)]

    def command(self, op: Op) -> Command | None:
        kind = op[0]
        if kind == "open":
            _, name, account_type, currency, opening, overdraft, parent = op
            return OpenAccount(
                name=name,
                account_type=account_type,
                currency=currency,
                opening_balance=_money(opening, currency),
                opening_date=DAY,
                overdraft_allowed=overdraft,
                parent_id="" if parent is None or not self.accounts else
                self.account(parent, (account_type,))[0],
            )  # fmt: skip
        if not self.accounts:
            return None
        if kind in ("deposit", "withdraw"):
            _, fit, i, j, amount, offset, payee = op
            when = DAY + dt.timedelta(days=offset)
            a, currency, _t = self.account(i, (AccountType.ASSET,) if fit else ())
            other = AccountType.INCOME if kind == "deposit" else AccountType.EXPENSE
            b = self.account(j, (other,) if fit else (), currency if fit else "")[0]
            if kind == "deposit":
                return Deposit(
                    account_id=a,
                    income_account_id=b,
                    booking_date=when,
                    amount=_money(amount, currency),
                    payee=payee,
                )
            return Withdraw(
                account_id=a,
                expense_account_id=b,
                booking_date=when,
                amount=_money(amount, currency),
                payee=payee,
                memo="m",
            )
        if kind == "transfer":
            _, fit, i, j, amount, offset = op
            when = DAY + dt.timedelta(days=offset)
            a, currency, _t = self.account(i)
            b = self.account(j, (), currency if fit else "")[0]
            return Transfer(
                from_account_id=a,
                to_account_id=b,
                booking_date=when,
                amount=_money(amount, currency),
            )
        if kind == "split":
            _, fit, raw_lines, balanced, offset = op
            when = DAY + dt.timedelta(days=offset)
            first = self.account(raw_lines[0][0])
            lines = [(self.account(i, (), first[1] if fit else ""), m) for i, m in raw_lines]
            if balanced and len(lines) >= 2:
                lines[-1] = (lines[-1][0], -sum(m for _a, m in lines[:-1]))
            return PostSplitEntry(
                booking_date=when,
                lines=tuple(
                    SplitLine(account_id=a, amount=_money(m, c)) for (a, c, _t), m in lines
                ),
                payee="Split payee",
            )
        if kind == "void":
            _, i, reason = op
            target = self.entries[i % len(self.entries)] if self.entries else "0" * 32
            return VoidEntry(entry_id=target, voided_on=DAY, reason=reason)
        if kind == "correct":
            _, i, entry_op = op
            target = self.entries[i % len(self.entries)] if self.entries else "0" * 32
            replacement = self.command(entry_op)
            assert isinstance(replacement, Deposit | Withdraw | Transfer | PostSplitEntry)
            return CorrectEntry(entry_id=target, replacement=replacement)
        if kind == "rename":
            return RenameAccount(account_id=self.account(op[1])[0], new_name=op[2])
        if kind == "move":
            moved = self.account(op[1])
            parent = "" if op[2] is None else self.account(op[2], (moved[2],))[0]
            return MoveAccount(account_id=moved[0], new_parent_id=parent)
        return CloseAccount(
            account_id=self.account(op[1])[0], closed_on=DAY + dt.timedelta(days=op[2])
        )

    def run(self, op: Op) -> None:
        if op[0] == "one-sided":
            _, currency, opening = op
            name = f"Old account {len(self.accounts)}"  # a name no command uses
            account_id = open_one_sided_account(self.book, name, currency, opening)
            self.accounts.append((account_id, currency, AccountType.ASSET))
            return
        command = self.command(op)
        if command is None:
            return
        try:
            self.book.run(command)
        except DomainError:
            self.refused += 1
            return
        if isinstance(command, OpenAccount):
            self.accounts.append((command.account_id, command.currency, command.account_type))
        elif isinstance(command, Deposit | Withdraw | Transfer | PostSplitEntry):
            self.entries.append(command.entry_id)
        elif isinstance(command, CorrectEntry):
            self.entries.append(command.replacement.entry_id)


Snapshot = tuple[Any, ...]


def _answers(read_models: ReadModels, p: int, account_ids: list[str]) -> Snapshot:
    """Everything the read models say as of p, in one comparable value."""
    registers = tuple(read_models.register(a, p, 0, 10_000) for a in account_ids)
    counts = tuple(read_models.register_count(a, p) for a in account_ids)
    # a page from the middle must be the same rows, with the same running balances
    pages = tuple(read_models.register(a, p, 2, 3) for a in account_ids)
    return read_models.accounts(p), registers, counts, pages


def _expected(folded: FoldedBooks, account_ids: list[str]) -> Snapshot:
    registers = tuple(folded.register(a) for a in account_ids)
    return (
        folded.accounts(),
        registers,
        tuple(len(r) for r in registers),
        tuple(r[2:5] for r in registers),
    )


def check_books(book: Book, account_ids: list[str]) -> None:
    events = book.events()
    head = len(events)
    assert [e.position for e in events] == list(range(1, head + 1))
    read_models = book.read_models
    assert read_models.checkpoint() == head
    incremental = [_answers(read_models, p, account_ids) for p in range(head + 1)]
    history = read_models.history(0, head + 10)

    assert read_models.rebuild() is True
    rebuilt = [_answers(read_models, p, account_ids) for p in range(head + 1)]

    folded = FoldedBooks()
    for p in range(head + 1):
        if p:
            folded.apply(events[p - 1])
        expected = _expected(folded, account_ids)
        assert incremental[p] == expected, f"incremental read models differ at position {p}"
        assert rebuilt[p] == expected, f"rebuilt read models differ at position {p}"
    assert history == folded.history()
    assert read_models.history(0, head + 10) == history
    for p in range(1, head + 1, 7):
        assert read_models.history_row(p) == history[p - 1]


@settings(
    max_examples=30 * STRESS,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(programs)
def test_incremental_equals_rebuilt_equals_fold_at_every_position(program: list[Op]) -> None:
    # blocks of 3 positions: every as-of answer crosses block edges (BLOCK is 128)
    with tempfile.TemporaryDirectory() as tmp, block_size(3):
        book = make_book(Path(tmp) / "prop.tally")
        try:
            runner = Runner(book)
            for op in program:
                runner.run(op)
            head = book.store.head()[0]
            event(f"events: {head // 10 * 10}+")
            event(f"refused commands: {min(runner.refused, 5)}+")
            kinds = {e.type for e in book.events()}
            event("has a void" if "EntryVoided" in kinds else "no void")
            event("has rename/close" if kinds & {"AccountRenamed", "AccountClosed"} else "-")
            event("has a move" if "AccountMoved" in kinds else "no move")
            one_sided = any(e.data.get("opening_balance") for e in book.events())
            event("has a one-sided opening balance" if one_sided else "all balanced")
            # every account, Opening Balances included, and one never opened
            opened = [e.data["account_id"] for e in book.events() if e.type == "AccountOpened"]
            check_books(book, [*opened, "no-such-account"])
        finally:
            book.store.close()
