"""The lineage of a figure: the events that make up an account's (or a subtree's) balance, or
its sum over a booking-date period, at a position, as a history filter, and their sum, added
up from their register rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from sqlalchemy import Connection

from domain.model.events import AccountOpened, EntryPosted, EntryVoided
from domain.projections.history_filter import HistoryFilter
from domain.projections.tables import day_number, qualified, rm_accounts, rm_register
from domain.store.sqlite.connection import dbapi

MOVING_TYPES = frozenset(c.type_name() for c in (EntryPosted, EntryVoided))
LINEAGE_TYPES = MOVING_TYPES | {AccountOpened.type_name()}
_OPENED = frozenset({AccountOpened.type_name()})


def lineage_filter(
    account_ids: Collection[str],
    upto: int,
    *,
    from_day: dt.date | None = None,
    to_day: dt.date | None = None,
) -> HistoryFilter:
    """The events behind the figure of ``account_ids`` (together) as of ``upto``.

    Without ``from_day`` a balance (on ``to_day``, or every date): the accounts' openings
    (with the opening balance, whatever the opening date, as a balance sheet counts it) and
    every entry and void with a leg on one of them booked up to ``to_day``. With ``from_day``
    a period's sum (an income statement's line): the entries and voids booked
    from_day..to_day alone."""
    ids = frozenset(account_ids)
    if from_day is not None:
        return HistoryFilter(types=MOVING_TYPES, account_ids=ids, from_date=from_day,
                             to_date=to_day, upto=upto)  # fmt: skip
    if to_day is None:
        return HistoryFilter(types=LINEAGE_TYPES, account_ids=ids, upto=upto)
    return HistoryFilter(types=LINEAGE_TYPES, account_ids=ids, to_date=to_day, upto=upto,
                         any_date_types=_OPENED)  # fmt: skip


def lineage_total(
    conn: Connection,
    account_ids: Collection[str],
    upto: int,
    *,
    from_day: dt.date | None = None,
    to_day: dt.date | None = None,
) -> int:
    """The natural-signed sum of :func:`lineage_filter`'s events on those accounts (minor
    units; one currency, as a subtotal is): opening balances (without ``from_day``) plus
    the register rows up to ``upto`` booked in the dates given (one range of the register's
    (acct, booking date, position) key per account)."""
    ids = sorted(account_ids)
    if not ids:
        return 0
    marks = ", ".join("?" * len(ids))
    raw = dbapi(conn)
    accounts = raw.execute(
        f'SELECT "acct", "opening_balance" FROM {qualified(rm_accounts)} '
        f'WHERE "account_id" IN ({marks}) AND "acct" <= ?',
        [*ids, upto],
    ).fetchall()
    if not accounts:
        return 0
    accts = [acct for acct, _ in accounts]
    low = 0 if from_day is None else day_number(from_day.isoformat())
    high = 99991231 if to_day is None else day_number(to_day.isoformat())
    rows = raw.execute(
        f'SELECT coalesce(sum("amount"), 0) FROM {qualified(rm_register)} '
        f'WHERE "acct" IN ({", ".join("?" * len(accts))}) '
        'AND "booking_date" BETWEEN ? AND ? AND "position" <= ?',
        [*accts, low, high, upto],
    ).fetchone()
    openings = 0 if from_day is not None else int(sum(opening for _, opening in accounts))
    return openings + int(rows[0])
