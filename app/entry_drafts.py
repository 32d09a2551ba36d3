"""What the register's entry row records, without Qt: the command a row's fields make (by the
counter-account's type) and what a known payee's latest entry fills in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from domain.model.commands import Deposit, Transfer, Withdraw
from domain.model.events import AccountType
from domain.projections.payees import LastEntry
from domain.projections.rows import AccountRow

_CATEGORIES = (AccountType.INCOME, AccountType.EXPENSE)


@dataclass(frozen=True, slots=True)
class Draft:
    """A complete row: ``debit`` is signed, money into the register's account above zero."""

    account: AccountRow
    counter: AccountRow
    debit: Decimal
    booking_date: dt.date
    payee: str
    memo: str


def entry_command(draft: Draft) -> Deposit | Withdraw | Transfer:
    """A deposit (asset from income), a withdrawal (asset to expense), else a transfer."""
    mine, other, debit = draft.account, draft.counter, draft.debit
    day, payee, memo = draft.booking_date, draft.payee, draft.memo
    asset, cash = (mine, other) if mine.account_type is AccountType.ASSET else (other, mine)
    into_asset = debit > 0 if asset is mine else debit < 0
    amount = abs(debit)
    if asset.account_type is AccountType.ASSET:
        if cash.account_type is AccountType.INCOME and into_asset:
            return Deposit(account_id=asset.account_id, income_account_id=cash.account_id,
                           amount=amount, booking_date=day, payee=payee,
                           memo=memo)  # fmt: skip
        if cash.account_type is AccountType.EXPENSE and not into_asset:
            return Withdraw(account_id=asset.account_id, expense_account_id=cash.account_id,
                            amount=amount, booking_date=day, payee=payee,
                            memo=memo)  # fmt: skip
    # the account credited gives, the one debited gains
    source, target = (other, mine) if debit > 0 else (mine, other)
    return Transfer(from_account_id=source.account_id, to_account_id=target.account_id,
                    amount=amount, booking_date=day, payee=payee, memo=memo)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Fill:
    """What a known payee puts into a fresh row (the counter-account's id, or None)."""

    counter_id: str | None
    memo: str
    debit: int  # minor units, signed as :attr:`Draft.debit`; 0 when the entry says nothing


def fill_from(
    last: LastEntry, account_id: str, account: Callable[[str], AccountRow | None]
) -> Fill:
    """The counter-account, memo and amount of ``last`` as seen from ``account_id``: its
    other account if it posted to this one, else its category (a split fills the memo)."""
    debits = last.debits
    if len(debits) != 2:
        return Fill(None, last.memo, debits.get(account_id, 0))
    if account_id in debits:
        other = next(a for a in debits if a != account_id)
        return Fill(other, last.memo, debits[account_id])
    # learned in another account: the category goes against this one the same way
    rows = [(a, account(a)) for a in debits]
    category = next((a for a, row in rows if row and row.account_type in _CATEGORIES), None)
    other = category or next(iter(debits))
    return Fill(other, last.memo, -debits[other])


def debits_of(command: Deposit | Withdraw | Transfer) -> dict[str, Decimal]:
    """Account id -> what ``command`` debits it (credits below zero)."""
    amount = command.amount
    if isinstance(command, Deposit):
        return {command.account_id: amount, command.income_account_id: -amount}
    if isinstance(command, Withdraw):
        return {command.account_id: -amount, command.expense_account_id: amount}
    return {command.from_account_id: -amount, command.to_account_id: amount}
