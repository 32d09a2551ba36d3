"""The workload generator: deterministic, varied, and exact in its counts (no store needed)."""

from __future__ import annotations

import pytest

from app.sample_chart import generated_chart
from app.sample_data import generate_commands
from domain.model.commands import (
    CloseAccount,
    Command,
    OpenAccount,
    PostSplitEntry,
    RenameAccount,
    Transfer,
    VoidEntry,
)
from domain.model.events import AccountType


def commands(accounts: int = 20, n: int = 2000, seed: int = 3) -> list[Command]:
    return list(generate_commands(accounts, n, seed))


def test_same_seed_same_commands_ids_and_dates() -> None:
    assert commands() == commands()


def test_other_seed_other_commands() -> None:
    first, second = commands(seed=3), commands(seed=4)
    assert first[0].command_id != second[0].command_id
    assert [type(c) for c in first] != [type(c) for c in second]


def test_opens_the_accounts_then_exactly_n_commands() -> None:
    out = commands(accounts=25, n=777)
    assert all(isinstance(c, OpenAccount) for c in out[:25])
    assert not any(isinstance(c, OpenAccount) for c in out[25:])
    assert len(out) == 25 + 777


def test_every_account_type_and_a_second_currency() -> None:
    chart = generated_chart(20, seed=1)
    assert {a.account_type for a in chart} == set(AccountType)
    assert {a.currency for a in chart} == {"EUR", "USD"}
    assert len({a.name.casefold() for a in chart}) == 20
    assert len(generated_chart(60, seed=1)) == 60
    assert len({a.name.casefold() for a in generated_chart(60, seed=1)}) == 60


def test_the_workload_has_voids_back_dated_entries_splits_rename_and_close() -> None:
    out = commands()
    kinds = {type(c) for c in out}
    assert {VoidEntry, PostSplitEntry, Transfer, RenameAccount, CloseAccount} <= kinds
    dates = [c.booking_date for c in out if hasattr(c, "booking_date")]
    latest = [max(dates[: i + 1]) for i in range(len(dates))]
    assert sum(d < m for d, m in zip(dates, latest, strict=True)) > 10


def test_voids_name_distinct_earlier_entries() -> None:
    out = commands(n=5000)
    posted = {
        c.entry_id: i
        for i, c in enumerate(out)
        if hasattr(c, "entry_id") and not isinstance(c, VoidEntry)
    }
    voided = [(i, c.entry_id) for i, c in enumerate(out) if isinstance(c, VoidEntry)]
    assert len({e for _, e in voided}) == len(voided)
    assert all(posted[e] < i for i, e in voided)


def test_too_few_accounts_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 8 accounts"):
        commands(accounts=7)
