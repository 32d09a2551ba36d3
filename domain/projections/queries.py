"""As-of questions answered from the read-model tables with index seeks, never by replaying.

``p`` is always a position: rows with a larger position are simply not there yet as of p.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from sqlalchemy import Connection, and_, bindparam, func, select

from domain.projections.rows import RegisterRow
from domain.projections.tables import (
    rm_account_versions,
    rm_accounts,
    rm_entries,
    rm_register,
    rm_voids,
)
from domain.projections.text import split_label

_a, _v, _r, _e = rm_accounts, rm_account_versions, rm_register, rm_entries
_IN_CHUNK = 500  # keep IN lists well under every database's bound-parameter limit


@dataclass(frozen=True, slots=True)
class AccountState:
    """An account as of a position, with its internal key."""

    acct: int
    account_id: str
    account_type: str
    currency: str
    opening_balance: int
    overdraft_allowed: bool
    name: str
    closed: bool
    balance: int
    last_position: int


def account_states(conn: Connection, p: int, account_id: str | None = None) -> list[AccountState]:
    """Every account opened at or before p (or just one), each by two index seeks."""
    v2, r2 = _v.alias("v2"), _r.alias("r2")
    v_last = (
        select(func.max(v2.c.position))
        .where(v2.c.acct == _a.c.acct, v2.c.position <= p)
        .correlate(_a)
        .scalar_subquery()
    )
    r_last = (
        select(func.max(r2.c.position))
        .where(r2.c.acct == _a.c.acct, r2.c.position <= p)
        .correlate(_a)
        .scalar_subquery()
    )
    query = (
        select(
            _a.c.acct,
            _a.c.account_id,
            _a.c.account_type,
            _a.c.currency,
            _a.c.opening_balance,
            _a.c.overdraft_allowed,
            _v.c.name,
            _v.c.closed,
            _v.c.position,
            _r.c.balance_after,
            _r.c.position,
        )
        .select_from(
            _a.join(_v, and_(_v.c.acct == _a.c.acct, _v.c.position == v_last)).outerjoin(
                _r, and_(_r.c.acct == _a.c.acct, _r.c.position == r_last)
            )
        )
        .where(_a.c.acct <= p)
    )
    if account_id is not None:
        query = query.where(_a.c.account_id == account_id)
    states = []
    for row in conn.execute(query):
        (acct, aid, kind, currency, opening, overdraft, name, closed, v_pos, balance, r_pos) = row
        states.append(
            AccountState(
                acct=acct,
                account_id=aid,
                account_type=kind,
                currency=currency,
                opening_balance=opening,
                overdraft_allowed=bool(overdraft),
                name=name,
                closed=bool(closed),
                balance=opening if balance is None else balance,
                last_position=max(v_pos, r_pos or 0),
            )
        )
    return states


def _chunks(values: Iterable[int | str]) -> Iterable[list[int | str]]:
    iterator = iter(values)
    while chunk := list(itertools.islice(iterator, _IN_CHUNK)):
        yield chunk


def names_as_of(conn: Connection, accts: Collection[int], p: int) -> dict[int, str]:
    """The names of the given accounts (by key) as of p."""
    v2 = _v.alias("v2")
    last = (
        select(func.max(v2.c.position))
        .where(v2.c.acct == _v.c.acct, v2.c.position <= p)
        .correlate(_v)
        .scalar_subquery()
    )
    query = select(_v.c.acct, _v.c.name).where(
        _v.c.acct.in_(bindparam("keys", expanding=True)), _v.c.position == last
    )
    names: dict[int, str] = {}
    for chunk in _chunks(accts):
        names.update((acct, name) for acct, name in conn.execute(query, {"keys": chunk}))
    return names


def name_versions(
    conn: Connection, account_ids: Collection[str], upto: int
) -> dict[str, list[tuple[int, str]]]:
    """Each account's (position, name) versions up to a position, oldest first."""
    query = (
        select(_a.c.account_id, _v.c.position, _v.c.name)
        .select_from(_v.join(_a, _a.c.acct == _v.c.acct))
        .where(_a.c.account_id.in_(bindparam("ids", expanding=True)), _v.c.position <= upto)
        .order_by(_v.c.position)
    )
    versions: dict[str, list[tuple[int, str]]] = {}
    for chunk in _chunks(account_ids):
        for account_id, position, name in conn.execute(query, {"ids": chunk}):
            versions.setdefault(account_id, []).append((position, name))
    return versions


def voided_entries(conn: Connection, void_positions: Collection[int]) -> dict[int, tuple[str, str]]:
    """EntryVoided position -> (kind, payee) of the entry it reversed."""
    query = (
        select(rm_voids.c.position, _e.c.kind, _e.c.payee)
        .select_from(rm_voids.join(_e, _e.c.position == rm_voids.c.entry_position))
        .where(rm_voids.c.position.in_(bindparam("ps", expanding=True)))
    )
    found: dict[int, tuple[str, str]] = {}
    for chunk in _chunks(void_positions):
        found.update((p, (kind, payee)) for p, kind, payee in conn.execute(query, {"ps": chunk}))
    return found


def register_count(conn: Connection, acct: int, p: int) -> int:
    query = select(func.count()).where(_r.c.acct == acct, _r.c.position <= p)
    return int(conn.execute(query).scalar_one())


def register_page(
    conn: Connection, acct: int, opening: int, p: int, offset: int, limit: int
) -> list[RegisterRow]:
    """Rows offset..offset+limit in (booking date, position) order, with running balances.

    The balance before the page is the opening balance plus the amounts of the rows before
    it, summed from the covering date index; the page itself is found in that index and only
    its rows are read from the tables.
    """
    in_order = (
        select(_r.c.position, _r.c.amount)
        .where(_r.c.acct == acct, _r.c.position <= p)
        .order_by(_r.c.booking_date, _r.c.position)
    )
    before = opening
    if offset > 0:
        head = in_order.limit(offset).subquery()
        before += int(conn.execute(select(func.coalesce(func.sum(head.c.amount), 0))).scalar_one())
    page_keys = in_order.limit(limit).offset(offset).subquery()
    query = (
        select(
            _r.c.position,
            _r.c.booking_date,
            _r.c.amount,
            _r.c.is_void,
            _r.c.others,
            _e.c.entry_id,
            _e.c.payee,
            _e.c.memo,
            _e.c.voided_position,
            _e.c.void_reason,
        )
        .select_from(
            page_keys.join(_r, and_(_r.c.acct == acct, _r.c.position == page_keys.c.position)).join(
                _e, _e.c.position == _r.c.entry_position
            )
        )
        .order_by(_r.c.booking_date, _r.c.position)
    )
    page = conn.execute(query).all()
    # the other accounts by key; more than two are shown as a count, without names
    others = [[int(k) for k in row.others.split(",")] if row.others else [] for row in page]
    wanted = {k for keys in others if len(keys) <= 2 for k in keys}
    names = names_as_of(conn, wanted, p) if wanted else {}
    rows = []
    running = before
    for row, keys in zip(page, others, strict=True):
        position, day, amount, is_void, _other, entry_id, payee, memo, voided, reason = row
        running += amount
        label = split_label(len(keys)) if len(keys) > 2 else ", ".join(names[k] for k in keys)
        rows.append(
            RegisterRow(
                position=position,
                entry_id=entry_id,
                booking_date=dt.date.fromisoformat(day),
                payee=payee,
                memo=reason if is_void else memo,
                other_accounts=label,
                amount=amount,
                running_balance=running,
                voided_by=voided if not is_void and voided is not None and voided <= p else None,
                is_void=bool(is_void),
            )
        )
    return rows
