"""As-of questions answered from the read-model tables with index seeks, never by replaying.

``p`` is always a position: rows with a larger position are simply not there yet as of p.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Select, and_, bindparam, func, select

from domain.model.events import AccountType
from domain.projections.rows import RegisterRow
from domain.projections.sqlite_dialect import event_field
from domain.projections.tables import (
    block_of,
    block_start,
    day_from_number,
    day_number,
    rm_account_versions,
    rm_accounts,
    rm_blocks,
    rm_register,
    rm_voids,
)
from domain.projections.text import (
    CURRENT_VERSION,
    account_debits,
    current_data,
    entry_accounts,
    split_label,
)
from domain.store.schema import events

_a, _v, _r, _b, _x = rm_accounts, rm_account_versions, rm_register, rm_blocks, rm_voids
_POSTED, _VOIDED = CURRENT_VERSION["EntryPosted"], CURRENT_VERSION["EntryVoided"]
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
    register_rows: int
    max_date: int  # the latest booking date in the register (yyyymmdd), 0 if it is empty


class _Moved:
    """What an account's register rows add up to so far: balance moved, rows, last date and
    last position (0 while it has none)."""

    __slots__ = ("amount", "last", "max_date", "rows")

    def __init__(self, amount: int | None, rows: int | None, max_date: int | None,
                 last: int | None) -> None:  # fmt: skip
        self.amount, self.rows = amount or 0, rows or 0
        self.max_date, self.last = max_date or 0, last or 0

    def add(self, amount: int, day: int, position: int) -> None:
        self.amount += amount
        self.rows += 1
        self.max_date = max(self.max_date, day)
        self.last = position


def account_states(conn: Connection, p: int, account_id: str | None = None) -> list[AccountState]:
    """Every account opened at or before p (or just one).

    Its name and closed flag come from one seek, its register values from its ``rm_blocks``
    row of the last block before p's own, plus the entries and voids from that block's end
    up to p: at most BLOCK events, read here.
    """
    block = block_of(p)
    query = _ACCOUNT_STATES if account_id is None else _ACCOUNT_STATE
    rows = {
        row.account_id: row
        for row in conn.execute(query, {"p": p, "block": block, "account_id": account_id})
    }
    moved = {aid: _Moved(r.moved, r.rows, r.max_date, r.last_position) for aid, r in rows.items()}
    signs = {aid: AccountType(r.account_type).sign for aid, r in rows.items()}
    if rows:
        for position, day, factor, debits in entry_debits(conn, block_start(block), p):
            for debited, debit in debits.items():
                if debited in moved:  # else not asked for
                    moved[debited].add(factor * signs[debited] * debit, day, position)
    return [
        AccountState(
            acct=row.acct,
            account_id=aid,
            account_type=row.account_type,
            currency=row.currency,
            opening_balance=row.opening_balance,
            overdraft_allowed=bool(row.overdraft_allowed),
            name=row.name,
            closed=bool(row.closed),
            balance=row.opening_balance + moved[aid].amount,
            last_position=max(row.position, moved[aid].last),
            register_rows=moved[aid].rows,
            max_date=moved[aid].max_date,
        )
        for aid, row in rows.items()
    ]


def _account_states(one: bool) -> Select[*tuple[Any, ...]]:
    v2, b2 = _v.alias("v2"), _b.alias("b2")
    v_last = (
        select(func.max(v2.c.position))
        .where(v2.c.acct == _a.c.acct, v2.c.position <= bindparam("p"))
        .correlate(_a)
        .scalar_subquery()
    )
    b_last = (
        select(func.max(b2.c.block))
        .where(b2.c.acct == _a.c.acct, b2.c.block < bindparam("block"))
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
            # the block's balance less the opening one: what the register rows moved
            (_b.c.balance - _a.c.opening_balance).label("moved"),
            _b.c.rows,
            _b.c.max_date,
            _b.c.last_position,
        )
        .select_from(
            _a.join(_v, and_(_v.c.acct == _a.c.acct, _v.c.position == v_last)).outerjoin(
                _b, and_(_b.c.acct == _a.c.acct, _b.c.block == b_last)
            )
        )
        .where(_a.c.acct <= bindparam("p"))
    )
    return query.where(_a.c.account_id == bindparam("account_id")) if one else query


_ACCOUNT_STATES, _ACCOUNT_STATE = _account_states(False), _account_states(True)
_ENTRIES_BETWEEN = (
    select(events.c.position, events.c.type, events.c.schema_version, events.c.data)
    .where(
        events.c.position > bindparam("after"),
        events.c.position <= bindparam("upto"),
        events.c.type.in_(("EntryPosted", "EntryVoided")),
    )
    .order_by(events.c.position)
)


def entry_debits(
    conn: Connection, after: int, upto: int
) -> Iterator[tuple[int, int, int, dict[str, int]]]:
    """(position, booking date as yyyymmdd, factor, account id -> debit) of each entry
    (factor 1) and void (factor -1) in positions after+1..upto."""
    if upto <= after:
        return
    for position, kind, schema_version, text in conn.execute(
        _ENTRIES_BETWEEN, {"after": after, "upto": upto}
    ):
        data = current_data(kind, schema_version, json.loads(text))
        if kind == "EntryPosted":
            yield position, day_number(data["booking_date"]), 1, account_debits(data["postings"])
        else:
            yield position, day_number(data["voided_on"]), -1, account_debits(data["postings"])


def _chunks(values: Iterable[int | str]) -> Iterable[list[int | str]]:
    iterator = iter(values)
    while chunk := list(itertools.islice(iterator, _IN_CHUNK)):
        yield chunk


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


def _event_data(conn: Connection, position: int) -> Any:
    """An event's data in the current schema: for the rare event SQL cannot read as it is."""
    row = conn.execute(
        select(events.c.type, events.c.schema_version, events.c.data).where(
            events.c.position == position
        )
    ).one()
    return current_data(row.type, row.schema_version, json.loads(row.data))


def voided_entries(conn: Connection, void_positions: Collection[int]) -> dict[int, tuple[str, str]]:
    """EntryVoided position -> (kind, payee) of the entry it reversed (read from its event)."""
    e = events
    query = (
        select(
            _x.c.position,
            _x.c.entry_position,
            e.c.schema_version,
            event_field(e.c.data, "kind"),
            event_field(e.c.data, "payee"),
        )
        .select_from(_x.join(e, e.c.position == _x.c.entry_position))
        .where(_x.c.position.in_(bindparam("ps", expanding=True)))
    )
    found: dict[int, tuple[str, str]] = {}
    for chunk in _chunks(void_positions):
        for p, entry_position, schema_version, kind, payee in conn.execute(query, {"ps": chunk}):
            if schema_version != _POSTED:
                data = _event_data(conn, entry_position)
                kind, payee = data["kind"], data["payee"]
            found[p] = (kind, payee)
    return found


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
            event_field(posted.c.data, "entry_id"),
            event_field(posted.c.data, "payee"),
            event_field(posted.c.data, "memo"),
            # the accounts of the common entry; a split's postings are read in Python
            func.json_array_length(posted.c.data, "$.postings"),
            func.json_extract(posted.c.data, "$.postings[0][0]"),
            func.json_extract(posted.c.data, "$.postings[1][0]"),
            voided.c.position,
            void.c.schema_version,
            event_field(void.c.data, "reason"),
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


def _names_by_id() -> Select[str, str]:
    v2 = _v.alias("v2")
    last = (
        select(func.max(v2.c.position))
        .where(v2.c.acct == _v.c.acct, v2.c.position <= bindparam("p"))
        .correlate(_v)
        .scalar_subquery()
    )
    return (
        select(_a.c.account_id, _v.c.name)
        .select_from(_v.join(_a, _a.c.acct == _v.c.acct))
        .where(_a.c.account_id.in_(bindparam("ids", expanding=True)), _v.c.position == last)
    )


_NAMES_BY_ID = _names_by_id()


def names_by_id(conn: Connection, account_ids: Collection[str], p: int) -> dict[str, str]:
    """The names of the given accounts (by id) as of p."""
    names: dict[str, str] = {}
    for chunk in _chunks(account_ids):
        names.update((i, n) for i, n in conn.execute(_NAMES_BY_ID, {"ids": chunk, "p": p}))
    return names


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
        data = _event_data(conn, own_entry if is_void else position)
        entry_id, payee, memo = data["entry_id"], data["payee"], data["memo"]
        others = [a for a in entry_accounts(data["postings"]) if a != me]
    if is_void and void_version != _VOIDED:
        reason = _event_data(conn, position)["reason"]
    return (position, day, amount, is_void, entry_id, payee, memo, others, voided_by, reason)
