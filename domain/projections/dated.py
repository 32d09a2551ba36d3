"""The books as of the end of a booking date, as recorded up to a position ("as of D, up to P").

An account is there if it was opened (recorded) at or before p with an opening date at or
before D; its balance is the opening balance plus its register rows with position <= p and
booking date <= D. Those rows are a prefix of the register's (date, position) order, so a
dated register is the undated one cut after that many rows: same pages, same running
balances. The dated sums (amount and rows) are the month sums of the whole months before
D's (``rm_month_spans`` and ``rm_month_blocks``, as known at p: see ``tables.py``) and D's own
month from the register: a few hundred rows an account wherever D and p are, where reading
the register from the nearer end of its dates read half of it for a date mid-way.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Collection

from sqlalchemy import BindParameter, Connection, bindparam, func, select

from domain.model.event_schema import from_data
from domain.model.events import AccountOpened, AccountType
from domain.projections import tables
from domain.projections.queries import AccountState, account_states, entry_debits
from domain.projections.register_page import RegisterState
from domain.projections.tables import (
    block_of,
    block_start,
    day_number,
    rm_month_blocks,
    rm_month_spans,
    rm_register,
)
from domain.store.schema import events

_r, _s, _m = rm_register, rm_month_spans, rm_month_blocks
_WANTED: BindParameter[list[int]] = bindparam("accts", expanding=True)
# the rows of D's own month up to D, from the register (at most a month of each account's)
_PART_MONTH = (
    select(_r.c.acct, func.sum(_r.c.amount), func.count())
    .where(_r.c.acct.in_(_WANTED), _r.c.position <= bindparam("p"),
           _r.c.booking_date >= bindparam("first"), _r.c.booking_date <= bindparam("day"))
    .group_by(_r.c.acct)
)  # fmt: skip
# whole months before D's, as known at p: the spans before p's span, then the blocks of p's
# span before p's block (the entries of p's block itself are read from the log)
_SPANS = (
    select(_s.c.acct, func.sum(_s.c.amount), func.sum(_s.c.rows))
    .where(_s.c.acct.in_(_WANTED), _s.c.month < bindparam("month"), _s.c.span < bindparam("span"))
    .group_by(_s.c.acct)
)  # fmt: skip
_BLOCKS = (
    select(_m.c.acct, func.sum(_m.c.amount), func.sum(_m.c.rows))
    .where(_m.c.acct.in_(_WANTED), _m.c.month < bindparam("month"),
           _m.c.block >= bindparam("low"), _m.c.block < bindparam("block"))
    .group_by(_m.c.acct)
)  # fmt: skip
_OPENED = select(events.c.position, events.c.type, events.c.schema_version, events.c.data).where(
    events.c.position.in_(bindparam("ps", expanding=True))
)


def opening_days(conn: Connection, accts: Collection[int]) -> dict[int, int]:
    """acct (its AccountOpened's position) -> opening date as yyyymmdd."""
    days: dict[int, int] = {}
    if accts:
        for position, kind, version, data in conn.execute(_OPENED, {"ps": list(accts)}):
            event = from_data(kind, version, json.loads(data))
            assert isinstance(event, AccountOpened)
            days[position] = day_number(event.opening_date.isoformat())
    return days


def dated_sums(
    conn: Connection, states: Collection[AccountState], p: int, day: int
) -> dict[int, tuple[int, int]]:
    """acct -> (amount, rows) of each account's register rows as of p dated <= day (yyyymmdd):
    the month sums of the whole months before day's, and day's month from the register."""
    accts = sorted(s.acct for s in states)
    out = dict.fromkeys(accts, (0, 0))
    if not accts or p <= 0:
        return out

    def add(acct: int, amount: int, rows: int) -> None:
        old_amount, old_rows = out[acct]
        out[acct] = (old_amount + int(amount), old_rows + int(rows))

    block = block_of(p)
    span = block // tables.SPAN
    params = {"accts": accts, "p": p, "day": day, "first": day // 100 * 100 + 1,
              "month": day // 100, "span": span, "low": span * tables.SPAN,
              "block": block}  # fmt: skip
    for query in (_PART_MONTH, _SPANS, _BLOCKS):
        for acct, amount, rows in conn.execute(query, params):
            add(acct, amount, rows)
    signs = {s.account_id: (s.acct, AccountType(s.account_type).sign) for s in states}
    for _, booked, factor, debits in entry_debits(conn, block_start(block), p):
        if booked // 100 < day // 100:  # day's own month came from the register
            for account_id, debit in debits.items():
                if account_id in signs:
                    acct, sign = signs[account_id]
                    add(acct, factor * sign * debit, 1)
    return out


def dated_states(
    conn: Connection, states: list[AccountState], p: int, day: int
) -> list[AccountState]:
    """The accounts as of p cut at the end of booking date ``day`` (yyyymmdd)."""
    cut = [s for s in states if s.register_rows and s.max_date > day]
    sums = dated_sums(conn, cut, p, day)
    out = []
    for state in states:
        if state.acct not in sums:  # no row after the day: nothing to cut
            out.append(state)
            continue
        amount, rows = sums[state.acct]
        # the latest date shown: D itself bounds every page's key range, which is what it is for
        balance = state.opening_balance + amount
        out.append(dataclasses.replace(state, balance=balance, register_rows=rows,
                                       max_date=day if rows else 0))  # fmt: skip
    return out


def account_states_on(
    conn: Connection, p: int, on: dt.date, account_id: str | None = None
) -> list[AccountState]:
    """Every account (or one) as of the end of booking date ``on``, as recorded up to p."""
    day = day_number(on.isoformat())
    states = account_states(conn, p, account_id)
    opened = opening_days(conn, [s.acct for s in states])
    return dated_states(conn, [s for s in states if opened[s.acct] <= day], p, day)


def register_state_on(
    conn: Connection, account_id: str, p: int, on: dt.date
) -> RegisterState | None:
    """The account's register as of ``on``, up to p (None if it was not open then)."""
    found = account_states_on(conn, p, on, account_id)
    if not found:
        return None
    (s,) = found
    return RegisterState(s.acct, account_id, s.opening_balance, s.balance, s.register_rows,
                         s.max_date)  # fmt: skip
