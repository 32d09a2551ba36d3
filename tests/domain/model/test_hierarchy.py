"""The account hierarchy: a parent on OpenAccount, MoveAccount, and the parent rules."""

from __future__ import annotations

import pytest
from domain_given import DAY, World, opened

from domain.model.chart import Chart
from domain.model.commands import MoveAccount, OpenAccount
from domain.model.errors import (
    AccountClosedError,
    InvalidCommand,
    ParentCycle,
    UnknownAccount,
    WrongAccountType,
)
from domain.model.events import AccountClosed, AccountMoved, AccountOpened, AccountType

EXPENSE = AccountType.EXPENSE


def car_world(*more: object) -> World:
    """Expenses: Car ▸ Fuel, and Food at the top; an asset account Checking."""
    return World.given(
        opened("car", "Car", EXPENSE),
        opened("fuel", "Fuel", EXPENSE, parent="car"),
        opened("food", "Food", EXPENSE),
        opened("chk", "Checking"),
        *more,  # type: ignore[arg-type]
    )


def open_under(parent: str, name: str = "Tyres", kind: AccountType = EXPENSE) -> OpenAccount:
    return OpenAccount(
        account_id="new", name=name, account_type=kind, currency="EUR", opening_date=DAY,
        parent_id=parent,
    )  # fmt: skip


def test_an_account_opens_under_a_parent_of_its_type() -> None:
    (event,) = car_world().when(open_under("car"))
    assert isinstance(event, AccountOpened) and event.parent_id == "car"


def test_an_account_opens_at_the_top_without_a_parent() -> None:
    (event,) = car_world().when(open_under(""))
    assert isinstance(event, AccountOpened) and event.parent_id == ""


def test_the_parent_must_exist() -> None:
    with pytest.raises(UnknownAccount, match="no account with id nope to put it under"):
        car_world().when(open_under("nope"))


def test_the_parent_must_be_of_the_same_type() -> None:
    with pytest.raises(WrongAccountType, match="Checking is an asset account: only asset"):
        car_world().when(open_under("chk"))


def test_the_parent_must_be_open() -> None:
    world = car_world(AccountClosed(account_id="food", closed_on=DAY))
    with pytest.raises(AccountClosedError, match="Food is closed"):
        world.when(open_under("food"))
    with pytest.raises(AccountClosedError, match="Food is closed"):
        world.when(MoveAccount(account_id="fuel", new_parent_id="food"))


def test_a_parent_id_must_be_an_id() -> None:
    with pytest.raises(InvalidCommand, match="parent account id"):
        car_world().when(open_under(" car"))


def test_move_records_the_old_and_the_new_parent() -> None:
    world = car_world()
    assert world.when(MoveAccount(account_id="fuel", new_parent_id="food")) == [
        AccountMoved(account_id="fuel", old_parent_id="car", new_parent_id="food")
    ]
    assert world.when(MoveAccount(account_id="fuel")) == [
        AccountMoved(account_id="fuel", old_parent_id="car", new_parent_id="")
    ]


def test_move_refuses_a_cycle() -> None:
    world = car_world()
    with pytest.raises(ParentCycle, match="Car cannot be put under itself"):
        world.when(MoveAccount(account_id="car", new_parent_id="car"))
    with pytest.raises(ParentCycle, match="Car cannot be put under Fuel, which is below it"):
        world.when(MoveAccount(account_id="car", new_parent_id="fuel"))


def test_move_refuses_a_cycle_deeper_down() -> None:
    world = car_world(
        opened("diesel", "Diesel", EXPENSE, parent="fuel"),
        AccountMoved(account_id="food", old_parent_id="", new_parent_id="car"),
    )
    with pytest.raises(ParentCycle, match="below it"):
        world.when(MoveAccount(account_id="car", new_parent_id="diesel"))
    # a sibling's subtree is no cycle
    (event,) = world.when(MoveAccount(account_id="food", new_parent_id="diesel"))
    assert isinstance(event, AccountMoved)


def test_move_refuses_another_type_an_unknown_account_and_no_change() -> None:
    world = car_world()
    with pytest.raises(WrongAccountType, match="Checking is an asset account"):
        world.when(MoveAccount(account_id="fuel", new_parent_id="chk"))
    with pytest.raises(UnknownAccount, match="no account with id zzz"):
        world.when(MoveAccount(account_id="zzz", new_parent_id="car"))
    with pytest.raises(UnknownAccount, match="zzz to put it under"):
        world.when(MoveAccount(account_id="fuel", new_parent_id="zzz"))
    with pytest.raises(InvalidCommand, match="Fuel is already under Car"):
        world.when(MoveAccount(account_id="fuel", new_parent_id="car"))
    with pytest.raises(InvalidCommand, match="Food is already at the top"):
        world.when(MoveAccount(account_id="food"))


def test_the_chart_gives_paths_and_keeps_the_tree_in_its_snapshot() -> None:
    world = car_world(AccountClosed(account_id="food", closed_on=DAY))
    chart = world.chart
    assert chart.path("fuel") == ["Car", "Fuel"]
    restored = Chart.from_snapshot(chart.to_snapshot())
    assert restored == chart
    assert restored.copy() == chart
