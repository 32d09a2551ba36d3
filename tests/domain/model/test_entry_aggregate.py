"""Entry: given past events, when posting or voiding, then new events or a specific error."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from domain_given import DAY, World, opened, posted, voided

from domain.model.commands import (
    CorrectEntry,
    Deposit,
    PostSplitEntry,
    SplitLine,
    Transfer,
    VoidEntry,
    Withdraw,
)
from domain.model.entries import Entry, EntryCommand, as_command
from domain.model.errors import (
    AccountClosedError,
    CurrencyMismatch,
    EntryAlreadyVoided,
    InsufficientFunds,
    InvalidAmount,
    InvalidCommand,
    UnbalancedEntry,
    UnknownAccount,
    UnknownEntry,
    WrongAccountType,
)
from domain.model.events import (
    AccountClosed,
    AccountType,
    EntryKind,
    EntryPosted,
    EntryVoided,
    Event,
    Posting,
)

ASSET, INCOME, EXPENSE = AccountType.ASSET, AccountType.INCOME, AccountType.EXPENSE
LIABILITY = AccountType.LIABILITY


def books(*more: Event) -> World:
    """Checking (37.50 EUR, no overdraft), Giro (overdraft), salary, food, a card, USD wallet."""
    return World.given(
        opened("chk", "Checking", opening=3750, overdraft=False),
        opened("giro", "Giro"),
        opened("sal", "Salary", INCOME),
        opened("food", "Food", EXPENSE),
        opened("card", "Card", LIABILITY, overdraft=False),
        opened("usd", "Wallet", currency="USD", overdraft=False),
        *more,
    )


def when_post(world: World, command: EntryCommand) -> list[Event]:
    return world.entry(command.entry_id).post(command, world.accounts)


def when_void(world: World, entry_id: str, **fields: Any) -> list[Event]:
    command = VoidEntry(entry_id=entry_id, voided_on=fields.pop("voided_on", DAY), **fields)
    return world.entry(entry_id).void(command, world.accounts)


def deposit(amount: str = "10", **fields: Any) -> Deposit:
    values: dict[str, Any] = {"account_id": "chk", "income_account_id": "sal", "booking_date": DAY}
    values.update(fields)
    return Deposit(entry_id="e", amount=Decimal(amount), **values)


def withdraw(amount: str = "10", **fields: Any) -> Withdraw:
    values: dict[str, Any] = {
        "account_id": "chk",
        "expense_account_id": "food",
        "booking_date": DAY,
    }
    values.update(fields)
    return Withdraw(entry_id="e", amount=Decimal(amount), **values)


def transfer(amount: str = "10", **fields: Any) -> Transfer:
    values: dict[str, Any] = {
        "from_account_id": "chk",
        "to_account_id": "giro",
        "booking_date": DAY,
    }
    values.update(fields)
    return Transfer(entry_id="e", amount=Decimal(amount), **values)


def split(*lines: tuple[str, str], **fields: Any) -> PostSplitEntry:
    return PostSplitEntry(
        entry_id="e",
        booking_date=DAY,
        lines=tuple(SplitLine(account_id=a, amount=Decimal(m)) for a, m in lines),
        **fields,
    )


def postings(events: list[Event]) -> list[tuple[str, int]]:
    (event,) = events
    assert isinstance(event, EntryPosted | EntryVoided)
    return [(p.account_id, p.amount) for p in event.postings]


# --- Deposit -------------------------------------------------------------------------------


def test_deposit_debits_the_asset_and_credits_the_income() -> None:
    events = when_post(books(), deposit("12.34", payee="  ACME Corp ", memo="March"))
    assert events == [
        EntryPosted(
            entry_id="e",
            kind=EntryKind.DEPOSIT,
            booking_date=DAY,
            payee="ACME Corp",
            memo="March",
            postings=(Posting("chk", "EUR", 1234), Posting("sal", "EUR", -1234)),
        )
    ]


def test_deposit_refuses_a_non_asset_target() -> None:
    with pytest.raises(WrongAccountType, match="must be an asset account, but Food is an expense"):
        when_post(books(), deposit(account_id="food"))


def test_deposit_refuses_a_non_income_source() -> None:
    with pytest.raises(WrongAccountType, match="must be an income account, but Giro is an asset"):
        when_post(books(), deposit(income_account_id="giro"))


def test_deposit_refuses_another_currency() -> None:
    with pytest.raises(CurrencyMismatch, match="Wallet is in USD but Salary is in EUR"):
        when_post(books(), deposit(account_id="usd"))


# --- Withdraw ------------------------------------------------------------------------------


def test_withdraw_credits_the_asset_and_debits_the_expense() -> None:
    events = when_post(books(), withdraw("37.50"))
    assert postings(events) == [("chk", -3750), ("food", 3750)]
    assert isinstance(events[0], EntryPosted)
    assert events[0].kind is EntryKind.WITHDRAWAL


def test_withdraw_refuses_to_overdraw_an_account_without_overdraft() -> None:
    with pytest.raises(InsufficientFunds) as caught:
        when_post(books(), withdraw("50"))
    assert caught.value.message == (
        "Checking would go to -12.50 EUR on 2024-03-01, 12.50 EUR short, but it does not allow "
        "overdraft (balance that day 37.50 EUR, withdrawal 50.00 EUR)"
    )


def test_withdraw_may_overdraw_an_account_that_allows_it() -> None:
    assert postings(when_post(books(), withdraw("50", account_id="giro"))) == [
        ("giro", -5000),
        ("food", 5000),
    ]


def test_withdraw_refuses_a_non_expense_target() -> None:
    with pytest.raises(WrongAccountType, match="expense category of a withdrawal"):
        when_post(books(), withdraw(expense_account_id="sal"))


def test_withdraw_refuses_a_non_asset_source() -> None:
    with pytest.raises(WrongAccountType, match="but Card is a liability account"):
        when_post(books(), withdraw(account_id="card"))


# --- Transfer ------------------------------------------------------------------------------


def test_transfer_moves_money_from_one_account_to_another() -> None:
    events = when_post(books(), transfer("5"))
    assert postings(events) == [("chk", -500), ("giro", 500)]


def test_transfer_may_involve_a_liability() -> None:
    # paying a card bill: the liability (no overdraft flag applies to it) gains a debit
    assert postings(when_post(books(), transfer("5", to_account_id="card"))) == [
        ("chk", -500),
        ("card", 500),
    ]


def test_transfer_refuses_the_same_account_twice() -> None:
    with pytest.raises(InvalidCommand, match="two different accounts, got chk twice"):
        when_post(books(), transfer(to_account_id="chk"))


def test_transfer_refuses_two_currencies() -> None:
    with pytest.raises(CurrencyMismatch, match="Checking is in EUR but Wallet is in USD"):
        when_post(books(), transfer(to_account_id="usd"))


def test_transfer_refuses_to_overdraw() -> None:
    with pytest.raises(InsufficientFunds, match=r"transfer 40\.00 EUR"):
        when_post(books(), transfer("40"))


# --- rules shared by all entries -----------------------------------------------------------


@pytest.mark.parametrize("make", [deposit, withdraw, transfer])
@pytest.mark.parametrize("amount", ["0", "-1"])
def test_entries_refuse_an_amount_that_is_not_positive(make: Any, amount: str) -> None:
    with pytest.raises(InvalidAmount, match="amount must be positive"):
        when_post(books(), make(amount))


@pytest.mark.parametrize(
    ("amount", "message"),
    [(1.5, "float"), (Decimal("0.001"), "more decimals"), (Decimal("1E13") + 1, "beyond")],
)
def test_entries_refuse_an_inexact_amount(amount: Any, message: str) -> None:
    command = Deposit(
        entry_id="e", account_id="chk", income_account_id="sal", amount=amount, booking_date=DAY
    )
    with pytest.raises(InvalidAmount, match=message):
        when_post(books(), command)


@pytest.mark.parametrize("make", [deposit, withdraw, transfer])
def test_entries_refuse_an_unknown_account(make: Any) -> None:
    with pytest.raises(UnknownAccount, match="no account with id chk"):
        when_post(World.given(opened("giro"), opened("sal", account_type=INCOME)), make())


@pytest.mark.parametrize("make", [deposit, withdraw, transfer])
def test_entries_refuse_a_closed_account(make: Any) -> None:
    world = books(AccountClosed(account_id="chk", closed_on=dt.date(2024, 2, 1)))
    with pytest.raises(AccountClosedError, match="Checking was closed on 2024-02-01"):
        when_post(world, make())


def test_entries_refuse_a_datetime_as_booking_date() -> None:
    with pytest.raises(InvalidCommand, match="booking date must be a date"):
        when_post(books(), deposit(booking_date=dt.datetime(2024, 3, 1, 9, 30)))


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"payee": "p" * 501}, "payee is 501 characters long; the limit is 500"),
        ({"memo": "m" * 501}, "memo is 501 characters long"),
        ({"payee": "two\nlines"}, "payee 'two\\\\nlines' contains control characters"),
        ({"memo": "bell\a"}, "memo .* contains control characters"),
        ({"payee": None}, "payee must be text"),
    ],
)
def test_entries_refuse_bad_payee_or_memo(fields: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidCommand, match=message):
        when_post(books(), deposit(**fields))


def test_unprintable_text_is_refused_only_for_control_characters() -> None:
    # a no-break space and a zero-width joiner are not printable, yet no control characters
    (event,) = when_post(books(), deposit(payee="Caf\u00e9\u00a0Bar\u200d", memo="a\tb"))
    assert isinstance(event, EntryPosted)
    assert event.payee == "Caf\u00e9\u00a0Bar\u200d" and event.memo == "a\tb"
    for payee in ("a\x85b", "tab\there", "del\x7f"):
        with pytest.raises(InvalidCommand, match="contains control characters"):
            when_post(books(), deposit(payee=payee))


def test_entries_keep_a_memo_of_500_characters_over_several_lines() -> None:
    memo = ("m" * 99 + "\n") * 5
    (event,) = when_post(books(), deposit(memo=memo, payee="p" * 500))
    assert isinstance(event, EntryPosted)
    assert event.memo == memo.strip()


def test_entries_refuse_an_entry_id_in_use() -> None:
    world = books(posted("e", ("chk", 100), ("sal", -100), kind=EntryKind.DEPOSIT))
    with pytest.raises(InvalidCommand, match="entry id e is already used by the deposit of"):
        when_post(world, deposit())


@pytest.mark.parametrize("bad_id", ["", "  ", "a b", None])
def test_entries_refuse_a_malformed_account_id(bad_id: object) -> None:
    with pytest.raises(InvalidCommand, match="account_id must be a non-empty id"):
        when_post(books(), deposit(account_id=bad_id))


# --- PostSplitEntry ------------------------------------------------------------------------


def test_split_posts_every_line() -> None:
    events = when_post(books(), split(("food", "30"), ("giro", "-20"), ("chk", "-10")))
    assert postings(events) == [("food", 3000), ("giro", -2000), ("chk", -1000)]
    assert isinstance(events[0], EntryPosted)
    assert events[0].kind is EntryKind.SPLIT


def test_split_balances_per_currency() -> None:
    world = books(opened("usdx", "USD expenses", EXPENSE, currency="USD"))
    events = when_post(world, split(("food", "1"), ("chk", "-1"), ("usdx", "-2"), ("usd", "2")))
    assert len(postings(events)) == 4


def test_split_refuses_a_single_line() -> None:
    with pytest.raises(InvalidCommand, match="at least two lines, got 1"):
        when_post(books(), split(("food", "1")))


def test_split_refuses_a_zero_line() -> None:
    with pytest.raises(InvalidAmount, match=r"split line 2 \(Giro\) has a zero amount"):
        when_post(books(), split(("food", "1"), ("giro", "0"), ("chk", "-1")))


def test_split_refuses_lines_that_do_not_balance() -> None:
    with pytest.raises(UnbalancedEntry) as caught:
        when_post(books(), split(("food", "100"), ("chk", "-30"), ("giro", "-65")))
    assert caught.value.message == (
        "the lines do not balance in EUR: debits 100.00 EUR, credits 95.00 EUR, off by 5.00 EUR"
    )


def test_split_refuses_lines_that_balance_only_across_currencies() -> None:
    with pytest.raises(UnbalancedEntry, match="do not balance in EUR"):
        when_post(books(), split(("food", "1"), ("usd", "-1")))


def test_split_refuses_a_single_account() -> None:
    with pytest.raises(InvalidCommand, match="two different accounts"):
        when_post(books(), split(("giro", "1"), ("giro", "-1")))


def test_split_checks_overdraft_on_the_net_change_per_account() -> None:
    world = books()
    # 30 out and 10 back in leaves Checking at 17.50
    assert (
        len(postings(when_post(world, split(("chk", "-30"), ("food", "20"), ("chk", "10"))))) == 3
    )
    with pytest.raises(InsufficientFunds, match=r"Checking would go to -2\.50 EUR.*split 40\.00"):
        when_post(world, split(("chk", "-40"), ("food", "40")))


def test_split_refuses_an_unknown_or_closed_account() -> None:
    with pytest.raises(UnknownAccount, match="nope"):
        when_post(books(), split(("food", "1"), ("nope", "-1")))
    with pytest.raises(AccountClosedError):
        world = books(AccountClosed(account_id="food", closed_on=DAY))
        when_post(world, split(("food", "1"), ("giro", "-1")))


def test_split_refuses_lines_that_are_not_split_lines() -> None:
    command = PostSplitEntry(entry_id="e", booking_date=DAY, lines=(("food", 1), ("chk", -1)))  # type: ignore[arg-type]
    with pytest.raises(InvalidCommand, match="must be a list of SplitLine"):
        when_post(books(), command)


# --- VoidEntry -----------------------------------------------------------------------------

PAY = posted("pay", ("chk", 2000), ("sal", -2000), kind=EntryKind.DEPOSIT, payee="ACME")


def test_void_reverses_with_the_original_postings() -> None:
    events = when_void(books(PAY), "pay", reason="  typo ")
    assert events == [
        EntryVoided(entry_id="pay", voided_on=DAY, reason="typo", postings=PAY.postings)
    ]


def test_void_refuses_an_unknown_entry() -> None:
    with pytest.raises(UnknownEntry, match="no entry with id pay"):
        when_void(books(), "pay")


def test_void_refuses_an_entry_voided_before() -> None:
    world = books(PAY, voided(PAY, on=dt.date(2024, 3, 2)))
    with pytest.raises(
        EntryAlreadyVoided, match=r"deposit of 2024-03-01 \(ACME\) was already voided on 2024-03-02"
    ):
        when_void(world, "pay")


def test_void_refuses_when_an_account_is_closed() -> None:
    entry = posted("x", ("giro", 100), ("food", -100))
    world = books(entry, AccountClosed(account_id="food", closed_on=DAY))
    with pytest.raises(AccountClosedError, match="Food was closed"):
        when_void(world, "x")


def test_void_refuses_to_overdraw() -> None:
    # Checking holds 37.50 + 20.00; spending 50.00 leaves 7.50, so the deposit cannot go
    spend = posted("spend", ("chk", -5000), ("food", 5000))
    with pytest.raises(InsufficientFunds) as caught:
        when_void(books(PAY, spend), "pay")
    assert caught.value.message == (
        "Checking would go to -12.50 EUR on 2024-03-01, 12.50 EUR short, but it does not allow "
        "overdraft (balance that day 7.50 EUR, void 20.00 EUR)"
    )


def test_void_refuses_a_datetime_and_a_long_reason() -> None:
    with pytest.raises(InvalidCommand, match="void date"):
        when_void(books(PAY), "pay", voided_on=dt.datetime(2024, 3, 1, 1, 0))
    with pytest.raises(InvalidCommand, match="reason is 501"):
        when_void(books(PAY), "pay", reason="r" * 501)


# --- CorrectEntry --------------------------------------------------------------------------


def when_correct(world: World, entry_id: str, replacement: object, reason: str = "") -> list[Event]:
    command = CorrectEntry(entry_id=entry_id, replacement=replacement, reason=reason)  # type: ignore[arg-type]
    new_id = getattr(replacement, "entry_id", "e")
    return world.entry(entry_id).correct(command, world.entry(new_id), world.accounts)


def test_correct_voids_on_the_original_date_and_posts_the_replacement() -> None:
    later = DAY + dt.timedelta(days=1)
    events = when_correct(books(PAY), "pay", deposit("25", booking_date=later, payee="ACME"))
    assert events == [
        EntryVoided(entry_id="pay", voided_on=DAY, reason="corrected", postings=PAY.postings),
        EntryPosted(
            entry_id="e",
            kind=EntryKind.DEPOSIT,
            booking_date=later,
            payee="ACME",
            memo="",
            postings=(Posting("chk", "EUR", 2500), Posting("sal", "EUR", -2500)),
        ),
    ]


def test_correct_keeps_the_reason_given() -> None:
    void, _ = when_correct(books(PAY), "pay", deposit("25"), reason=" wrong amount ")
    assert isinstance(void, EntryVoided) and void.reason == "wrong amount"


def test_a_correction_is_checked_for_funds_as_a_whole() -> None:
    # Checking holds 7.50 after spending 50.00: voiding the 20.00 deposit alone would overdraw
    # it (test_void_refuses_to_overdraw), lowering the deposit to 15.00 does not
    spend = posted("spend", ("chk", -5000), ("food", 5000))
    events = when_correct(books(PAY, spend), "pay", deposit("15"))
    assert postings(events[1:]) == [("chk", 1500), ("sal", -1500)]
    with pytest.raises(InsufficientFunds) as caught:
        when_correct(books(PAY, spend), "pay", deposit("10"))
    assert caught.value.message == (
        "Checking would go to -2.50 EUR on 2024-03-01, 2.50 EUR short, but it does not allow "
        "overdraft (balance that day 7.50 EUR, correction 10.00 EUR)"
    )


def test_a_correction_that_changes_nothing_is_refused() -> None:
    world = books(PAY)
    unchanged = as_command(world.entry("pay"))
    with pytest.raises(InvalidCommand, match=r"changes nothing in the deposit of 2024-03-01"):
        when_correct(world, "pay", unchanged)


def test_correct_refuses_an_unknown_or_voided_entry() -> None:
    with pytest.raises(UnknownEntry, match="no entry with id pay"):
        when_correct(books(), "pay", deposit("25"))
    with pytest.raises(EntryAlreadyVoided, match="already voided"):
        when_correct(books(PAY, voided(PAY)), "pay", deposit("25"))


def test_correct_refuses_a_replacement_that_reuses_the_entry_id() -> None:
    with pytest.raises(InvalidCommand, match="entry id pay is already used"):
        when_correct(books(PAY), "pay", dataclasses.replace(deposit("25"), entry_id="pay"))


def test_correct_refuses_a_replacement_that_posts_no_entry() -> None:
    void = VoidEntry(entry_id="pay", voided_on=DAY)
    with pytest.raises(InvalidCommand, match="must be a deposit, withdrawal, transfer or split"):
        when_correct(books(PAY), "pay", void)


def test_correct_refuses_a_replacement_that_breaks_a_rule() -> None:
    with pytest.raises(WrongAccountType, match="must be an income account"):
        when_correct(books(PAY), "pay", deposit("25", income_account_id="food"))


@pytest.mark.parametrize(
    "original",
    [
        PAY,
        posted("w", ("chk", -700), ("food", 700), kind=EntryKind.WITHDRAWAL, payee="Shop"),
        posted("t", ("chk", -300), ("giro", 300), kind=EntryKind.TRANSFER),
        posted("s", ("giro", -900), ("food", 600), ("card", 300)),
        # a deposit whose postings lack a deposit's shape comes back as a split
        posted("odd", ("sal", -100), ("chk", 100), kind=EntryKind.DEPOSIT),
    ],
    ids=["deposit", "withdrawal", "transfer", "split", "odd deposit"],
)
def test_as_command_posts_the_same_entry_again(original: EntryPosted) -> None:
    world = books(original)
    command = as_command(world.entry(original.entry_id))
    (again,) = when_post(world, dataclasses.replace(command, entry_id="again"))
    assert isinstance(again, EntryPosted)
    assert again.postings == original.postings
    assert (again.booking_date, again.payee, again.memo) == (DAY, original.payee, original.memo)
    odd = original.entry_id == "odd"
    assert again.kind is (EntryKind.SPLIT if odd else original.kind)


def test_entry_state_folds_posted_and_voided() -> None:
    entry = Entry.replay("pay", [PAY, voided(PAY)])
    assert (entry.voided, entry.version, entry.postings) == (True, 2, PAY.postings)
    assert Entry.from_snapshot(entry.to_snapshot()) == entry


def test_split_beyond_the_amount_limit_in_total_names_the_rule_broken() -> None:
    # every line is within ±10^13 units; the totals in the messages are not
    with pytest.raises(UnbalancedEntry, match=r"debits 20000000000000\.00 EUR"):
        when_post(books(), split(("food", "1E13"), ("food", "1E13"), ("giro", "-1E13")))
    with pytest.raises(InsufficientFunds, match=r"Checking would go to -19999999999962\.50 EUR"):
        when_post(
            books(), split(("chk", "-1E13"), ("chk", "-1E13"), ("giro", "1E13"), ("giro", "1E13"))
        )


def test_an_account_opened_in_gold_before_it_was_refused_still_takes_entries() -> None:
    # books written before XAU was refused may hold such accounts: their amounts still read
    # (as Babel's two decimals), and entries between them still post
    world = books(opened("gold", "Gold", currency="XAU"), opened("vault", "Vault", currency="XAU"))
    events = when_post(world, transfer("1.25", from_account_id="gold", to_account_id="vault"))
    assert postings(events) == [("gold", -125), ("vault", 125)]
