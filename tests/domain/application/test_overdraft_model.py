"""Property: the no-overdraft rule on every day agrees with the plainest model of it.

Random dated deposits, withdrawals, transfers, splits, voids and corrections on an account that
forbids overdraft go to the service; a model that knows nothing of the service's structures
(every movement as (day, amount), sorted by day, running sums) says whether each should be
refused: when some day would end below zero, the first such day and the amount short. At the
end the service's account equals a replay of its stream and a fresh service's load (snapshot
plus tail), and its balance on every day is the model's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.application.service import BookService
from domain.model.accounts import Account
from domain.model.commands import (
    Command,
    CorrectEntry,
    Deposit,
    OpenAccount,
    PostSplitEntry,
    SplitLine,
    Transfer,
    VoidEntry,
    Withdraw,
)
from domain.model.errors import InsufficientFunds
from domain.model.events import AccountType, from_data
from domain.model.money import describe
from domain.store.memory import InMemoryEventStore

DAY = dt.date(2024, 3, 1)
Moves = list[tuple[dt.date, int]]  # Checking's movements: (day, cents)

days = st.integers(0, 40).map(lambda n: DAY + dt.timedelta(days=n))
cents = st.integers(1, 6000)
KINDS = ("deposit", "withdraw", "transfer_out", "transfer_in", "split")
entries = st.tuples(st.sampled_from(KINDS), cents, days)
steps = st.one_of(
    entries,
    entries,
    entries,
    st.tuples(st.just("void"), st.integers(0, 99), days),
    st.tuples(st.just("correct"), st.integers(0, 99), entries),
)


def entry_command(kind: str, amount: int, day: dt.date, entry_id: str) -> tuple[Command, int]:
    """The command for a step, and what it moves Checking by."""
    money = Decimal(amount).scaleb(-2)
    common = {"entry_id": entry_id, "booking_date": day, "memo": entry_id}
    if kind == "deposit":
        return Deposit(account_id="chk", income_account_id="sal", amount=money, **common), amount
    if kind == "withdraw":
        return Withdraw(
            account_id="chk", expense_account_id="food", amount=money, **common
        ), -amount
    if kind == "transfer_out":
        return Transfer(
            from_account_id="chk", to_account_id="giro", amount=money, **common
        ), -amount
    if kind == "transfer_in":
        return Transfer(from_account_id="giro", to_account_id="chk", amount=money, **common), amount
    # a split out of Checking (a purchase) for an even amount, into it for an odd one
    sign = 1 if amount % 2 else -1
    lines = (
        SplitLine(account_id="chk", amount=sign * money),
        SplitLine(account_id="food", amount=-sign * money),
    )
    return PostSplitEntry(lines=lines, **common), sign * amount


def model_first_below(moves: Moves) -> tuple[dt.date, int] | None:
    """The first day whose running balance (all of that day counted) is below zero."""
    balance = 0
    by_day: dict[dt.date, int] = {}
    for day, amount in moves:
        by_day[day] = by_day.get(day, 0) + amount
    for day in sorted(by_day):
        balance += by_day[day]
        if balance < 0:
            return day, -balance
    return None


def setup() -> list[Command]:
    def open_(account_id: str, kind: AccountType, overdraft: bool = True) -> OpenAccount:
        return OpenAccount(
            account_id=account_id,
            name=account_id.title(),
            account_type=kind,
            currency="EUR",
            opening_date=DAY,
            overdraft_allowed=overdraft,
        )

    return [
        open_("chk", AccountType.ASSET, overdraft=False),
        open_("giro", AccountType.ASSET),
        open_("sal", AccountType.INCOME),
        open_("food", AccountType.EXPENSE),
    ]


Step = tuple[str, int, dt.date] | tuple[str, int, tuple[str, int, dt.date]]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(steps, min_size=5, max_size=40))
def test_refused_exactly_when_the_model_finds_a_day_below_zero(script: list[Step]) -> None:
    with InMemoryEventStore() as store:
        service = BookService(store, snapshot_every=3)
        service.execute_batch(setup())
        moves: Moves = []
        live: dict[str, tuple[dt.date, int]] = {}  # entry id -> (booking day, Checking's move)
        for number, step in enumerate(script):
            entry_id = f"e{number}"
            command, changes, posted = _command(step, entry_id, live)
            if command is None:
                continue
            expected = model_first_below(moves + changes)
            try:
                service.execute(command)
            except InsufficientFunds as refused:
                assert expected is not None, f"refused, but the model says fine: {refused}"
                day, short = expected
                assert f" on {day}, {describe(short, 'EUR')} short" in refused.message
                continue
            assert expected is None, f"accepted, but {expected[0]} ends {expected[1]} short"
            moves += changes
            if isinstance(command, VoidEntry | CorrectEntry):
                del live[command.entry_id]
            if posted is not None:
                live[posted[0]] = posted[1]
        _check_replays(service, store, moves)


def _command(
    step: Step, entry_id: str, live: dict[str, tuple[dt.date, int]]
) -> tuple[Command | None, Moves, tuple[str, tuple[dt.date, int]] | None]:
    """The step's command, its moves on Checking, and the entry it posts (id, (day, move))."""
    kind, value, detail = step
    if kind in KINDS:
        assert isinstance(detail, dt.date)
        command, move = entry_command(kind, value, detail, entry_id)
        return command, [(detail, move)], (entry_id, (detail, move))
    if not live:
        return None, [], None
    target = sorted(live)[value % len(live)]
    booked_on, move = live[target]
    if kind == "void":
        assert isinstance(detail, dt.date)
        return VoidEntry(entry_id=target, voided_on=detail), [(detail, -move)], None
    assert isinstance(detail, tuple)
    new_kind, amount, day = detail
    replacement, new_move = entry_command(new_kind, amount, day, entry_id)
    assert isinstance(replacement, Deposit | Withdraw | Transfer | PostSplitEntry)
    # a correction takes the entry back on its own booking day
    changes = [(booked_on, -move), (day, new_move)]
    correct = CorrectEntry(entry_id=target, replacement=replacement)
    return correct, changes, (entry_id, (day, new_move))


def _check_replays(service: BookService, store: InMemoryEventStore, moves: Moves) -> None:
    account = service.account("chk")
    replayed = Account.replay(
        "chk",
        (from_data(e.type, e.schema_version, e.data) for e in store.read_stream("account-chk")),
    )
    fresh = BookService(store).account("chk")  # no cache: the latest snapshot plus the tail
    assert account == replayed == fresh
    assert account.daily is not None
    for day in _every_day(moves):
        expected = sum(amount for on, amount in moves if on <= day)
        assert account.daily.balance_on(day) == expected >= 0


def _every_day(moves: Iterable[tuple[dt.date, int]]) -> list[dt.date]:
    return sorted({day for day, _ in moves} | {DAY})
