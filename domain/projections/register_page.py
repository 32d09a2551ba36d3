"""An account's register as of a position: one page at a time, with running balances.

A page is read along ``rm_register``'s key with a few seeks a row; the entries' payee, memo
and accounts come from their events' JSON (paths from the event declarations).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Connection, Select, and_, bindparam, func, select

from domain.model.events import CURRENT_VERSION, EntryPosted, EntryVoided
from domain.projections.event_json import POSTED, POSTINGS, VOIDED, event_field, json_path
from domain.projections.queries import account_states, names_by_id, stored_event
from domain.projections.rows import RegisterRow
from domain.projections.tables import day_from_number, day_number, rm_register, rm_voids
from domain.projections.text import entry_accounts, split_label
from domain.store.schema import events

_r, _x = rm_register, rm_voids
_POSTED, _VOIDED = CURRENT_VERSION[POSTED], CURRENT_VERSION[VOIDED]


@dataclass(frozen=True, slots=True)
class RegisterState:
    """An account's register as of p: its opening balance, balance, size and last date."""

    acct: int
    account_id: str
    opening_balance: int
    balance: int
    rows: int
    max_date: int


def register_state(conn: Connection, account_id: str, p: int) -> RegisterState | None:
    """The account's register as of p (None if it was not open yet): see account_states."""
    found = account_states(conn, p, account_id)
    if not found:
        return None
    (state,) = found
    return RegisterState(
        state.acct,
        account_id,
        state.opening_balance,
        state.balance,
        state.register_rows,
        state.max_date,
    )


def _in_order(descending: bool) -> Select[int, int, int]:
    """The account's rows as of :p, in date order (or backwards): a range of rm_register's key."""
    mine = and_(
        _r.c.acct == bindparam("acct"),
        _r.c.position <= bindparam("p"),
        _r.c.booking_date <= bindparam("max_date"),
    )
    query = select(_r.c.position, _r.c.booking_date, _r.c.amount).where(mine)
    if descending:
        return query.order_by(_r.c.booking_date.desc(), _r.c.position.desc())
    return query.order_by(_r.c.booking_date, _r.c.position)


def _sum_of_first(descending: bool) -> Select[int]:
    head = _in_order(descending).limit(bindparam("skipped")).subquery()
    return select(func.coalesce(func.sum(head.c.amount), 0))


def _page_rows(descending: bool) -> Select[*tuple[Any, ...]]:
    """The page's rows with what the register shows of their entries.

    A void row's entry through rm_voids; the entry's id, payee, memo and accounts from its
    EntryPosted, a void's reason from its EntryVoided; "voided by" from rm_voids: a few
    seeks per row, and the JSON of 100 small events.
    """
    keys = _in_order(descending).limit(bindparam("limit")).offset(bindparam("offset")).subquery()
    own, voided = _x.alias("own"), _x.alias("voided")
    posted, void = events.alias("posted"), events.alias("void")
    entry_position = func.coalesce(own.c.entry_position, keys.c.position)
    return (
        select(
            keys.c.position,
            keys.c.booking_date,
            keys.c.amount,
            own.c.entry_position,
            posted.c.schema_version,
            event_field(posted.c.data, EntryPosted, "entry_id"),
            event_field(posted.c.data, EntryPosted, "payee"),
            event_field(posted.c.data, EntryPosted, "memo"),
            # the accounts of the common entry; a split's postings are read in Python
            func.json_array_length(posted.c.data, json_path(EntryPosted, POSTINGS)),
            event_field(posted.c.data, EntryPosted, POSTINGS, 0, "account_id"),
            event_field(posted.c.data, EntryPosted, POSTINGS, 1, "account_id"),
            voided.c.position,
            void.c.schema_version,
            event_field(void.c.data, EntryVoided, "reason"),
        )
        .select_from(
            keys.outerjoin(own, own.c.position == keys.c.position)
            .join(posted, posted.c.position == entry_position)
            .outerjoin(voided, voided.c.entry_position == posted.c.position)
            .outerjoin(void, void.c.position == own.c.position)
        )
        .order_by(keys.c.booking_date, keys.c.position)
    )


# built once: a page is asked for on every scroll, and building these cost more than running
_SUM_OF_FIRST = {d: _sum_of_first(d) for d in (False, True)}
_PAGE_ROWS = {d: _page_rows(d) for d in (False, True)}


def register_page(
    conn: Connection, state: RegisterState, p: int, offset: int, limit: int
) -> list[RegisterRow]:
    """Rows offset..offset+limit in (booking date, position) order, with running balances.

    The rows as of p are those with position <= p; there are ``state.rows`` of them, all
    dated at most ``state.max_date``. A page in the first half is reached from the start
    (balance before it = opening + the amounts before it), one in the second half from the
    end (balance before it = balance as of p - the amounts from it on), both summed along
    rm_register's key; so the first and the last page cost the same at any size.
    """
    total = state.rows
    end = min(offset + limit, total)
    if offset >= end:
        return []
    params = {"acct": state.acct, "p": p, "max_date": state.max_date, "limit": end - offset}
    descending = offset > total - end
    if descending:
        skipped, before, sign = total - offset, state.balance, -1  # the rows from the page on
        params["offset"] = total - end
    else:
        skipped, before, sign = offset, state.opening_balance, 1
        params["offset"] = offset
    if skipped:
        summed = conn.execute(_SUM_OF_FIRST[descending], {**params, "skipped": skipped})
        before += sign * int(summed.scalar_one())
    me = state.account_id
    page = [_current_fields(conn, row, me) for row in conn.execute(_PAGE_ROWS[descending], params)]
    # the other accounts; more than two are shown as a count, without names
    others = [row[7] for row in page]
    wanted = {a for ids in others if len(ids) <= 2 for a in ids}
    names = names_by_id(conn, wanted, p) if wanted else {}
    rows = []
    running = before
    for row, ids in zip(page, others, strict=True):
        position, day, amount, is_void, entry_id, payee, memo, _others, voided_by, reason = row
        running += amount
        label = split_label(len(ids)) if len(ids) > 2 else ", ".join(names[a] for a in ids)
        rows.append(
            RegisterRow(
                position=position,
                entry_id=entry_id,
                booking_date=day_from_number(day),
                payee=payee,
                memo=reason if is_void else memo,
                other_accounts=label,
                amount=amount,
                running_balance=running,
                voided_by=None if is_void or voided_by is None or voided_by > p else voided_by,
                is_void=is_void,
            )
        )
    return rows


def _hidden_queries() -> tuple[Select[Any], Select[Any], Select[Any]]:
    """The account's rows as of :p in register order (positions only), those dated after
    :cut, and every void as of :p with the entry it voided."""
    mine = and_(_r.c.acct == bindparam("acct"), _r.c.position <= bindparam("p"))
    ordered = select(_r.c.position).where(mine).order_by(_r.c.booking_date, _r.c.position)
    later = select(_r.c.position).where(mine, _r.c.booking_date > bindparam("cut"))
    voids = select(_x.c.position, _x.c.entry_position).where(_x.c.position <= bindparam("p"))
    return ordered, later, voids


_ORDERED, _LATER, _VOIDS = _hidden_queries()


def hidden_ranks(
    conn: Connection, state: RegisterState, p: int, day: dt.date | None = None
) -> list[int]:
    """Where the account's voided entries and their voids are in its register as of p (0 is
    the first row): one walk of the account's positions in order (a register shown without
    those rows skips these places). Walked in Python: twice as fast as a window function.

    With ``day`` (the booking-date axis: the books as of that day), an entry whose void is
    dated after the day still stands on it, so neither is hidden (the void is past the cut)."""
    voided: dict[int, int] = {v: e for v, e in conn.execute(_VOIDS, {"p": p})}
    params = {"acct": state.acct, "p": p}
    if day is not None:
        cut = day_number(day.isoformat())
        for position in conn.execute(_LATER, {**params, "cut": cut}).scalars():
            voided.pop(position, None)
    hidden = set(voided).union(voided.values())
    ordered = conn.execute(_ORDERED, params).scalars()
    return [rank for rank, position in enumerate(ordered) if position in hidden]


def standing_on(conn: Connection, rows: list[RegisterRow], day: dt.date) -> list[RegisterRow]:
    """The page ``rows`` as the books stood on ``day``: an entry whose void is dated after
    it was not voided yet (its row is not struck out)."""
    voids = [row.voided_by for row in rows if row.voided_by is not None]
    if not voids:
        return rows
    later = {position for position in voids if stored_void_date(conn, position) > day}
    if not later:
        return rows
    return [replace(row, voided_by=None) if row.voided_by in later else row for row in rows]


def stored_void_date(conn: Connection, position: int) -> dt.date:
    """The booking date of the void at ``position`` (``voided_on``)."""
    found = conn.execute(
        select(events.c.schema_version, event_field(events.c.data, EntryVoided, "voided_on")).where(
            events.c.position == position
        )
    ).one()
    if found[0] == _VOIDED and isinstance(found[1], str):
        return dt.date.fromisoformat(found[1])
    return stored_event(conn, position, EntryVoided).voided_on


def _current_fields(conn: Connection, row: Any, me: str) -> tuple[Any, ...]:
    """A page row as (position, day, amount, is_void, entry_id, payee, memo, the other
    accounts' ids, voided_by, reason); an event of an older schema is read through its
    upcaster."""
    position, day, amount, own_entry, posted_version, entry_id, payee, memo = row[:8]
    count, first, second, voided_by, void_version, reason = row[8:]
    is_void = own_entry is not None
    if posted_version == _POSTED and count == 2 and first != second:
        others = [second if first == me else first]
    else:
        posted = stored_event(conn, own_entry if is_void else position, EntryPosted)
        entry_id, payee, memo = posted.entry_id, posted.payee, posted.memo
        others = [a for a in entry_accounts(posted.postings) if a != me]
    if is_void and void_version != _VOIDED:
        reason = stored_event(conn, position, EntryVoided).reason
    return (position, day, amount, is_void, entry_id, payee, memo, others, voided_by, reason)
