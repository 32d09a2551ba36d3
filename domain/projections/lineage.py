"""The lineage of a balance: the events that make up an account's (or a subtree's) figure at
a position, as a history filter, and their sum, added up from their register rows."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import Connection

from domain.model.events import AccountOpened, EntryPosted, EntryVoided
from domain.projections.history_filter import HistoryFilter
from domain.projections.tables import qualified, rm_accounts, rm_register
from domain.store.sqlite.connection import dbapi

LINEAGE_TYPES = frozenset(c.type_name() for c in (AccountOpened, EntryPosted, EntryVoided))


def lineage_filter(account_ids: Collection[str], upto: int) -> HistoryFilter:
    """The events behind the balance of ``account_ids`` (together) as of ``upto``: their
    openings (with the opening balance) and every entry and void with a leg on one of them."""
    return HistoryFilter(types=LINEAGE_TYPES, account_ids=frozenset(account_ids), upto=upto)


def lineage_total(conn: Connection, account_ids: Collection[str], upto: int) -> int:
    """The natural-signed sum of those events on those accounts: opening balances plus every
    register row up to ``upto`` (minor units; one currency, as a subtotal is)."""
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
    rows = raw.execute(
        f'SELECT coalesce(sum("amount"), 0) FROM {qualified(rm_register)} '
        f'WHERE "acct" IN ({", ".join("?" * len(accts))}) AND "position" <= ?',
        [*accts, upto],
    ).fetchone()
    return int(sum(opening for _, opening in accounts)) + int(rows[0])
