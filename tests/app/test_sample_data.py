"""The workload generator: deterministic, varied, and exact in its counts (no store needed)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

import pytest

from app.background.jobs import SAMPLE_ACCOUNTS, SAMPLE_COMMANDS, SAMPLE_DAYS, SAMPLE_SEED
from app.sample_chart import GeneratedAccount, generated_chart, spending
from app.sample_data import ANCHOR, generate_commands
from domain.application.service import BookService
from domain.model.commands import (
    CloseAccount,
    Command,
    Deposit,
    OpenAccount,
    PostSplitEntry,
    RenameAccount,
    Transfer,
    VoidEntry,
    Withdraw,
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
    ("accounts", "n", "seed", "days"),
    [
        (SAMPLE_ACCOUNTS, SAMPLE_COMMANDS, SAMPLE_SEED, SAMPLE_DAYS),
        (20, 6000, 1, None),
        (20, 6000, 7, None),
        (8, 3000, 5, None),
    ],
)
def test_a_generated_book_never_overdraws_on_any_day(
    accounts: int, n: int, seed: int, days: int | None
) -> None:
    # the app's sample book, and others: every no-overdraft account ends every day >= 0
    with InMemoryEventStore() as store:
        BookService(store).execute_batch(list(generate_commands(accounts, n, seed, days=days)))
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


def sample(end: dt.date) -> list[Command]:
    """The app's sample book, ending on ``end``."""
    return list(generate_commands(SAMPLE_ACCOUNTS, SAMPLE_COMMANDS, SAMPLE_SEED, end=end,
                                  days=SAMPLE_DAYS))  # fmt: skip


def booking_dates(out: list[Command]) -> list[dt.date]:
    return [d for c in out for d in (getattr(c, "booking_date", None),) if d is not None]


@pytest.mark.parametrize("end", [dt.date(2026, 12, 3), dt.date(2031, 2, 28)])
def test_the_sample_is_the_year_up_to_the_day_it_is_made(end: dt.date) -> None:
    out = sample(end)
    dates = booking_dates(out) + [c.opening_date for c in out if isinstance(c, OpenAccount)]
    dates += [c.voided_on for c in out if isinstance(c, VoidEntry)]
    dates += [c.closed_on for c in out if isinstance(c, CloseAccount)]
    assert end - dt.timedelta(days=3) <= max(dates) <= end  # the last commands are that day's
    assert min(dates) > end - dt.timedelta(days=SAMPLE_DAYS)
    assert sample(end) == out  # made on one day, the seed decides the book


@pytest.mark.parametrize(("accounts", "n", "seed"), [(20, 6000, 1), (8, 30_000, 5), (40, 900, 2)])
def test_generated_books_end_at_their_fixed_anchor_never_later(
    accounts: int, n: int, seed: int
) -> None:
    out = list(generate_commands(accounts, n, seed))
    assert max(booking_dates(out)) == ANCHOR
    assert all(c.voided_on <= ANCHOR for c in out if isinstance(c, VoidEntry))
    assert out == list(generate_commands(accounts, n, seed))  # the same whatever the day


def _accounts_by_id() -> dict[str, GeneratedAccount]:
    return {a.account_id: a for a in generated_chart(SAMPLE_ACCOUNTS, SAMPLE_SEED)}


def test_the_sample_pays_a_households_salary_and_rent() -> None:
    chart = _accounts_by_id()
    out = sample(dt.date(2026, 12, 3))
    salaries, rents = [], []
    for c in out:
        if isinstance(c, Deposit) and chart[c.income_account_id].key == "salary":
            salaries.append(c.amount)
        elif isinstance(c, PostSplitEntry) and c.payee == "Employer GmbH":
            (net,) = [line.amount for line in c.lines if chart[line.account_id].key == "checking"]
            salaries.append(net)
        elif isinstance(c, Withdraw) and chart[c.expense_account_id].key == "rent":
            rents.append(c.amount)
    assert len(salaries) in (12, 13) and len(rents) >= 11
    assert all(Decimal(3000) <= s <= Decimal(3500) for s in salaries), salaries
    assert all(Decimal(900) <= r <= Decimal(1050) for r in rents), rents
    # what a month's spending comes to stays within what the household earns
    spent = sum(
        c.amount for c in out if isinstance(c, Withdraw) and chart[c.expense_account_id].key
        not in ("rent",)
    )  # fmt: skip
    assert spent < sum(salaries) - sum(rents)


def test_every_purchase_is_filed_under_a_category_that_fits_its_payee() -> None:
    chart = _accounts_by_id()
    out = sample(dt.date(2026, 12, 3)) + list(generate_commands(40, 3000, 3))
    chart |= {a.account_id: a for a in generated_chart(40, 3)}
    checked = 0
    for c in out:
        if isinstance(c, Withdraw) and chart[c.expense_account_id].key != "rent":
            expense = chart[c.expense_account_id]
        elif isinstance(c, PostSplitEntry) and c.memo == "card purchase":
            (expense,) = [
                chart[line.account_id]
                for line in c.lines
                if chart[line.account_id].account_type is AccountType.EXPENSE
            ]
        else:
            continue
        if expense.key == "travel_usd":
            continue
        assert c.payee in spending(expense).payees, (c.payee, expense.name)
        assert expense.key != "taxes", c.payee  # taxes are withheld, not bought
        checked += 1
    assert checked > 500
