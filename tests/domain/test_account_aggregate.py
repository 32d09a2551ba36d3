"""Account and Chart: given past events, when a command, then new events or a specific error."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from domain_given import DAY, World, opened, posted, voided

from domain.accounts import Account
from domain.chart import Chart, normalise_name
from domain.commands import CloseAccount, OpenAccount, RenameAccount
from domain.errors import (
    AccountClosedError,
    AccountNotEmpty,
    DuplicateAccountName,
    InsufficientFunds,
    InvalidAmount,
    InvalidCommand,
    UnknownAccount,
    UnknownCurrency,
)
from domain.events import AccountClosed, AccountOpened, AccountRenamed, AccountType, Event

INCOME = AccountType.INCOME
LIABILITY = AccountType.LIABILITY


def open_cmd(**overrides: Any) -> OpenAccount:
    fields: dict[str, Any] = {
        "account_id": "new",
        "name": "Savings",
        "account_type": AccountType.ASSET,
        "currency": "EUR",
        "opening_balance": Decimal("0"),
        "opening_date": DAY,
    }
    fields.update(overrides)
    return OpenAccount(**fields)


def when_open(world: World, command: OpenAccount) -> list[Event]:
    return world.account(command.account_id).open(command, world.chart)


# --- OpenAccount ---------------------------------------------------------------------------


def test_open_account_emits_opened_with_trimmed_name_and_minor_units() -> None:
    events = when_open(World(), open_cmd(name="  Savings ", opening_balance=Decimal("12.50")))
    assert events == [
        AccountOpened(
            account_id="new",
            name="Savings",
            account_type=AccountType.ASSET,
            currency="EUR",
            opening_balance=1250,
            opening_date=DAY,
            overdraft_allowed=True,
        )
    ]


def test_open_account_accepts_the_type_as_text() -> None:
    (event,) = when_open(World(), open_cmd(account_type="liability"))
    assert isinstance(event, AccountOpened)
    assert event.account_type is AccountType.LIABILITY


@pytest.mark.parametrize("name", ["savings", " SAVINGS  ", "Savings"])
def test_open_account_refuses_a_name_in_use_ignoring_case_and_spaces(name: str) -> None:
    world = World.given(opened("sav", "Savings"))
    with pytest.raises(DuplicateAccountName, match="'Savings' already exists"):
        when_open(world, open_cmd(name=name))


def test_open_account_refuses_the_name_of_a_closed_account() -> None:
    world = World.given(opened("sav", "Savings"), AccountClosed(account_id="sav", closed_on=DAY))
    with pytest.raises(DuplicateAccountName):
        when_open(world, open_cmd(name="Savings"))


@pytest.mark.parametrize("name", ["", "   ", "\u200b", "\u200b\u2060 ", "a" * 101, "Two\nlines", 7])
def test_open_account_refuses_a_bad_name(name: object) -> None:
    with pytest.raises(InvalidCommand, match="account name"):
        when_open(World(), open_cmd(name=name))


def test_open_account_allows_a_name_of_100_characters() -> None:
    (event,) = when_open(World(), open_cmd(name="a" * 100))
    assert isinstance(event, AccountOpened)
    assert event.name == "a" * 100


@pytest.mark.parametrize("currency", ["XYZ", "eur", "EURO", ""])
def test_open_account_refuses_a_currency_that_is_not_iso(currency: str) -> None:
    with pytest.raises(UnknownCurrency, match=repr(currency)):
        when_open(World(), open_cmd(currency=currency))


@pytest.mark.parametrize(
    ("value", "currency", "message"),
    [
        (1.5, "EUR", "float"),
        (Decimal("1.234"), "EUR", "more decimals than EUR allows"),
        (Decimal("1.5"), "JPY", "more decimals than JPY allows"),
        (Decimal("1E14"), "EUR", "beyond the limit"),
        (Decimal("NaN"), "EUR", "not a finite amount"),
    ],
)
def test_open_account_refuses_an_inexact_opening_balance(
    value: object, currency: str, message: str
) -> None:
    with pytest.raises(InvalidAmount, match=message):
        when_open(World(), open_cmd(opening_balance=value, currency=currency))


def test_open_account_refuses_a_datetime_as_opening_date() -> None:
    with pytest.raises(InvalidCommand, match="opening date must be a date"):
        when_open(World(), open_cmd(opening_date=dt.datetime(2024, 3, 1, 12, 0)))


def test_open_account_refuses_an_unknown_type() -> None:
    with pytest.raises(InvalidCommand, match="'cash' is not an account type"):
        when_open(World(), open_cmd(account_type="cash"))


def test_open_account_refuses_an_id_in_use() -> None:
    world = World.given(opened("new", "Checking"))
    with pytest.raises(InvalidCommand, match="already used by 'Checking'"):
        when_open(world, open_cmd())


def test_open_account_refuses_a_negative_opening_balance_without_overdraft() -> None:
    command = open_cmd(opening_balance=Decimal("-5"), overdraft_allowed=False)
    with pytest.raises(InsufficientFunds, match=r"Savings cannot open at -5\.00 EUR"):
        when_open(World(), command)


def test_open_account_allows_a_negative_opening_balance_with_overdraft() -> None:
    (event,) = when_open(World(), open_cmd(opening_balance=Decimal("-5")))
    assert isinstance(event, AccountOpened)
    assert event.opening_balance == -500


def test_open_account_refuses_a_non_boolean_overdraft_flag() -> None:
    with pytest.raises(InvalidCommand, match="overdraft_allowed"):
        when_open(World(), open_cmd(overdraft_allowed="no"))


def test_open_account_allows_an_opening_date_in_the_past() -> None:
    (event,) = when_open(World(), open_cmd(opening_date=dt.date(1999, 12, 31)))
    assert isinstance(event, AccountOpened)
    assert event.opening_date == dt.date(1999, 12, 31)


# --- RenameAccount -------------------------------------------------------------------------


def test_rename_account_emits_renamed_with_old_and_new_name() -> None:
    world = World.given(opened("chk", "Checking"))
    events = world.account("chk").rename(
        RenameAccount(account_id="chk", new_name=" Giro "), world.chart
    )
    assert events == [AccountRenamed(account_id="chk", old_name="Checking", new_name="Giro")]


def test_rename_account_may_change_only_the_case() -> None:
    world = World.given(opened("chk", "Checking"))
    command = RenameAccount(account_id="chk", new_name="CHECKING")
    assert world.account("chk").rename(command, world.chart)[0] == AccountRenamed(
        account_id="chk", old_name="Checking", new_name="CHECKING"
    )


def test_rename_account_refuses_a_name_another_account_has() -> None:
    world = World.given(opened("chk", "Checking"), opened("sav", "Savings"))
    with pytest.raises(DuplicateAccountName, match="'Savings' already exists"):
        world.account("chk").rename(
            RenameAccount(account_id="chk", new_name="savings"), world.chart
        )


def test_rename_account_refuses_the_same_name() -> None:
    world = World.given(opened("chk", "Checking"))
    with pytest.raises(InvalidCommand, match="already named 'Checking'"):
        world.account("chk").rename(
            RenameAccount(account_id="chk", new_name="Checking "), world.chart
        )


def test_rename_account_refuses_an_unknown_account() -> None:
    with pytest.raises(UnknownAccount, match="no account with id zzz"):
        Account("zzz").rename(RenameAccount(account_id="zzz", new_name="X"), Chart())


def test_rename_account_frees_the_old_name() -> None:
    world = World.given(
        opened("chk", "Checking"),
        AccountRenamed(account_id="chk", old_name="Checking", new_name="Giro"),
    )
    (event,) = when_open(world, open_cmd(name="checking"))
    assert isinstance(event, AccountOpened)
    assert world.chart.id_for("GIRO") == "chk"


def test_rename_account_refuses_a_too_long_name() -> None:
    world = World.given(opened("chk", "Checking"))
    with pytest.raises(InvalidCommand, match="101 characters long; the limit is 100"):
        world.account("chk").rename(
            RenameAccount(account_id="chk", new_name="x" * 101), world.chart
        )


# --- CloseAccount --------------------------------------------------------------------------


def test_close_account_at_zero_emits_closed() -> None:
    entry = posted("e1", ("chk", 500), ("inc", -500))
    world = World.given(opened("chk"), opened("inc", account_type=INCOME), entry, voided(entry))
    events = world.account("chk").close(CloseAccount(account_id="chk", closed_on=DAY))
    assert events == [AccountClosed(account_id="chk", closed_on=DAY)]


def test_close_account_refuses_a_nonzero_balance() -> None:
    world = World.given(opened("loan", "Car loan", LIABILITY, opening=125000))
    with pytest.raises(
        AccountNotEmpty, match=r"Car loan has a balance of 1250\.00 EUR; .* only at 0\.00 EUR"
    ):
        world.account("loan").close(CloseAccount(account_id="loan", closed_on=DAY))


def test_close_account_refuses_an_account_closed_before() -> None:
    world = World.given(opened("chk"), AccountClosed(account_id="chk", closed_on=DAY))
    with pytest.raises(AccountClosedError, match="closed on 2024-03-01"):
        world.account("chk").close(CloseAccount(account_id="chk", closed_on=DAY))


def test_close_account_refuses_an_unknown_account() -> None:
    with pytest.raises(UnknownAccount):
        Account("zzz").close(CloseAccount(account_id="zzz", closed_on=DAY))


def test_close_account_refuses_a_datetime() -> None:
    world = World.given(opened("chk"))
    with pytest.raises(InvalidCommand, match="closing date"):
        world.account("chk").close(
            CloseAccount(account_id="chk", closed_on=dt.datetime(2024, 3, 1, tzinfo=dt.UTC))
        )


# --- the fold ------------------------------------------------------------------------------


def test_balance_folds_opening_and_own_postings_only() -> None:
    entry = posted("e1", ("chk", -700), ("food", 700))
    world = World.given(
        opened("chk", opening=10000),
        opened("food", account_type=AccountType.EXPENSE),
        entry,
        posted("e2", ("chk", 200), ("food", -200)),
        voided(entry),
    )
    checking = world.account("chk")
    assert (checking.balance, checking.version) == (10200, 4)
    assert str(checking.natural_balance) == "102.00 EUR"
    assert world.account("food").balance == -200


def test_liability_opening_balance_is_natural_signed() -> None:
    loan = World.given(opened("loan", account_type=LIABILITY, opening=5000)).account("loan")
    assert loan.balance == -5000
    assert loan.natural_balance.minor == 5000


def test_snapshot_round_trips_the_state() -> None:
    world = World.given(
        opened("chk", "Checking", opening=1),
        AccountClosed(account_id="chk", closed_on=DAY),
    )
    account = world.account("chk")
    assert Account.from_snapshot(account.to_snapshot()) == account
    assert Chart.from_snapshot(world.chart.to_snapshot()) == world.chart


def test_replay_refuses_an_event_of_another_stream() -> None:
    with pytest.raises(ValueError, match="does not belong"):
        Account.replay("chk", [opened("chk"), posted("e", ("a", 1), ("b", -1)), object()])  # type: ignore[list-item]


def test_normalise_name_folds_case_spaces_and_composition() -> None:
    assert normalise_name("  Cafe\u0301 ") == normalise_name("CAFÉ")


def test_close_account_names_a_balance_beyond_the_amount_limit() -> None:
    # each entry is within ±10^13 units, but a balance may add up beyond it: the refusal must
    # still be the closing rule, naming that balance (not a failure to describe it)
    big = 10**15  # 10^13 EUR in cents
    world = World.given(
        opened("chk", "Checking"),
        opened("sal", "Salary", AccountType.INCOME),
        posted("e1", ("chk", big), ("sal", -big)),
        posted("e2", ("chk", big), ("sal", -big)),
    )
    with pytest.raises(AccountNotEmpty, match=r"Checking has a balance of 20000000000000\.00 EUR"):
        world.account("chk").close(CloseAccount(account_id="chk", closed_on=DAY))


def test_a_copy_carries_every_field() -> None:
    original = Account(
        "x", "Card", LIABILITY, "JPY", False, DAY, True, DAY + dt.timedelta(days=1), -5, 7
    )
    for field in dataclasses.fields(Account):  # the example sets each field: none is missed
        assert getattr(original, field.name) != field.default, field.name
    copy = original.copy()
    assert copy == original and copy is not original
    copy.balance += 1
    assert original.balance == -5
