"""As-of questions answered from the read-model tables with index seeks, never by replaying.

``p`` is always a position: rows with a larger position are simply not there yet as of p.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Connection, Select, and_, bindparam, func, select

from domain.model.events import (
    CURRENT_VERSION,
    AccountType,
    EntryPosted,
    Event,
    current_data,
    from_data,
)
from domain.projections.event_json import (
    BOOKING_DATE,
    POSTED,
    POSTINGS,
    VOIDED,
    VOIDED_ON,
    account_debits,
    event_field,
)
from domain.projections.rows import AccountRow
from domain.projections.tables import (
    block_of,
    block_start,
    day_number,
    rm_account_versions,
    rm_accounts,
    rm_blocks,
    rm_voids,
)
from domain.store.schema import events

_a, _v, _b, _x = rm_accounts, rm_account_versions, rm_blocks, rm_voids
_POSTED = CURRENT_VERSION[POSTED]
_IN_CHUNK = 500  # keep IN lists well under every database's bound-parameter limit
E = TypeVar("E", bound=Event)


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
    parent_id: str
    balance: int
    last_position: int
    register_rows: int
    max_date: int  # the latest booking date in the register (yyyymmdd), 0 if it is empty

    def account_row(self) -> AccountRow:
        """The account as the read models show it."""
        return AccountRow(
            account_id=self.account_id,
            name=self.name,
            account_type=AccountType(self.account_type),
            currency=self.currency,
            balance=self.balance,
            closed=self.closed,
            overdraft_allowed=self.overdraft_allowed,
            opened_position=self.acct,
            last_position=self.last_position,
            parent_id=self.parent_id,
        )


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
            parent_id=row.parent_id,
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
            _v.c.parent_id,
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
        events.c.type.in_((POSTED, VOIDED)),
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
        if kind == POSTED:
            yield position, day_number(data[BOOKING_DATE]), 1, account_debits(data[POSTINGS])
        else:
            yield position, day_number(data[VOIDED_ON]), -1, account_debits(data[POSTINGS])


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


def stored_event(conn: Connection, position: int, cls: type[E]) -> E:
    """The event at a position, decoded (upcast if it is of an older schema): for the rare
    event SQL cannot read as it is. ValueError if it is not a ``cls``."""
    row = conn.execute(
        select(events.c.type, events.c.schema_version, events.c.data).where(
            events.c.position == position
        )
    ).one()
    event = from_data(row.type, row.schema_version, json.loads(row.data))
    if not isinstance(event, cls):
        raise ValueError(f"event {position} is a {row.type}, not a {cls.type_name()}")
    return event


def voided_entries(conn: Connection, void_positions: Collection[int]) -> dict[int, tuple[str, str]]:
    """EntryVoided position -> (kind, payee) of the entry it reversed (read from its event)."""
    e = events
    query = (
        select(
            _x.c.position,
            _x.c.entry_position,
            e.c.schema_version,
            event_field(e.c.data, EntryPosted, "kind"),
            event_field(e.c.data, EntryPosted, "payee"),
        )
        .select_from(_x.join(e, e.c.position == _x.c.entry_position))
        .where(_x.c.position.in_(bindparam("ps", expanding=True)))
    )
    found: dict[int, tuple[str, str]] = {}
    for chunk in _chunks(void_positions):
        for p, entry_position, schema_version, kind, payee in conn.execute(query, {"ps": chunk}):
            if schema_version != _POSTED:
                posted = stored_event(conn, entry_position, EntryPosted)
                kind, payee = posted.kind.value, posted.payee
            found[p] = (kind, payee)
    return found


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
