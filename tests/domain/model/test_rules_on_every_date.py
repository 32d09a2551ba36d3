"""The dated rules: no overdraft on any day (not only today), no entry outside an account's
open period. Given past events, when a command, then events or the error naming the days."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from domain_given import DAY, World, opened, posted, voided

from domain.model.commands import (
    CloseAccount,
    Command,
    CorrectEntry,
    Deposit,
    PostSplitEntry,
    SplitLine,
    Transfer,
    VoidEntry,
    Withdraw,
)
from domain.model.entries import EntryCommand
from domain.model.errors import AccountClosedError, InsufficientFunds, OutsideOpenPeriod
from domain.model.events import AccountClosed, AccountType, EntryKind, EntryPosted, Event


def days(n: int) -> dt.date:
    return DAY + dt.timedelta(days=n)


def books(*more: Event) -> World:
    """Checking (37.50 EUR from DAY, no overdraft), Giro (overdraft), Salary, Food."""
    return World.given(
        opened("chk", "Checking", opening=3750, overdraft=False),
        opened("giro", "Giro"),
        opened("sal", "Salary", AccountType.INCOME),
        opened("food", "Food", AccountType.EXPENSE),
        *more,
    )


def pay(entry_id: str, cents: int, on: dt.date) -> EntryPosted:
    return posted(entry_id, ("chk", cents), ("sal", -cents), kind=EntryKind.DEPOSIT, on=on)


def spent(entry_id: str, cents: int, on: dt.date) -> EntryPosted:
    return posted(entry_id, ("chk", -cents), ("food", cents), kind=EntryKind.WITHDRAWAL, on=on)


# Checking: 37.50 on DAY, 57.50 from DAY+1 (a 20.00 deposit), 7.50 from DAY+5 (50.00 spent)
HISTORY = (pay("pay", 2000, days(1)), spent("spend", 5000, days(5)))


def when(world: World, command: Command) -> list[Event]:
    """Decide ``command`` as the service does (its registered handler)."""
    return world.when(command)


def withdraw(amount: str, on: dt.date, **fields: Any) -> Withdraw:
    return Withdraw(
        entry_id="e",
        account_id="chk",
        expense_account_id="food",
        amount=Decimal(amount),
        booking_date=on,
        **fields,
    )


def deposit(amount: str, on: dt.date) -> Deposit:
    return Deposit(
        entry_id="e2",
        account_id="chk",
        income_account_id="sal",
        amount=Decimal(amount),
        booking_date=on,
    )


def refusal(world: World, command: Command) -> str:
    with pytest.raises(InsufficientFunds) as caught:
        when(world, command)
    return caught.value.message


# --- no overdraft on any day -----------------------------------------------------------------


def test_a_back_dated_withdrawal_may_not_overdraw_the_day_it_is_dated() -> None:
    # the case: 170.50 EUR today, nothing a month ago
    world = books(pay("big", 17050, days(30)))
    assert refusal(world, withdraw("100", days(10))) == (
        "Checking would go to -62.50 EUR on 2024-03-11, 62.50 EUR short, but it does not allow "
        "overdraft (balance that day 37.50 EUR, withdrawal 100.00 EUR)"
    )
    assert when(world, withdraw("100", days(30)))  # on the day the money came, it fits


def test_a_back_dated_withdrawal_may_not_overdraw_a_later_day() -> None:
    # 10.00 on DAY+1 leaves 47.50 that day, but 7.50 - 10.00 from DAY+5 on
    message = refusal(books(*HISTORY), withdraw("10", days(1)))
    assert message.startswith("Checking would go to -2.50 EUR on 2024-03-06, 2.50 EUR short")
    assert "(balance that day 7.50 EUR, withdrawal 10.00 EUR)" in message
    assert when(books(*HISTORY), withdraw("7.50", days(1)))


def test_a_back_dated_transfer_and_split_line_are_held_to_it_too() -> None:
    world = books(*HISTORY)
    transfer = Transfer(
        entry_id="e",
        from_account_id="chk",
        to_account_id="giro",
        amount=Decimal("10"),
        booking_date=days(2),
    )
    assert "on 2024-03-06, 2.50 EUR short" in refusal(world, transfer)
    split = PostSplitEntry(
        entry_id="e",
        booking_date=days(2),
        lines=(
            SplitLine(account_id="chk", amount=Decimal("-8")),
            SplitLine(account_id="food", amount=Decimal("8")),
        ),
    )
    assert "-0.50 EUR on 2024-03-06, 0.50 EUR short" in refusal(world, split)
    # money into the account on a split is never refused, whatever the day
    assert when(world, dataclasses.replace(split, lines=tuple(reversed(_negated(split)))))


def _negated(split: PostSplitEntry) -> list[SplitLine]:
    return [SplitLine(account_id=line.account_id, amount=-line.amount) for line in split.lines]


def test_a_void_of_a_deposit_dated_before_the_spending_it_covered_is_refused() -> None:
    world = books(*HISTORY)
    message = refusal(world, VoidEntry(entry_id="pay", voided_on=days(2)))
    assert message.startswith("Checking would go to -12.50 EUR on 2024-03-06, 12.50 EUR short")
    assert message.endswith("(balance that day 7.50 EUR, void 20.00 EUR)")


def test_a_correction_that_moves_a_deposit_after_the_spending_is_refused() -> None:
    world = books(*HISTORY)
    later = CorrectEntry(entry_id="pay", replacement=deposit("20", days(6)))
    message = refusal(world, later)
    assert message.startswith("Checking would go to -12.50 EUR on 2024-03-06, 12.50 EUR short")
    assert message.endswith("(balance that day 7.50 EUR, correction 20.00 EUR)")
    # moved earlier, or lowered by what the account can spare, it is fine
    assert when(world, CorrectEntry(entry_id="pay", replacement=deposit("20", DAY)))
    assert when(world, CorrectEntry(entry_id="pay", replacement=deposit("12.50", days(1))))


def test_a_day_counts_with_its_whole_net() -> None:
    # a deposit covers a withdrawal of the same day, whichever was entered first
    world = books(pay("pay", 2000, days(1)))
    assert when(world, withdraw("57.50", days(1)))
    entered_first = books(spent("spend", 5000, days(1)), pay("pay", 2000, days(1)))
    assert when(entered_first, withdraw("7.50", days(1)))
    assert "-0.01 EUR on 2024-03-02, 0.01 EUR short" in refusal(
        entered_first, withdraw("7.51", days(1))
    )


def test_a_book_already_below_zero_on_a_day_still_takes_money_in_but_no_more_out() -> None:
    # written before the rule held on every day: -12.50 on DAY+1, fine again from DAY+2
    world = books(spent("old", 5000, days(1)), pay("pay", 2000, days(2)))
    assert when(world, deposit("1", days(1)))
    assert "-13.50 EUR on 2024-03-02" in refusal(world, withdraw("1", days(1)))
    assert when(world, withdraw("7.50", days(2)))


def test_the_rule_sees_a_later_void_and_ignores_accounts_that_allow_overdraft() -> None:
    world = books(pay("pay", 2000, days(1)), voided(pay("pay", 2000, days(1)), on=days(3)))
    assert "-2.50 EUR on 2024-03-04" in refusal(world, withdraw("40", days(1)))
    giro = dataclasses.replace(withdraw("500", days(1)), account_id="giro")
    assert when(books(*HISTORY), giro)


# --- no entry outside an account's open period ---------------------------------------------


def test_entries_may_not_be_dated_before_an_account_opened() -> None:
    with pytest.raises(OutsideOpenPeriod) as caught:
        when(books(), deposit("10", DAY - dt.timedelta(days=2)))
    assert caught.value.message == (
        "Checking was opened on 2024-03-01 and takes no entry dated before it, "
        "but this one is dated 2024-02-28"
    )
    # the other side of the entry counts too, and so does a split line
    world = books(opened("old", "Old Giro", on=days(-9)))
    early: EntryCommand = dataclasses.replace(withdraw("1", days(-1)), account_id="old")
    with pytest.raises(OutsideOpenPeriod, match="Food was opened on 2024-03-01"):
        when(world, early)
    lines = (
        SplitLine(account_id="old", amount=Decimal("-1")),
        SplitLine(account_id="food", amount=Decimal("1")),
    )
    with pytest.raises(OutsideOpenPeriod, match="Food was opened"):
        when(world, PostSplitEntry(entry_id="e", booking_date=days(-1), lines=lines))
    assert when(books(), deposit("10", DAY))  # the opening day itself is fine


def test_a_void_may_not_be_dated_before_an_account_opened() -> None:
    with pytest.raises(OutsideOpenPeriod, match="but this one is dated 2024-02-29"):
        when(books(*HISTORY), VoidEntry(entry_id="pay", voided_on=days(-1)))


def test_an_entry_on_a_closed_account_names_both_dates() -> None:
    world = books(AccountClosed(account_id="giro", closed_on=days(3)))
    move = Transfer(
        entry_id="e",
        from_account_id="chk",
        to_account_id="giro",
        amount=Decimal("1"),
        booking_date=days(5),
    )
    with pytest.raises(AccountClosedError) as caught:
        when(world, move)
    assert caught.value.message == (
        "Giro was closed on 2024-03-04 and takes no new entries (this one is dated 2024-03-06)"
    )


def test_an_account_closes_neither_before_its_opening_nor_before_its_last_entry() -> None:
    world = World.given(
        opened("wallet", "Wallet", on=days(1)),
        opened("sal", "Salary", AccountType.INCOME),
        opened("food", "Food", AccountType.EXPENSE),
        posted("in", ("wallet", 500), ("sal", -500), on=days(2)),
        posted("out", ("wallet", -500), ("food", 500), on=days(4)),
    )
    with pytest.raises(OutsideOpenPeriod) as caught:
        when(world, CloseAccount(account_id="wallet", closed_on=days(3)))
    assert caught.value.message == (
        "Wallet cannot be closed on 2024-03-04: it has an entry dated 2024-03-05, after that day"
    )
    with pytest.raises(OutsideOpenPeriod, match="before it was opened on 2024-03-02"):
        when(world, CloseAccount(account_id="wallet", closed_on=DAY))
    (closed,) = when(world, CloseAccount(account_id="wallet", closed_on=days(4)))
    assert closed == AccountClosed(account_id="wallet", closed_on=days(4))
