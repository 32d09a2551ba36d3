"""Turning events into read-model rows: one pass over a batch, a few executemany calls.

The projector keeps the little state it needs (each account's key, sign, balance, name and
closed flag) in memory, tagged with the checkpoint it matches and a stamp of the file (SQLite's
``data_version``, which moves when another connection commits). Whenever the checkpoint in the
database is not that one (our transaction rolled back) or the stamp moved (another process
wrote, perhaps after our rollback and up to the same position) the state is reloaded from the
tables, so memory can never drift from the book.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Protocol

from sqlalchemy import Connection

from domain.model.errors import BrokenHistory
from domain.model.events import (
    CURRENT_VERSION,
    AccountClosed,
    AccountMoved,
    AccountOpened,
    AccountReconciled,
    AccountRenamed,
    AccountReopened,
    AccountType,
    CommandRedone,
    CommandUndone,
    Event,
    ImportRestored,
    ImportUndone,
    ReconciliationReopened,
    StatementImported,
    current_data,
    from_data,
)
from domain.projections import queries
from domain.projections.event_json import (
    BOOKING_DATE,
    ENTRY_ID,
    POSTED,
    POSTINGS,
    VOIDED,
    VOIDED_ON,
    account_debits,
)
from domain.projections.row_writes import Months, insert_months
from domain.projections.row_writes import insert_rows as _insert
from domain.projections.row_writes import insert_sql as _insert_sql
from domain.projections.tables import (
    block_of,
    day_number,
    qualified,
    rm_account_versions,
    rm_accounts,
    rm_blocks,
    rm_checkpoint,
    rm_register,
    rm_voids,
)
from domain.store.base import StoredEvent
from domain.store.schema import events as event_table
from domain.store.sqlite.connection import dbapi

_RECENT_ENTRIES = 100_000  # entry id -> position kept in memory, per generation
EventRow = tuple[int, str, int, Mapping[str, Any]]
"""(position, type, schema_version, data): all that projecting needs of an event."""


class StreamReader(Protocol):
    """The store's one read the projector needs: an old entry's stream, to find a void's entry."""

    def read_stream(self, stream_id: str, after_version: int = 0) -> Iterator[StoredEvent]: ...


class ProjectedAccount:
    """What projecting needs to know of an account at the checkpoint."""

    __slots__ = ("acct", "balance", "closed", "max_date", "name", "parent_id", "rows", "sign")

    def __init__(
        self,
        acct: int,
        sign: int,
        balance: int,
        name: str,
        closed: bool,
        rows: int = 0,
        max_date: int = 0,
        parent_id: str = "",
    ) -> None:
        self.acct, self.sign, self.balance, self.name, self.closed = (
            acct,
            sign,
            balance,
            name,
            closed,
        )
        self.rows = rows  # register rows so far: the next row's seq is rows + 1
        self.max_date = max_date  # the latest booking date among them (yyyymmdd, 0: none)
        self.parent_id = parent_id


# Rows go straight to the sqlite3 cursor as tuples in column order, with SQL strings made once:
# per command the Core path (compiling, cache keys, parameter processing) cost more than
# SQLite spends on the rows, and the driver keeps the prepared statements. Row values are ints
# and strs only (no bools, no None): the driver binds those directly, while a bool or
# None goes through its adaptation lookup, which cost a third of the insert time in a rebuild.
# The stored values are the same.
_ACCOUNTS, _VERSIONS, _REGISTER, _VOIDS = (
    _insert_sql(t) for t in (rm_accounts, rm_account_versions, rm_register, rm_voids)
)
# an account's block row holds its values after its latest row in the block (ON CONFLICT:
# standard SQL, PostgreSQL's as well)
_BLOCK = (
    _insert_sql(rm_blocks)
    + ' ON CONFLICT ("acct", "block") DO UPDATE SET "balance" = excluded."balance", '
    '"rows" = excluded."rows", "max_date" = excluded."max_date", '
    '"last_position" = excluded."last_position"'
)
Blocks = dict[tuple[int, int], tuple[int, ...]]
"""(acct, block) -> the rm_blocks row: the values after the account's latest leg so far."""
# the checkpoint remembers the hash of its event too: how a cache recognises its book
_SET_CHECKPOINT = (
    f'UPDATE {qualified(rm_checkpoint)} SET "{rm_checkpoint.c.position.name}" = ?, '
    f'"{rm_checkpoint.c.event_hash.name}" = (SELECT "{event_table.c.hash.name}" FROM '
    f'"main"."{event_table.name}" WHERE "{event_table.c.position.name}" = ?) '
    f'WHERE "{rm_checkpoint.c.id.name}" = 1'
)


class ReadModelProjector:
    """Writes the rows for batches of events, in position order, through one connection."""

    def __init__(self, store: StreamReader) -> None:
        self._store = store
        self._accounts: dict[str, ProjectedAccount] = {}
        # (checkpoint, stamp) self._accounts matches; None: unknown
        self._at: tuple[int, int] | None = None
        self._recent: dict[str, int] = {}
        self._older: dict[str, int] = {}

    def forget(self) -> None:
        """Drop the in-memory state (after a rollback); it is reloaded when next needed."""
        self._at = None
        self._recent, self._older = {}, {}

    def start_empty(self, stamp: int) -> None:
        """The tables were just emptied: the state is that of position 0."""
        self._accounts, self._at = {}, (0, stamp)
        self._recent, self._older = {}, {}

    def _sync(self, conn: Connection, checkpoint: int, stamp: int) -> None:
        if self._at == (checkpoint, stamp):
            return
        self._accounts = {
            s.account_id: ProjectedAccount(
                s.acct,
                AccountType(s.account_type).sign,
                s.balance,
                s.name,
                s.closed,
                s.register_rows,
                s.max_date,
                s.parent_id,
            )
            for s in queries.account_states(conn, checkpoint)
        }
        self._recent, self._older = {}, {}
        self._at = (checkpoint, stamp)

    def entry_position(self, entry_id: str) -> int:
        """The position of the EntryPosted of ``entry_id`` (for its void)."""
        position = self._recent.get(entry_id) or self._older.get(entry_id)
        if position is None:
            # an entry older than the cache: its stream starts with its EntryPosted
            posted = next(iter(self._store.read_stream(f"entry-{entry_id}")), None)
            if posted is None or posted.type != POSTED:
                raise ValueError(f"a void names entry {entry_id}, which was never posted")
            position = posted.position
        return position

    def write(
        self, conn: Connection, events: Sequence[StoredEvent], checkpoint: int, stamp: int
    ) -> int:
        """Project events (positions checkpoint+1, +2, ...) and move the checkpoint; returns it.

        ``stamp`` is the file's ``data_version`` in this transaction (see the module's doc).
        """
        rows = [(e.position, e.type, e.schema_version, e.data) for e in events]
        return self.write_rows(conn, rows, checkpoint, stamp)

    def write_rows(
        self, conn: Connection, rows: Sequence[EventRow], checkpoint: int, stamp: int
    ) -> int:
        """:meth:`write` for ``(position, type, schema_version, data)`` rows, as the store's
        ``read_data`` gives them: replaying needs nothing else of an event.

        A catch-up's loop, and a rebuild's where the database has no set-based one.
        """
        self._sync(conn, checkpoint, stamp)
        accounts = self._accounts
        opened: list[tuple[Any, ...]] = []
        versions: list[tuple[Any, ...]] = []
        register: list[tuple[Any, ...]] = []
        blocks: Blocks = {}
        months: Months = {}
        voids: list[tuple[Any, ...]] = []
        recent = self._recent
        position = checkpoint
        # the stored data of entries is read as it is (decoding it would cost more than
        # projecting it); account events are few and are decoded
        posted, voided = POSTED, VOIDED
        posted_version, voided_version = CURRENT_VERSION[POSTED], CURRENT_VERSION[VOIDED]
        try:
            for position, kind, schema_version, data in rows:
                if position != checkpoint + 1:
                    raise ValueError(
                        f"event {position} does not follow the checkpoint {checkpoint}"
                    )
                checkpoint = position
                if kind == posted:
                    if schema_version != posted_version:
                        data = current_data(kind, schema_version, data)
                    entry_id = data[ENTRY_ID]
                    # entry id -> position for voids; two generations instead of an LRU keep
                    # it O(1) and bounded over a million entries
                    if len(recent) >= _RECENT_ENTRIES:
                        self._older, self._recent = recent, {}
                        recent = self._recent
                    recent[entry_id] = position
                    day, factor = day_number(data[BOOKING_DATE]), 1
                elif kind == voided:
                    if schema_version != voided_version:
                        data = current_data(kind, schema_version, data)
                    voids.append((position, self.entry_position(data[ENTRY_ID])))
                    day, factor = day_number(data[VOIDED_ON]), -1
                else:
                    self.account_event(
                        position, from_data(kind, schema_version, data), opened, versions
                    )
                    continue
                _post(accounts, register, blocks, months, position, day, data[POSTINGS], factor)
        except (ValueError, KeyError) as exc:
            # an event the read models cannot hold there (a void of an entry never posted,
            # an entry to an account never opened): put into the book by hand
            raise BrokenHistory(position, f"misplaced ({exc})") from exc
        raw = dbapi(conn)
        _insert(raw, _ACCOUNTS, opened)
        _insert(raw, _VERSIONS, versions)
        _insert(raw, _REGISTER, register)
        _insert(raw, _BLOCK, list(blocks.values()))
        insert_months(raw, months)
        _insert(raw, _VOIDS, voids)
        raw.execute(_SET_CHECKPOINT, (position, position))
        self._at = (position, stamp)
        return position

    @property
    def accounts(self) -> dict[str, ProjectedAccount]:
        """Account id -> its state (the SQL rebuild keeps only keys, signs and names)."""
        return self._accounts

    def legs(
        self, postings: Sequence[Sequence[Any]], factor: int
    ) -> list[tuple[ProjectedAccount, int]]:
        """:func:`entry_legs` over the accounts known now."""
        return entry_legs(self._accounts, postings, factor)

    @staticmethod
    def insert_account_rows(
        raw: sqlite3.Connection, opened: list[tuple[Any, ...]], versions: list[tuple[Any, ...]]
    ) -> None:
        """Write the rows :meth:`account_event` collected."""
        _insert(raw, _ACCOUNTS, opened)
        _insert(raw, _VERSIONS, versions)

    def account_event(
        self,
        position: int,
        event: Event,
        opened: list[tuple[Any, ...]],
        versions: list[tuple[Any, ...]],
    ) -> None:
        """Remember an open, rename, move or close and add its rows to ``opened`` and
        ``versions``."""
        accounts = self._accounts
        if isinstance(event, AccountOpened):
            state = ProjectedAccount(
                position, event.account_type.sign, event.opening_balance, event.name, False,
                parent_id=event.parent_id,
            )  # fmt: skip
            accounts[event.account_id] = state
            opened.append(
                (
                    position,
                    event.account_id,
                    event.account_type.value,
                    event.currency,
                    event.opening_balance,
                    event.overdraft_allowed,
                )
            )
            versions.append((position, position, state.name, False, state.parent_id))
        elif isinstance(event, AccountRenamed | AccountMoved | AccountClosed | AccountReopened):
            state = accounts[event.account_id]
            if isinstance(event, AccountRenamed):
                state.name = event.new_name
            elif isinstance(event, AccountMoved):
                state.parent_id = event.new_parent_id
            else:
                state.closed = isinstance(event, AccountClosed)
            versions.append((state.acct, position, state.name, state.closed, state.parent_id))
        elif not isinstance(event, _NOT_SHOWN):
            # an import's record has no rows of its own: its entries are ordinary entries
            raise ValueError(f"the read models do not know event type {event.type_name()!r}")


_NOT_SHOWN = (
    StatementImported, ImportUndone, ImportRestored, AccountReconciled, ReconciliationReopened,
    CommandUndone, CommandRedone,
)  # fmt: skip
"""Event types the read models keep no rows for (the history shows them from the log)."""


def entry_legs(
    accounts: Mapping[str, ProjectedAccount], postings: Sequence[Sequence[Any]], factor: int
) -> list[tuple[ProjectedAccount, int]]:
    """(account, natural-signed amount) of an entry (factor 1) or its void (factor -1): one
    leg per distinct account, in the order of its first posting.

    The SQL rebuild does the common entry (two postings on two accounts) in SQL and only
    the others through this.
    """
    try:
        return [
            (accounts[account_id], factor * accounts[account_id].sign * debit)
            for account_id, debit in account_debits(postings).items()
        ]
    except KeyError as exc:  # only a book written around the rules has such an entry
        raise ValueError(f"an entry posts to an unknown account {exc.args[0]}") from None


def _post(
    accounts: dict[str, ProjectedAccount],
    register: list[tuple[Any, ...]],
    blocks: Blocks,
    months: Months,
    position: int,
    day: int,
    postings: Sequence[Sequence[Any]],
    factor: int,
) -> None:
    """Register rows (as in ``rm_register``) and block rows for an entry (factor 1) or its
    void (factor -1), balances moved."""
    block, month = block_of(position), day // 100
    for state, amount in entry_legs(accounts, postings, factor):
        key = (state.acct, block, month)
        moved, rows = months.get(key, (0, 0))
        months[key] = (moved + amount, rows + 1)
        state.balance += amount
        state.rows += 1
        if day > state.max_date:
            state.max_date = day
        register.append((state.acct, day, position, amount))
        blocks[state.acct, block] = (
            state.acct, block, state.balance, state.rows, state.max_date, position
        )  # fmt: skip
