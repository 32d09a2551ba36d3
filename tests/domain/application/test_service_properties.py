"""Property: any sequence of commands, accepted or refused, keeps the books sound.

After every command: each stored entry balances per currency, so do the books (every
account's debit-positive balance adds up to zero per currency: opening balances included), no
asset account that forbids overdraft is below zero at the end of any day (its movements sorted
by day, summed), no entry is dated before an account opened, and a refused command (or batch)
stored nothing. At the end the
service's aggregates equal a from-scratch replay of their streams, a fresh service's load
(snapshot plus tail), the reference fold of the whole log, and the read models.
TALLYBOOK_STRESS=N runs N times as many examples.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import tempfile
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from domain_given import World
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.application.service import BookService
from domain.model import opening
from domain.model.accounts import Account
from domain.model.commands import (
    CloseAccount,
    Command,
    CorrectEntry,
    Deposit,
    MoveAccount,
    OpenAccount,
    PostSplitEntry,
    RedoChange,
    RenameAccount,
    SplitLine,
    Transfer,
    UndoChange,
    VoidEntry,
    Withdraw,
)
from domain.model.errors import DomainError, UnknownAccount
from domain.model.events import AccountOpened, AccountType, EntryPosted, EntryVoided, from_data
from domain.projections import ReadModels, fold
from domain.store.base import StoredEvent
from domain.store.sqlite import SqliteEventStore

STRESS = int(os.environ.get("TALLYBOOK_STRESS", "1"))
DAY = dt.date(2024, 3, 1)
A = AccountType.ASSET

# id: (type, currency, overdraft allowed)
ACCOUNTS: dict[str, tuple[AccountType, str, bool]] = {
    "chk": (A, "EUR", False),
    "cash": (A, "EUR", False),
    "giro": (A, "EUR", True),
    "usd": (A, "USD", False),
    "sal": (AccountType.INCOME, "EUR", True),
    "food": (AccountType.EXPENSE, "EUR", True),
    "card": (AccountType.LIABILITY, "EUR", True),
}
IDS = [*ACCOUNTS, "late", "spare", "ghost"]  # "late" and "spare" may be opened later
NAMES = ["Checking", " checking", "Cash", "Food", "Late", "Rent", "RENT ", "Opening Balances"]

amounts = st.integers(-500, 6000).map(lambda cents: Decimal(cents).scaleb(-2))
# mostly on or after the accounts' opening day; sometimes before it (to be refused)
dates = st.one_of(*[st.dates(DAY, dt.date(2024, 6, 1))] * 3, st.dates(dt.date(2023, 1, 1), DAY))
entry_ids = st.sampled_from([f"e{i}" for i in range(5)])


def mostly(*likely: str) -> st.SearchStrategy[str]:
    """Usually one of the ids that make sense here, sometimes any id (to be refused)."""
    return st.one_of(st.sampled_from(likely), st.sampled_from(likely), st.sampled_from(IDS))


ids = st.sampled_from(IDS)
assets = mostly("chk", "cash", "giro", "usd")


@st.composite
def splits(draw: st.DrawFn) -> PostSplitEntry:
    """Split lines that usually balance (the last line evens them out), over EUR accounts."""
    accounts = mostly("chk", "cash", "giro", "sal", "food", "card")
    lines = draw(st.lists(st.tuples(accounts, amounts), min_size=1, max_size=3))
    balance = draw(st.integers(0, 3)) > 0
    total = sum((amount for _, amount in lines), Decimal(0))
    if balance:
        lines.append((draw(accounts), -total))
    return PostSplitEntry(
        booking_date=draw(dates),
        entry_id=draw(entry_ids),
        lines=tuple(SplitLine(account_id=a, amount=m) for a, m in lines),
    )


entry_commands: st.SearchStrategy[Deposit | Withdraw | Transfer | PostSplitEntry] = st.one_of(
    st.builds(
        Deposit,
        account_id=assets,
        income_account_id=mostly("sal"),
        amount=amounts,
        booking_date=dates,
        entry_id=entry_ids,
    ),
    st.builds(
        Withdraw,
        account_id=assets,
        expense_account_id=mostly("food"),
        amount=amounts,
        booking_date=dates,
        entry_id=entry_ids,
    ),
    st.builds(
        Transfer,
        from_account_id=assets,
        to_account_id=mostly("chk", "cash", "giro", "card"),
        amount=amounts,
        booking_date=dates,
        entry_id=entry_ids,
    ),
    splits(),
)
single_commands: st.SearchStrategy[Command] = st.one_of(
    st.builds(
        OpenAccount,
        account_id=mostly("late", "spare"),
        name=st.sampled_from(NAMES),
        account_type=st.sampled_from(list(AccountType)),
        currency=st.sampled_from(["EUR", "USD"]),
        opening_balance=amounts,
        opening_date=dates,
        overdraft_allowed=st.booleans(),
        parent_id=st.sampled_from(["", "", *IDS]),
    ),
    st.builds(RenameAccount, account_id=ids, new_name=st.sampled_from(NAMES)),
    # moves, often among accounts of one type, so that some make cycles (to be refused)
    *[st.builds(MoveAccount, account_id=ids, new_parent_id=st.sampled_from(["", *IDS]))] * 2,
    st.builds(CloseAccount, account_id=mostly("chk", "usd", "late", "spare"), closed_on=dates),
    *[
        entry_commands,
        entry_commands,
        entry_commands,
        entry_commands,
        st.builds(VoidEntry, entry_id=entry_ids, voided_on=dates),
        st.builds(CorrectEntry, entry_id=entry_ids, replacement=entry_commands),
    ]
    * 3,
)
# a step is one command (usually), a batch, the retry of an earlier step (an int), or the
# void or correction of an entry posted earlier (a "void" or "correct" tuple: a random entry
# id is rarely one), or Undo or Redo of what their stacks' tops are ("undo", "redo")
Step = Command | list[Command] | int | tuple[str, int] | tuple[str, int, Command] | str
steps: st.SearchStrategy[Step] = st.one_of(
    st.just("undo"),
    st.just("undo"),
    st.just("redo"),
    *[single_commands] * 6,
    st.lists(single_commands, min_size=2, max_size=3),
    st.integers(0, 50),
    st.tuples(st.just("void"), st.integers(0, 50)),
    st.tuples(st.just("void"), st.integers(0, 50)),
    st.tuples(st.just("correct"), st.integers(0, 50), entry_commands),
)


def setup_commands(openings: Sequence[Decimal]) -> list[Command]:
    return [
        OpenAccount(
            account_id=account_id,
            name=account_id.title(),
            account_type=account_type,
            currency=currency,
            opening_balance=opening if account_type is A else Decimal(0),
            opening_date=DAY,
            overdraft_allowed=overdraft,
        )
        for (account_id, (account_type, currency, overdraft)), opening in zip(
            ACCOUNTS.items(), openings, strict=True
        )
    ]


@settings(
    max_examples=25 * STRESS,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    openings=st.lists(
        st.integers(0, 40).map(Decimal), min_size=len(ACCOUNTS), max_size=len(ACCOUNTS)
    ),
    script=st.lists(steps, min_size=10, max_size=30 * STRESS),
)
def test_any_command_sequence_keeps_the_books_sound(
    openings: list[Decimal], script: list[Step]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "books.tallybook"
        with SqliteEventStore.create(path) as store:
            read_models = ReadModels(store)
            service = BookService(store, snapshot_every=3, projectors=[read_models])
            service.execute_batch(setup_commands(openings))
            done: list[Command | list[Command]] = []
            for step in script:
                _run_step(service, store, step, done)
                _check_no_overdraft(service)
                _check_dated_rules(store)
                _check_books_balance(service, store)
            _check_state_matches_replays(service, store, path, read_models)


def _run_step(
    service: BookService,
    store: SqliteEventStore,
    step: Step,
    done: list[Command | list[Command]],
) -> None:
    head = store.head()
    if isinstance(step, str):
        stacks = service.undo_stacks()
        top = stacks.undo if step == "undo" else stacks.redo
        if top is None:
            return
        step = (
            UndoChange(undoes=top.command_id)
            if step == "undo"
            else RedoChange(redoes=top.command_id)
        )
    if isinstance(step, tuple):
        posted = [e.data["entry_id"] for e in store.read_all() if e.type == "EntryPosted"]
        if not posted:
            return
        target = posted[step[1] % len(posted)]
        if len(step) == 2:
            step = VoidEntry(entry_id=target, voided_on=DAY)
        else:
            replacement = step[2]
            assert isinstance(replacement, Deposit | Withdraw | Transfer | PostSplitEntry)
            step = CorrectEntry(entry_id=target, replacement=replacement)
    if isinstance(step, int):
        if not done:
            return
        earlier = done[step % len(done)]
        events = _execute(service, earlier)
        assert events and store.head() == head, "a retry must store nothing"
        return
    try:
        events = _execute(service, step)
    except DomainError:
        assert store.head() == head, "a refused command must store nothing"
        return
    done.append(step)
    assert events and events[-1].position == store.head()[0]
    for event in events:
        _check_balanced(event)


def _execute(service: BookService, step: Command | list[Command]) -> list[StoredEvent]:
    if isinstance(step, list):
        return service.execute_batch(step)
    return service.execute(step)


def _check_balanced(event: StoredEvent) -> None:
    if event.type != "EntryPosted":
        return
    totals: dict[str, int] = defaultdict(int)
    for _account, currency, amount in event.data["postings"]:
        totals[currency] += amount
    assert set(totals.values()) == {0}, f"unbalanced entry {event.data}"


def _existing(service: BookService) -> dict[str, Account]:
    found = {}
    for account_id in IDS:
        with contextlib.suppress(UnknownAccount):
            found[account_id] = service.account(account_id)
    return found


def _check_no_overdraft(service: BookService) -> None:
    for account in _existing(service).values():
        if account.account_type is A and not account.overdraft_allowed:
            assert account.balance >= 0, f"{account.name} is overdrawn: {account}"


def _check_dated_rules(store: SqliteEventStore) -> None:
    """From the log alone: each no-overdraft account's balance by day, and opening dates."""
    log = [from_data(e.type, e.schema_version, e.data) for e in store.read_all()]
    opened = {e.account_id: e for e in log if isinstance(e, AccountOpened)}
    moves: dict[str, dict[dt.date, int]] = defaultdict(lambda: defaultdict(int))
    posted_on: dict[str, dt.date] = {}
    for event in log:
        if isinstance(event, EntryPosted | EntryVoided):
            day = event.booking_date if isinstance(event, EntryPosted) else event.voided_on
            sign = 1 if isinstance(event, EntryPosted) else -1
            if isinstance(event, EntryPosted):
                posted_on[event.entry_id] = event.booking_date
            # a void on the entry's own day (a correction's) takes back a row already there
            takes_back = isinstance(event, EntryVoided) and day == posted_on[event.entry_id]
            for p in event.postings:
                # an opening balance goes against Opening Balances whenever that opened
                counter = opened[p.account_id].name.startswith(opening.NAME)
                if (
                    not (
                        counter and isinstance(event, EntryPosted) and event.payee == opening.PAYEE
                    )
                    and not takes_back
                ):
                    assert day >= opened[p.account_id].opening_date, f"{event} before opening"
                moves[p.account_id][day] += sign * p.amount
    for account_id, by_day in moves.items():
        if opened[account_id].account_type is A and not opened[account_id].overdraft_allowed:
            running = 0
            for day in sorted(by_day):
                running += by_day[day]
                assert running >= 0, f"{account_id} ends {day} at {running}"


def _check_books_balance(service: BookService, store: SqliteEventStore) -> None:
    opened = [e.data["account_id"] for e in store.read_all() if e.type == "AccountOpened"]
    totals: dict[str, int] = defaultdict(int)
    for account_id in opened:
        account = service.account(account_id)
        totals[account.currency] += account.balance
    assert all(total == 0 for total in totals.values()), f"debits minus credits: {totals}"


def _check_state_matches_replays(
    service: BookService, store: SqliteEventStore, path: Path, read_models: ReadModels
) -> None:
    log = list(store.read_all())
    world = World.given(*(from_data(e.type, e.schema_version, e.data) for e in log))
    folded = fold(log)
    rows = {row.account_id: row for row in read_models.accounts()}
    with SqliteEventStore.open(path) as other:
        fresh = BookService(other)  # no cache: snapshots plus tails
        for account_id, account in _existing(service).items():
            replayed = Account.replay(
                account_id,
                (
                    from_data(e.type, e.schema_version, e.data)
                    for e in store.read_stream(f"account-{account_id}")
                ),
            )
            assert account == replayed == world.accounts[account_id]
            assert fresh.account(account_id) == account
            natural = account.natural_balance.minor
            assert folded.account_balance(account_id) == natural
            assert (rows[account_id].balance, rows[account_id].name) == (natural, account.name)
        assert service.chart() == fresh.chart() == world.chart
        chart = service.chart()
        for account_id in chart.display:  # every account's parents end at the top: no cycle
            above, steps = chart.parents[account_id], 0
            while above:
                above, steps = chart.parents[above], steps + 1
                assert steps <= len(chart.display), f"a cycle through {account_id}"
            parent = chart.parents[account_id]
            assert not parent or chart.types[parent] is chart.types[account_id]
        assert {r.account_id: r.parent_id for r in rows.values()} == chart.parents
        assert read_models.accounts() == folded.accounts()
        for entry_id in world.entries:
            assert service.entry(entry_id) == fresh.entry(entry_id) == world.entries[entry_id]
