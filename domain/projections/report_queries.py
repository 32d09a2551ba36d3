"""The SQL behind the reports: sums of ``rm_register`` rows on both time axes.

Every question takes ``p`` (known at: rows with a larger position are not there yet) and a
booking-date range in ``yyyymmdd`` numbers. The register's key is (acct, booking date,
position), so one account's rows up to a date are one range of the key; the ``position <= p``
filter is checked on the rows of that range.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import Connection, and_, case, func, select

from domain.projections.queries import account_states
from domain.projections.tables import rm_accounts, rm_register
from domain.store.schema import events

_r, _a = rm_register, rm_accounts

# (month yyyymm, currency) -> (in, out) as positive/negative minor units
Flows = dict[tuple[int, str], tuple[int, int]]


def accounts(conn: Connection, p: int) -> list[tuple[str, str, str, str, int, int, int, str]]:
    """(id, name, type, currency, opening balance, acct, balance, parent id) of the accounts
    opened by p."""
    return [
        (s.account_id, s.name, s.account_type, s.currency, s.opening_balance, s.acct, s.balance,
         s.parent_id)
        for s in account_states(conn, p)
    ]  # fmt: skip


def date_spans(conn: Connection, accts: Collection[int]) -> dict[int, tuple[int, int]]:
    """acct -> its first and last booking dates (two seeks each, one query); accounts
    without rows are left out."""
    if not accts:
        return {}
    day = _r.c.booking_date

    def edge(order: Any) -> Any:
        return select(day).where(_r.c.acct == _a.c.acct).order_by(order).limit(1).scalar_subquery()

    query = select(_a.c.acct, edge(day), edge(day.desc())).where(_a.c.acct.in_(sorted(accts)))
    return {
        int(acct): (int(low), int(high))
        for acct, low, high in conn.execute(query)
        if low is not None
    }


def _dates(first: int | None, last: int) -> object:
    day = _r.c.booking_date
    return day <= last if first is None else and_(day >= first, day <= last)


def sums(
    conn: Connection, p: int, first: int | None, last: int, accts: Collection[int]
) -> dict[int, int]:
    """acct -> natural-signed sum of its rows booked first..last (from the start if None),
    for the accounts ``accts`` (so that the key's (acct, date) ranges are scanned, not all)."""
    if not accts:
        return {}
    query = (
        select(_r.c.acct, func.sum(_r.c.amount))
        .where(_r.c.acct.in_(sorted(accts)), _r.c.position <= p, _dates(first, last))  # type: ignore[arg-type]
        .group_by(_r.c.acct)
    )
    return {int(acct): int(total) for acct, total in conn.execute(query)}


def monthly_sums(
    conn: Connection, p: int, first: int, last: int, accts: Collection[int]
) -> dict[tuple[int, int], int]:
    """(acct, month yyyymm) -> the sum of the account's rows booked in that month, first..last."""
    if not accts:
        return {}
    month = (_r.c.booking_date // 100).label("month")
    query = (
        select(_r.c.acct, month, func.sum(_r.c.amount))
        .where(
            _r.c.acct.in_(sorted(accts)),
            _r.c.position <= p,
            _r.c.booking_date >= first,
            _r.c.booking_date <= last,
        )
        .group_by(_r.c.acct, month)
    )
    return {(int(acct), int(m)): int(total) for acct, m, total in conn.execute(query)}


def asset_flows(conn: Connection, p: int, first: int, last: int, accts: Collection[int]) -> Flows:
    """Money into and out of the asset accounts per month and currency.

    Each entry (or void) counts once with its net effect on all asset accounts of a currency,
    so a transfer between two of them is neither in nor out.
    """
    month = (_r.c.booking_date // 100).label("month")
    per_entry = (
        select(_a.c.currency, month, func.sum(_r.c.amount).label("net"))
        .join(_a, _a.c.acct == _r.c.acct)
        .where(
            _r.c.acct.in_(sorted(accts)),
            _r.c.position <= p,
            _r.c.booking_date >= first,
            _r.c.booking_date <= last,
        )
        .group_by(_a.c.currency, month, _r.c.position)
        .subquery()
    )
    net = per_entry.c.net
    query = select(
        per_entry.c.currency,
        per_entry.c.month,
        func.sum(case((net > 0, net), else_=0)),
        func.sum(case((net < 0, net), else_=0)),
    ).group_by(per_entry.c.currency, per_entry.c.month)
    return {(int(m), str(c)): (int(i), int(o)) for c, m, i, o in conn.execute(query)}


def changes(
    conn: Connection,
    after: int,
    upto: int,
    first: int | None,
    last: int,
    accts: Collection[int],
    limit: int,
) -> tuple[list[tuple[int, str]], int]:
    """The events after..upto with register rows of ``accts`` booked first..last: up to
    ``limit`` of (position, type) in position order, and how many there are in all."""
    positions = (
        select(_r.c.position)
        .where(
            _r.c.acct.in_(sorted(accts)),
            _r.c.position > after,
            _r.c.position <= upto,
            _dates(first, last),  # type: ignore[arg-type]
        )
        .distinct()
        .subquery()
    )
    total = int(conn.execute(select(func.count()).select_from(positions)).scalar_one())
    query = (
        select(events.c.position, events.c.type)
        .where(events.c.position.in_(select(positions.c.position)))
        .order_by(events.c.position)
        .limit(limit)
    )
    return [(int(pos), str(kind)) for pos, kind in conn.execute(query)], total
