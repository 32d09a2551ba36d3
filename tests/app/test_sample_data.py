"""The workload generator: deterministic, varied, and exact in its counts (no store needed)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest

from app.background.jobs import SAMPLE_ACCOUNTS, SAMPLE_COMMANDS, SAMPLE_SEED
from app.sample_chart import generated_chart
from app.sample_data import generate_commands
from domain.application.service import BookService
from domain.model.commands import (
    CloseAccount,
    Command,
    OpenAccount,
    PostSplitEntry,
    RenameAccount,
    Transfer,
    VoidEntry,
)
from domain.model.events import (
    AccountOpened,
    AccountType,
    EntryPosted,
    EntryVoided,
    Event,
    from_data,
)
from domain.store.memory import InMemoryEventStore

Moves = dict[str, dict[dt.date, int]]


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


def _by_day_from_the_log(events: list[Event]) -> tuple[dict[str, AccountOpened], Moves]:
    """Each account's movements by day, read from the log alone (no aggregate, no projection)."""
    opened = {e.account_id: e for e in events if isinstance(e, AccountOpened)}
    moves: Moves = defaultdict(lambda: defaultdict(int))
    for event in events:
        if isinstance(event, EntryPosted | EntryVoided):
            day = event.booking_date if isinstance(event, EntryPosted) else event.voided_on
            sign = 1 if isinstance(event, EntryPosted) else -1
            for posting in event.postings:
                moves[posting.account_id][day] += sign * posting.amount
    return opened, moves


@pytest.mark.parametrize(
    ("accounts", "n", "seed"),
    [(SAMPLE_ACCOUNTS, SAMPLE_COMMANDS, SAMPLE_SEED), (20, 6000, 1), (20, 6000, 7), (8, 3000, 5)],
)
def test_a_generated_book_never_overdraws_on_any_day(accounts: int, n: int, seed: int) -> None:
    # the app's sample book, and others: every no-overdraft account ends every day >= 0
    with InMemoryEventStore() as store:
        BookService(store).execute_batch(list(generate_commands(accounts, n, seed)))
        events = [from_data(e.type, e.schema_version, e.data) for e in store.read_all()]
    opened, moves = _by_day_from_the_log(events)
    no_overdraft = [a for a, e in opened.items() if not e.overdraft_allowed]
    assert len(no_overdraft) >= 3
    for account_id in no_overdraft:
        running = 0
        for day in sorted(moves[account_id]):
            assert day >= opened[account_id].opening_date
            running += moves[account_id][day]
            assert running >= 0, f"{opened[account_id].name} ends {day} at {running}"
