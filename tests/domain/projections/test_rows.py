"""The row types: frozen values, the chart order, struck-out registers."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from domain.model.events import AccountType
from domain.projections import AccountRow, HistoryRow, RegisterRow, account_order


def account(name: str, account_type: AccountType, account_id: str = "x") -> AccountRow:
    return AccountRow(
        account_id=account_id,
        name=name,
        account_type=account_type,
        currency="EUR",
        balance=0,
        closed=False,
        overdraft_allowed=True,
        opened_position=1,
        last_position=1,
    )


def register_row(voided_by: int | None, is_void: bool = False) -> RegisterRow:
    return RegisterRow(
        position=5,
        entry_id="e",
        booking_date=dt.date(2024, 1, 1),
        payee="",
        memo="",
        other_accounts="Salary",
        amount=100,
        running_balance=100,
        voided_by=voided_by,
        is_void=is_void,
    )


def test_rows_are_frozen_values() -> None:
    row = account("Checking", AccountType.ASSET)
    with pytest.raises(dataclasses.FrozenInstanceError):
        row.balance = 5  # type: ignore[misc]
    assert row == account("Checking", AccountType.ASSET)
    history = HistoryRow(
        position=1,
        recorded_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
        booking_date=None,
        type="AccountRenamed",
        account="Food",
        summary="Renamed Groceries to Food",
        author="me",
        stream_id="account-x",
    )
    assert dataclasses.replace(history) == history


def test_chart_order_is_by_account_type_then_name_ignoring_case() -> None:
    rows = [
        account("rent", AccountType.EXPENSE, "1"),
        account("Food", AccountType.EXPENSE, "2"),
        account("Salary", AccountType.INCOME, "3"),
        account("savings", AccountType.ASSET, "4"),
        account("Checking", AccountType.ASSET, "5"),
        account("Card", AccountType.LIABILITY, "6"),
        account("Equity", AccountType.EQUITY, "7"),
    ]
    ordered = [r.name for r in sorted(rows, key=account_order)]
    assert ordered == ["Checking", "savings", "Card", "Equity", "Salary", "Food", "rent"]


def test_a_register_row_is_struck_out_once_voided() -> None:
    assert not register_row(None).struck_out
    assert register_row(9).struck_out
    assert not register_row(None, is_void=True).struck_out
