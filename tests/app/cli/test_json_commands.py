"""JSON lines -> commands: strict fields, decimal-string amounts, accounts by id or by name."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from app.cli.json_commands import command_from_json, parse_json_line
from domain.application.handlers import COMMANDS
from domain.model.commands import (
    CloseAccount,
    CorrectEntry,
    Deposit,
    OpenAccount,
    PostSplitEntry,
    SplitLine,
    Transfer,
    VoidEntry,
)
from domain.model.errors import InvalidCommand, UnknownAccount
from domain.model.events import AccountType

NAMES = {"checking": "id-checking", "salary": "id-salary", "rent": "id-rent"}


def resolve(name: str) -> str:
    try:
        return NAMES[name.strip().casefold()]
    except KeyError:
        raise UnknownAccount(f"there is no account named {name!r}") from None


def build(line: str) -> Any:
    return command_from_json(parse_json_line(line), resolve)


def test_open_account_with_all_fields() -> None:
    command = build(
        '{"command": "open_account", "name": "Checking", "account_type": "asset",'
        ' "currency": "EUR", "opening_balance": "12.50", "opening_date": "2024-01-31",'
        ' "overdraft_allowed": false, "account_id": "acc1", "command_id": "c1",'
        ' "opening_entry_id": "ob-entry", "opening_balances_account_id": "ob"}'
    )
    assert command == OpenAccount(
        command_id="c1",
        account_id="acc1",
        opening_entry_id="ob-entry",
        opening_balances_account_id="ob",
        name="Checking",
        account_type=AccountType.ASSET,
        currency="EUR",
        opening_balance=Decimal("12.50"),
        opening_date=dt.date(2024, 1, 31),
        overdraft_allowed=False,
    )


def test_optional_fields_take_their_defaults() -> None:
    command = build(
        '{"command": "open_account", "name": "Salary", "account_type": "income",'
        ' "currency": "EUR", "opening_date": "2024-01-01"}'
    )
    assert isinstance(command, OpenAccount)
    assert command.opening_balance == 0
    assert command.overdraft_allowed is True
    assert len(command.account_id) == 16  # a fresh new_id()


def test_accounts_by_name_or_by_id() -> None:
    by_name = build(
        '{"command": "deposit", "account": "Checking", "income_account": " SALARY ",'
        ' "amount": "100", "booking_date": "2024-02-01", "entry_id": "e1", "command_id": "c"}'
    )
    by_id = build(
        '{"command": "deposit", "account_id": "id-checking", "income_account_id": "id-salary",'
        ' "amount": "100", "booking_date": "2024-02-01", "entry_id": "e1", "command_id": "c"}'
    )
    assert by_name == by_id
    assert isinstance(by_id, Deposit)
    assert by_id.amount == Decimal(100)


def test_transfer_mixes_name_and_id() -> None:
    command = build(
        '{"command": "transfer", "from_account": "checking", "to_account_id": "x",'
        ' "amount": "0.01", "booking_date": "2024-02-29", "payee": "me", "memo": "m"}'
    )
    assert isinstance(command, Transfer)
    assert (command.from_account_id, command.to_account_id) == ("id-checking", "x")


def test_split_lines_by_name_and_id() -> None:
    command = build(
        '{"command": "split", "booking_date": "2024-03-01", "lines": ['
        '{"account": "Rent", "amount": "700"}, {"account_id": "id-checking", "amount": "-700"}]}'
    )
    assert isinstance(command, PostSplitEntry)
    assert command.lines == (
        SplitLine(account_id="id-rent", amount=Decimal(700)),
        SplitLine(account_id="id-checking", amount=Decimal(-700)),
    )


def test_void_and_close() -> None:
    void = build('{"command": "void", "entry_id": "e1", "voided_on": "2024-01-02"}')
    assert void == VoidEntry(
        command_id=void.command_id, entry_id="e1", voided_on=dt.date(2024, 1, 2)
    )
    close = build('{"command": "close_account", "account": "rent", "closed_on": "2024-01-02"}')
    assert isinstance(close, CloseAccount)
    assert close.account_id == "id-rent"


def test_correct_takes_its_replacement_as_a_nested_command() -> None:
    correct = build(
        '{"command": "correct", "entry_id": "e1", "reason": "typo", "replacement": '
        '{"command": "transfer", "from_account": "checking", "to_account_id": "id-rent", '
        '"amount": "5", "booking_date": "2024-01-02", "entry_id": "e2"}}'
    )
    assert isinstance(correct, CorrectEntry)
    assert (correct.entry_id, correct.reason) == ("e1", "typo")
    assert correct.replacement == Transfer(
        command_id=correct.replacement.command_id,
        from_account_id="id-checking",
        to_account_id="id-rent",
        amount=Decimal(5),
        booking_date=dt.date(2024, 1, 2),
        entry_id="e2",
    )


@pytest.mark.parametrize(
    ("replacement", "message"),
    [
        ('"deposit"', "replacement must be an object whose command is deposit, withdraw, "
                      "transfer or split"),
        ('{"command": "void", "entry_id": "e1", "voided_on": "2024-01-02"}', "or split, got"),
        ('{"command": "deposit", "amount": "5"}', "^replacement: deposit: missing account_id"),
        ('{"command": "split", "lines": [], "booking_date": "2024-01-02", "colour": 1}',
         "^replacement: split: unknown field colour"),
    ],
)  # fmt: skip
def test_bad_replacements_are_named(replacement: str, message: str) -> None:
    with pytest.raises(InvalidCommand, match=message):
        build(f'{{"command": "correct", "entry_id": "e1", "replacement": {replacement}}}')


def test_every_command_name_is_accepted() -> None:
    # each registered name is reachable from JSON (a minimal line is only missing fields)
    for name in (spec.name for spec in COMMANDS):
        with pytest.raises(InvalidCommand, match=f"^{name}: missing"):
            build(f'{{"command": "{name}"}}')


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"command": "deposit", ', "not valid JSON"),
        ("[1, 2]", "must be a JSON object"),
        ('{"command": "deposit", "command": "void"}', "duplicate key 'command'"),
        ('{"command": "withdraw", "amount": NaN}', "NaN is not allowed"),
        ('{"account": "Checking"}', "missing field 'command'"),
        ('{"command": "refund"}', "unknown command 'refund'"),
    ],
)
def test_malformed_lines(line: str, message: str) -> None:
    with pytest.raises(InvalidCommand, match=message):
        build(line)


DEPOSIT = (
    '"command": "deposit", "account": "checking", "income_account": "salary",'
    ' "booking_date": "2024-01-01"'
)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ('"amount": 12.5', r"12\.5 is a JSON number; write amounts as decimal strings"),
        ('"amount": 12', "12 is a JSON number"),
        ('"amount": "12", "tip": "1"', "deposit: unknown field tip; its fields are"),
        ('"amount": "12", "account_id": "x"', "give account_id or account, not both"),
        ('"amount": "12", "payee": 7', "payee must be a string, got 7"),
        ('"amount": "12", "memo": null', "memo must be a string, got null"),
    ],
)
def test_bad_fields(fields: str, message: str) -> None:
    with pytest.raises(InvalidCommand, match=message):
        build(f"{{{DEPOSIT}, {fields}}}")


def test_missing_fields_are_named_with_their_name_alternative() -> None:
    with pytest.raises(InvalidCommand, match=r"missing income_account_id \(or income_account\)"):
        build(
            '{"command": "deposit", "account": "checking", "amount": "1",'
            ' "booking_date": "2024-01-01"}'
        )


@pytest.mark.parametrize("date", ['"2024-02-30"', '"20240101"', '"2024-1-1"', "20240101", "null"])
def test_bad_dates(date: str) -> None:
    with pytest.raises(InvalidCommand, match="booking_date must be a date YYYY-MM-DD"):
        build(f'{{{DEPOSIT}, "amount": "1"}}'.replace('"2024-01-01"', date))


def test_bad_account_type_and_flag() -> None:
    base = '"command": "open_account", "name": "X", "currency": "EUR", "opening_date": "2024-01-01"'
    with pytest.raises(InvalidCommand, match="account_type must be one of asset, liability"):
        build(f'{{{base}, "account_type": "Asset"}}')
    with pytest.raises(InvalidCommand, match="overdraft_allowed must be true or false"):
        build(f'{{{base}, "account_type": "asset", "overdraft_allowed": "no"}}')


def test_open_account_has_no_account_name_alias() -> None:
    # open_account's account_id is the id of the new account, not a reference to one
    base = '"command": "open_account", "name": "X", "currency": "EUR", "opening_date": "2024-01-01"'
    with pytest.raises(InvalidCommand, match="unknown field account;"):
        build(f'{{{base}, "account_type": "asset", "account": "Checking"}}')


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ('"x"', "lines must be a list"),
        ('["x"]', r"lines\[1\] must be an object"),
        ('[{"account": "rent"}]', r"lines\[1\]: missing amount"),
        ('[{"amount": "1"}]', r"lines\[1\] needs account_id or account"),
        ('[{"account": "rent", "account_id": "a", "amount": "1"}]', "one of them"),
        ('[{"account": "rent", "amount": 1.5}]', r"lines\[1\]\.amount 1\.5 is a JSON number"),
        ('[{"account": "rent", "amount": "1", "memo": ""}]', "unknown field memo"),
    ],
)
def test_bad_split_lines(lines: str, message: str) -> None:
    with pytest.raises(InvalidCommand, match=message):
        build(f'{{"command": "split", "booking_date": "2024-01-01", "lines": {lines}}}')


def test_unknown_account_name() -> None:
    with pytest.raises(UnknownAccount, match="no account named 'Savings'"):
        build(f'{{{DEPOSIT}, "amount": "1"}}'.replace('"checking"', '"Savings"'))
