"""Sums of register rows over long booking-date ranges as known at p, from the month tables.

``rm_month_spans`` and ``rm_month_blocks`` (see ``tables.py``) hold each account's register
rows summed per booking month and span or block of positions. The rows of whole months as
known at p are the spans before p's span, the blocks of p's span before p's block, and the
entries of p's block up to p (at most BLOCK events, read from the log); the part months at a
range's ends come from the register, as ``report_queries.sums`` reads it. The answers are
exactly those of summing the register rows themselves.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection
from typing import Any

from sqlalchemy import Connection, func, select

from domain.model.events import AccountType
from domain.projections import report_queries as rq
from domain.projections import tables
from domain.projections.queries import entry_debits
from domain.projections.tables import (
    block_of,
    block_start,
    day_number,
    rm_accounts,
    rm_month_blocks,
    rm_month_spans,
    rm_register,
)

_s, _m, _r = rm_month_spans, rm_month_blocks, rm_register
FIRST_MONTH, LAST_MONTH = 0, 999_912


def _month_first(month: int) -> int:
    return month * 100 + 1


def _month_last(month: int) -> int:
    year, number = divmod(month, 100)
    following = dt.date(year + number // 12, number % 12 + 1, 1)
    return day_number((following - dt.timedelta(days=1)).isoformat())


def _next_month(month: int) -> int:
    return month + 89 if month % 100 == 12 else month + 1


def whole_months(
    conn: Connection, p: int, first: int, last: int, accts: Collection[int]
) -> dict[tuple[int, int], int]:
    """(acct, month) -> the sum of the account's rows of months ``first..last`` (``yyyymm``)
    as known at p, for the accounts ``accts``; months without rows are left out."""
    out: dict[tuple[int, int], int] = defaultdict(int)
    if not accts or p <= 0 or first > last:
        return out
    block = block_of(p)
    span = block // tables.SPAN
    wanted = sorted(accts)
    queries: list[Any] = [
        select(_s.c.acct, _s.c.month, func.sum(_s.c.amount))
        .where(_s.c.acct.in_(wanted), _s.c.month >= first, _s.c.month <= last, _s.c.span < span)
        .group_by(_s.c.acct, _s.c.month),
        select(_m.c.acct, _m.c.month, func.sum(_m.c.amount))
        .where(_m.c.acct.in_(wanted), _m.c.block >= span * tables.SPAN, _m.c.block < block,
               _m.c.month >= first, _m.c.month <= last)
        .group_by(_m.c.acct, _m.c.month),
    ]  # fmt: skip
    for query in queries:
        for acct, month, amount in conn.execute(query):
            out[int(acct), int(month)] += int(amount)
    # the entries of p's own block up to p, as account_states reads them
    keys = {
        str(account_id): (int(acct), AccountType(kind).sign)
        for acct, account_id, kind in conn.execute(
            select(rm_accounts.c.acct, rm_accounts.c.account_id, rm_accounts.c.account_type)
            .where(rm_accounts.c.acct.in_(wanted))
        )
    }  # fmt: skip
    for _, day, factor, debits in entry_debits(conn, block_start(block), p):
        month = day // 100
        if first <= month <= last:
            for account_id, debit in debits.items():
                key = keys.get(account_id)
                if key is not None:
                    out[key[0], month] += factor * key[1] * debit
    return out


def month_sums(
    conn: Connection, p: int, first: int | None, last: int, accts: Collection[int]
) -> dict[tuple[int, int], int]:
    """(acct, month) -> the sum of the account's rows booked ``first..last`` (``yyyymmdd``,
    from the start if None) in that month, as known at p: whole months from the month
    tables, the part months at either end from the register."""
    out: dict[tuple[int, int], int] = defaultdict(int)
    if not accts:
        return out
    low = FIRST_MONTH if first is None else first // 100
    if first is not None and first != _month_first(low):
        low = _next_month(low)  # the first month is a part
    high = last // 100
    if last != _month_last(high):
        high = high - 89 if high % 100 == 1 else high - 1  # the last month is a part
    if low > high:  # no whole month: the register alone, a short range
        return _register_months(conn, p, first, last, accts)
    out.update(whole_months(conn, p, low, high, accts))
    if first is not None and first < _month_first(low):
        for key, amount in _register_months(conn, p, first, _month_first(low) - 1, accts).items():
            out[key] += amount
    if last > _month_last(high):
        after = _month_first(_next_month(high))
        for key, amount in _register_months(conn, p, after, last, accts).items():
            out[key] += amount
    return out


def _register_months(
    conn: Connection, p: int, first: int | None, last: int, accts: Collection[int]
) -> dict[tuple[int, int], int]:
    return rq.monthly_sums(conn, p, 0 if first is None else first, last, accts)


def period_sums(
    conn: Connection, p: int, first: int | None, last: int, accts: Collection[int]
) -> dict[int, int]:
    """acct -> the sum of its rows booked ``first..last`` (from the start if None) as known
    at p: what ``report_queries.sums`` answers, without reading every row of a long range."""
    out: dict[int, int] = defaultdict(int)
    for (acct, _), amount in month_sums(conn, p, first, last, accts).items():
        out[acct] += amount
    return out


def day_sums(
    conn: Connection, p: int, first: dt.date, last: dt.date, accts: Collection[int]
) -> dict[tuple[int, int], int]:
    """(acct, day yyyymmdd) -> the sum of the account's rows booked that day, first..last."""
    if not accts:
        return {}
    low, high = day_number(first.isoformat()), day_number(last.isoformat())
    query = (
        select(_r.c.acct, _r.c.booking_date, func.sum(_r.c.amount))
        .where(_r.c.acct.in_(sorted(accts)), _r.c.position <= p,
               _r.c.booking_date >= low, _r.c.booking_date <= high)
        .group_by(_r.c.acct, _r.c.booking_date)
    )  # fmt: skip
    return {(int(a), int(d)): int(total) for a, d, total in conn.execute(query)}


def days(first: dt.date, last: dt.date) -> list[int]:
    """The days first..last as ``yyyymmdd``."""
    count = (last - first).days + 1
    return [day_number((first + dt.timedelta(days=i)).isoformat()) for i in range(count)]

