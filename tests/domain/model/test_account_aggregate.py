"""Account and Chart: given past events, when a command, then new events or a specific error."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from domain_given import DAY, World, opened, posted, voided

from domain.model import opening
from domain.model.accounts import Account
from domain.model.chart import Chart, normalise_name
from domain.model.commands import CloseAccount, OpenAccount, RenameAccount
from domain.model.daily import DailyBalances
from domain.model.errors import (
    AccountClosedError,
    AccountNotEmpty,
    DuplicateAccountName,
    InsufficientFunds,
    InvalidAmount,
    InvalidCommand,
    NoOpeningBalancesAccount,
    UnknownAccount,
    UnknownCurrency,
)
from domain.model.events import (
    AccountClosed,
    AccountOpened,
    AccountRenamed,
    AccountType,
    EntryKind,
    EntryPosted,
    Event,
)

INCOME = AccountType.INCOME
LIABILITY = AccountType.LIABILITY
EQUITY = AccountType.EQUITY


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
    return opening.open_account(
        command, world.account(command.account_id), world.chart, world.account, world.entry
    )


# --- OpenAccount ---------------------------------------------------------------------------


def test_open_account_emits_opened_with_trimmed_name() -> None:
    events = when_open(World(), open_cmd(name="  Savings "))
    assert events == [
        AccountOpened(
            account_id="new",
            name="Savings",
            account_type=AccountType.ASSET,
            currency="EUR",
            opening_balance=0,
            opening_date=DAY,
            overdraft_allowed=True,
        )
    ]


def opening_cmd(**overrides: Any) -> OpenAccount:
    """An OpenAccount with an opening balance and the ids its opening creates."""
    fields: dict[str, Any] = {
        "opening_balance": Decimal("12.50"),
        "opening_entry_id": "ob-entry",
        "opening_balances_account_id": "ob",
        **overrides,
    }
    return open_cmd(**fields)


def opening_entry(*legs: tuple[str, int], currency: str = "EUR") -> EntryPosted:
    return posted(
        "ob-entry", *legs, currency=currency, kind=EntryKind.TRANSFER, payee="Opening balance"
    )


def test_an_opening_balance_opens_opening_balances_and_posts_against_it() -> None:
    events = when_open(World(), opening_cmd())
    assert events == [
        opened("new", "Savings"),
        opened("ob", "Opening Balances", AccountType.EQUITY),
        opening_entry(("ob", -1250), ("new", 1250)),  # the side money comes from first
    ]


def test_later_opening_balances_go_against_the_same_account() -> None:
    world = World.given(opened("ob", "opening balances", AccountType.EQUITY))
    events = when_open(world, opening_cmd())
    assert events == [opened("new", "Savings"), opening_entry(("ob", -1250), ("new", 1250))]


def test_a_liability_opening_balance_is_a_credit_to_it() -> None:
    events = when_open(World(), opening_cmd(name="Loan", account_type=LIABILITY))
    assert events[-1] == opening_entry(("new", -1250), ("ob", 1250))


def test_a_negative_opening_balance_with_overdraft_is_a_credit() -> None:
    events = when_open(World(), opening_cmd(opening_balance=Decimal("-5")))
    assert events[-1] == opening_entry(("new", -500), ("ob", 500))


def test_another_currency_gets_its_own_opening_balances_account() -> None:
    world = World.given(opened("ob-eur", "Opening Balances", AccountType.EQUITY))
    events = when_open(world, opening_cmd(currency="USD"))
    assert events[1] == opened("ob", "Opening Balances - USD", AccountType.EQUITY, currency="USD")
    assert events[2] == opening_entry(("ob", -1250), ("new", 1250), currency="USD")


@pytest.mark.parametrize(
    "holder",
    [
        opened("x", "Opening Balances"),  # an asset
        opened("x", "Opening Balances", AccountType.EQUITY, currency="USD"),
        opened("x", "Opening Balances", INCOME),
    ],
    ids=["asset", "other currency", "income"],
)
def test_a_name_held_by_an_account_that_cannot_take_it_moves_to_the_next(
    holder: AccountOpened,
) -> None:
    events = when_open(World.given(holder), opening_cmd())
    assert events[1] == opened("ob", "Opening Balances - EUR", AccountType.EQUITY)


def test_a_closed_opening_balances_account_is_not_used() -> None:
    world = World.given(
        opened("x", "Opening Balances", AccountType.EQUITY),
        AccountClosed(account_id="x", closed_on=DAY),
    )
    assert when_open(world, opening_cmd())[1].account_id == "ob"  # type: ignore[attr-defined]


def test_an_account_named_opening_balances_does_not_take_its_own_opening() -> None:
    events = when_open(World(), opening_cmd(name="Opening Balances", account_type=EQUITY))
    assert events[1] == opened("ob", "Opening Balances - EUR", AccountType.EQUITY)


def test_no_free_opening_balances_name_is_refused() -> None:
    world = World.given(
        opened("x", "Opening Balances"), opened("y", "Opening Balances - EUR", INCOME)
    )
    with pytest.raises(
        NoOpeningBalancesAccount,
        match=r"Savings needs an open equity account in EUR named 'Opening Balances' or "
        r"'Opening Balances - EUR', but both names belong to other accounts",
    ):
        when_open(world, opening_cmd())


def test_the_ids_an_opening_creates_must_be_new() -> None:
    used = World.given(
        opened("ob", "Old"),
        opened("ob-entry-acct"),
        posted("ob-entry", ("ob", 1), ("ob-entry-acct", -1)),
    )
    with pytest.raises(InvalidCommand, match="account id ob is already used"):
        when_open(used, opening_cmd())
    with pytest.raises(InvalidCommand, match="entry id ob-entry is already used"):
        when_open(used, opening_cmd(opening_balances_account_id="fresh"))
    with pytest.raises(InvalidCommand, match="account id new is already used"):
        when_open(World(), opening_cmd(opening_balances_account_id="new"))


def test_a_zero_opening_balance_opens_the_account_alone() -> None:
    assert when_open(World(), open_cmd(opening_balance=Decimal("0.00"))) == [
        opened("new", "Savings")
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


@pytest.mark.parametrize(("currency", "what"), [("XAU", "gold"), ("XDR", "special drawing")])
def test_open_account_refuses_a_code_without_minor_unit(currency: str, what: str) -> None:
    # Babel would give them two decimals; ISO 4217 gives them none
    with pytest.raises(UnknownCurrency, match=f"'{currency}' is .*{what}.*no minor unit"):
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
    daily = DailyBalances()
    daily.add(DAY, -5)
    original = Account(
        "x", "Card", LIABILITY, "JPY", False, DAY, True, DAY + dt.timedelta(days=1), -5, 7, DAY,
        daily,
    )  # fmt: skip
    for field in dataclasses.fields(Account):  # the example sets each field: none is missed
        assert getattr(original, field.name) != field.default, field.name
    copy = original.copy()
    assert copy == original and copy is not original
    copy.balance += 1
    assert copy.daily is not None
    copy.daily.add(DAY, 1)
    assert original.balance == -5
    assert daily.balance_on(DAY) == -5
