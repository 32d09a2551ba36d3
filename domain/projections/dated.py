"""The books as of the end of a booking date, as recorded up to a position ("as of D, up to P").

An account is there if it was opened (recorded) at or before p with an opening date at or
before D; its balance is the opening balance plus its register rows with position <= p and
booking date <= D. Those rows are a prefix of the register's (date, position) order, so a
dated register is the undated one cut after that many rows: same pages, same running
balances. The dated sum is read along ``rm_register``'s key from whichever end of the
account's dates is nearer D (the rows on the far side of D are subtracted from the balance
as of p), so a step by date reads about as many rows as lie between D and the nearer end.
Balances alone (the accounts tree, a diff) come from the month sums instead
(:mod:`domain.projections.report_sums`): a few hundred rows an account wherever D and p are.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Collection

from sqlalchemy import Connection, bindparam, func, select

from domain.model.event_schema import from_data
from domain.model.events import AccountOpened
from domain.projections import report_sums
from domain.projections.queries import AccountState, account_states
from domain.projections.register_page import RegisterState
from domain.projections.tables import day_from_number, day_number, rm_register
from domain.store.schema import events

_r = rm_register
_MINE = (_r.c.acct == bindparam("acct")) & (_r.c.position <= bindparam("p"))
_SUM_UPTO = select(func.coalesce(func.sum(_r.c.amount), 0), func.count()).where(
    _MINE, _r.c.booking_date <= bindparam("day")
)
_SUM_AFTER = select(func.coalesce(func.sum(_r.c.amount), 0), func.count()).where(
    _MINE, _r.c.booking_date > bindparam("day")
)
_FIRST_DATE = select(func.min(_r.c.booking_date)).where(_r.c.acct == bindparam("acct"))
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


def _ordinal(day: int) -> int:
    return day_from_number(day).toordinal()


def dated_sums(conn: Connection, state: AccountState, p: int, day: int) -> tuple[int, int, int]:
    """(amount, rows, latest date) of the account's register rows as of p dated <= day."""
    if state.register_rows == 0 or state.max_date <= day:
        return state.balance - state.opening_balance, state.register_rows, state.max_date
    params = {"acct": state.acct, "p": p, "day": day}
    first = conn.execute(_FIRST_DATE, params).scalar_one()
    if first is None or first > day:
        return 0, 0, 0
    if _ordinal(day) - _ordinal(first) <= _ordinal(state.max_date) - _ordinal(day):
        amount, rows = conn.execute(_SUM_UPTO, params).one()
    else:  # nearer the end: the rows after D, less
        after, later = conn.execute(_SUM_AFTER, params).one()
        amount = state.balance - state.opening_balance - after
        rows = state.register_rows - later
    # the latest date shown: D itself bounds every page's key range, which is what it is for
    return int(amount), int(rows), day if rows else 0


def dated_state(conn: Connection, state: AccountState, p: int, day: int) -> AccountState:
    """The account as of p cut at the end of booking date ``day`` (yyyymmdd)."""
    amount, rows, last_day = dated_sums(conn, state, p, day)
    return dataclasses.replace(
        state,
        balance=state.opening_balance + amount,
        register_rows=rows,
        max_date=last_day,
    )


def account_states_on(
    conn: Connection, p: int, on: dt.date, account_id: str | None = None, *, rows: bool = True
) -> list[AccountState]:
    """Every account (or one) as of the end of booking date ``on``, as recorded up to p.

    With ``rows`` False only the balances are right (``register_rows`` and ``max_date``
    are those as of p, uncut): they are then read from the month sums (see
    ``report_sums``: whole months of spans and blocks, the last part month from the
    register), never from every row between D and the nearer end of the dates."""
    day = day_number(on.isoformat())
    states = account_states(conn, p, account_id)
    opened = opening_days(conn, [s.acct for s in states])
    states = [s for s in states if opened[s.acct] <= day]
    if rows:
        return [dated_state(conn, s, p, day) for s in states]
    cut = {s.acct for s in states if s.register_rows and s.max_date > day}
    sums = report_sums.period_sums(conn, p, None, day, cut)
    return [dataclasses.replace(s, balance=s.opening_balance + sums.get(s.acct, 0))
            if s.acct in cut else s for s in states]  # fmt: skip


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
