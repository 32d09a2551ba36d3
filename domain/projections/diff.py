"""What changed each account's balance between two points of the history.

A point (:class:`Moment`) is a position, or a position with a booking date; the rows one
counts and the other does not are read from ``rm_register`` by SQL, never by replaying.
"""

from __future__ import annotations

import bisect
import datetime as dt
from array import array
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import cast

from sqlalchemy import Connection, Select, and_, bindparam, or_, select, union_all

from domain.model.event_schema import from_data
from domain.model.events import AccountOpened, AccountType, EntryPosted, EntryVoided
from domain.projections.dated import account_states_on, opening_days
from domain.projections.queries import AccountState, account_states
from domain.projections.rows import AccountRow, account_order
from domain.projections.tables import day_from_number, day_number, rm_accounts, rm_register
from domain.store.base import StoredEvent


def balance_changes(stored: StoredEvent, types: Mapping[str, AccountType]) -> dict[str, int]:
    """How the event moves each account's natural-signed balance (minor units), by account
    id; {} for an event that moves none (a rename, a close, an import's own record).

    ``types``: the account type of every account the event names (they never change)."""
    event = from_data(stored.type, stored.schema_version, stored.data)
    if isinstance(event, AccountOpened):
        return {event.account_id: event.opening_balance} if event.opening_balance else {}
    if not isinstance(event, EntryPosted | EntryVoided):
        return {}
    factor = 1 if isinstance(event, EntryPosted) else -1  # a void reverses the postings
    changes: dict[str, int] = {}
    for posting in event.postings:
        amount = factor * types[posting.account_id].sign * posting.amount
        changes[posting.account_id] = changes.get(posting.account_id, 0) + amount
    return {account_id: amount for account_id, amount in changes.items() if amount}


@dataclass(frozen=True, slots=True)
class Moment:
    """A point of the books: as recorded up to ``position``, and (if ``day``) as of the end
    of that booking date."""

    position: int
    day: dt.date | None = None

    def describe(self) -> str:
        """``event #8,214`` or ``31 Dec 2015, up to event #8,214``."""
        event = f"event #{self.position:,}"
        return event if self.day is None else f"{self.day:%d %b %Y}, up to {event}"


@dataclass(frozen=True, slots=True)
class DiffLine:
    """One register row (or opening balance) that is counted at one moment and not at the
    other: ``amount`` is what it adds going from the first to the second (negative for a
    row the second moment no longer counts)."""

    position: int
    booking_date: dt.date
    amount: int
    opening: bool = False


@dataclass(frozen=True, slots=True)
class AccountDiff:
    """One account's balance at two moments (natural sign; 0 where it was not open yet)."""

    account: AccountRow  # as at the second moment, or the first if gone by then
    before: int
    after: int

    @property
    def difference(self) -> int:
        return self.after - self.before


_FAR = 99991231  # no booking-date cut
_r = rm_register


def _day(moment: Moment) -> int:
    return _FAR if moment.day is None else day_number(moment.day.isoformat())


def _states(conn: Connection, moment: Moment) -> dict[str, AccountState]:
    if moment.day is None:
        found = account_states(conn, moment.position)
    else:
        found = account_states_on(conn, moment.position, moment.day)
    return {s.account_id: s for s in found}


def diff_balances(conn: Connection, first: Moment, second: Moment) -> list[AccountDiff]:
    """Every account open at either moment, in chart order, with its two balances."""
    old, new = _states(conn, first), _states(conn, second)
    diffs = []
    for account_id in new.keys() | old.keys():
        shown = new.get(account_id) or old[account_id]
        before, after = old.get(account_id), new.get(account_id)
        diffs.append(AccountDiff(shown.account_row(), before.balance if before else 0,
                                 after.balance if after else 0))  # fmt: skip
    return sorted(diffs, key=lambda d: account_order(d.account))


class DiffColumns:
    """:func:`diff_lines`' answer as columns of machine integers: the lines of a long span,
    hundreds of thousands for a busy account, cost 24 bytes each and nothing to the garbage
    collector (a list of as many objects made a collection of all of them stop every thread
    for a few hundred ms). ``opening``: the index of the opening balance's line, or -1."""

    def __init__(self) -> None:
        self.positions, self.days, self.amounts = array("q"), array("q"), array("q")
        self.opening = -1

    def __len__(self) -> int:
        return len(self.positions)

    def line(self, index: int) -> DiffLine:
        return DiffLine(self.positions[index], day_from_number(self.days[index]),
                        self.amounts[index], opening=index == self.opening)  # fmt: skip

    def __iter__(self) -> Iterator[DiffLine]:
        return (self.line(i) for i in range(len(self)))


def _changed(name: str, sign: int) -> Select[tuple[int, int, int]]:
    """The rows moment ``name + "_in"`` counts and ``name + "_out"`` not, amounts * sign."""
    return select(_r.c.position, _r.c.booking_date, (_r.c.amount * sign).label("amount")).where(
        _r.c.acct == bindparam("acct"),
        _r.c.booking_date <= bindparam(f"{name}_day_in"),
        or_(
            and_(_r.c.position > bindparam(f"{name}_p_out"),
                 _r.c.position <= bindparam(f"{name}_p_in")),
            and_(_r.c.position <= bindparam(f"{name}_p_low"),
                 _r.c.booking_date > bindparam(f"{name}_day_out")),
        ),
    )  # fmt: skip


# added (the second moment counts them) and taken away, in (booking date, position) order
_CHANGED = union_all(_changed("added", 1), _changed("taken", -1)).order_by(
    "booking_date", "position"
)


def diff_columns(conn: Connection, first: Moment, second: Moment, acct: int) -> DiffColumns:
    """What makes one account's difference, in (booking date, position) order: the rows
    the second moment counts and the first does not (added), and the other way (taken
    away), with the opening balance if the account is open at only one of them."""
    params: dict[str, int] = {"acct": acct}
    for name, moment_in, moment_out in (("added", second, first), ("taken", first, second)):
        params |= {f"{name}_day_in": _day(moment_in), f"{name}_day_out": _day(moment_out),
                   f"{name}_p_in": moment_in.position, f"{name}_p_out": moment_out.position,
                   f"{name}_p_low": min(moment_in.position, moment_out.position)}  # fmt: skip
    out = DiffColumns()
    rows = cast(Iterator[tuple[int, int, int]], iter(conn.execute(_CHANGED, params)))
    for position, day, amount in rows:  # one at a time: no list of row objects
        out.positions.append(position)
        out.days.append(day)
        out.amounts.append(amount)
    opened = opening_days(conn, [acct])[acct]
    balance = conn.execute(select(rm_accounts.c.opening_balance).where(
        rm_accounts.c.acct == acct)).scalar_one()  # fmt: skip
    present = [acct <= m.position and opened <= _day(m) for m in (first, second)]
    if present[0] != present[1] and balance:
        # after the rows of the same (date, position), as a stable sort put it
        key = (opened, acct)
        at = bisect.bisect_right(range(len(out)), key,
                                 key=lambda i: (out.days[i], out.positions[i]))  # fmt: skip
        out.positions.insert(at, acct)
        out.days.insert(at, opened)
        out.amounts.insert(at, balance if present[1] else -balance)
        out.opening = at
    return out


def diff_lines(conn: Connection, first: Moment, second: Moment, acct: int) -> list[DiffLine]:
    """:func:`diff_columns` as a list of lines."""
    return list(diff_columns(conn, first, second, acct))
