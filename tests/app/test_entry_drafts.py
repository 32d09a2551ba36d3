"""Which command an entry row makes, and what a payee's last entry fills in."""

from __future__ import annotations

from decimal import Decimal

import pytest
from app_helpers import DAY

from app.entry_drafts import Draft, Fill, debits_of, entry_command, fill_from
from domain.model.commands import Deposit, Transfer, Withdraw
from domain.model.events import AccountType
from domain.projections.payees import LastEntry
from domain.projections.rows import AccountRow


def account(account_id: str, kind: AccountType) -> AccountRow:
    return AccountRow(account_id, account_id.title(), kind, "EUR", 0, False, True, 1, 1)


CHECKING = account("checking", AccountType.ASSET)
SAVINGS = account("savings", AccountType.ASSET)
CARD = account("card", AccountType.LIABILITY)
SALARY = account("salary", AccountType.INCOME)
FOOD = account("food", AccountType.EXPENSE)


def draft(mine: AccountRow, other: AccountRow, debit: str) -> Draft:
    return Draft(mine, other, Decimal(debit), DAY, "Payee", "memo")


@pytest.mark.parametrize(
    ("mine", "other", "debit", "kind", "debits"),
    [
        (CHECKING, SALARY, "10", Deposit, {"checking": 10, "salary": -10}),
        (SALARY, CHECKING, "-10", Deposit, {"checking": 10, "salary": -10}),
        (CHECKING, FOOD, "-10", Withdraw, {"checking": -10, "food": 10}),
        (FOOD, CHECKING, "10", Withdraw, {"checking": -10, "food": 10}),
        # a refund: money back from an expense is no withdrawal, but it still balances
        (CHECKING, FOOD, "10", Transfer, {"checking": 10, "food": -10}),
        (CHECKING, SAVINGS, "-10", Transfer, {"checking": -10, "savings": 10}),
        (CARD, FOOD, "-10", Transfer, {"card": -10, "food": 10}),
    ],
)
def test_the_other_accounts_type_decides_the_command(
    mine: AccountRow, other: AccountRow, debit: str, kind: type, debits: dict[str, int]
) -> None:
    command = entry_command(draft(mine, other, debit))
    assert type(command) is kind
    assert debits_of(command) == {a: Decimal(d) for a, d in debits.items()}
    assert (command.booking_date, command.payee, command.memo) == (DAY, "Payee", "memo")


def by_id(account_id: str) -> AccountRow | None:
    return {a.account_id: a for a in (CHECKING, SAVINGS, CARD, SALARY, FOOD)}.get(account_id)


def test_a_payees_last_entry_fills_the_other_account_and_amount_as_seen_from_here() -> None:
    bought = LastEntry("Shop", "milk", {"checking": -250, "food": 250}, 7)
    assert fill_from(bought, "checking", by_id) == Fill("food", "milk", -250)
    assert fill_from(bought, "food", by_id) == Fill("checking", "milk", 250)
    # learned in Checking, typed in the card's register: the category goes against the card
    assert fill_from(bought, "card", by_id) == Fill("food", "milk", -250)
    split = LastEntry("Shop", "big", {"checking": -300, "food": 200, "card": 100}, 8)
    assert fill_from(split, "checking", by_id) == Fill(None, "big", -300)
