"""The history's search index: one ``rm_search`` row per event, so a filter is one SQL query.

Each row holds what :class:`HistoryFilter` asks of an event (type, booking date, author,
amount, and the casefolded texts a search looks in, as ``history_filter.search_texts`` gives
them), plus one ``rm_search_accounts`` row per account the event names. The index lives in
the read-model cache with its own checkpoint (``rm_search_state``), at or behind the read
models': :meth:`HistorySearch.catch_up` adds the events after it in batches, off the GUI
thread (the desktop app's searcher does so as the book opens, soon after new events, and
before every query), so it grows incrementally and a cache rebuild (which empties it) costs
one pass. It is not written in a command's transaction: a command's pages in the cache would
grow by several (with the cache's file then the first to hit a full disk, after the book's
commit), for an index no command needs. Queries answer in position order or sorted by a
column, from the table's indexes.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import sqlite3
from array import array
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from sqlalchemy import Connection

from domain.projections import search_grams
from domain.projections.history import describe_events
from domain.projections.history_filter import (
    HistoryFilter,
    account_ids,
    event_amount,
    search_texts,
)
from domain.projections.projected_store import ProjectedStore
from domain.projections.rows import HistoryRow
from domain.projections.tables import (
    day_from_number,
    day_number,
    qualified,
    rm_checkpoint,
    rm_search,
    rm_search_accounts,
    rm_search_state,
)
from domain.store.base import StoredEvent
from domain.store.sqlite.connection import dbapi

BATCH = 5000
"""Events a transaction: texts to add to the trigrams, or half as many new events (their
texts and trigrams take about as long as this many texts alone; the cache's write lock,
which a command waits for, is held no longer)."""
_ANALYZE_AFTER = 50_000
SEPARATOR = "\x1f"  # between texts: a search never matches across two of them
ORDERS = ("position", "day", "type", "author")
"""What a query can sort by (then by position); each has an index."""

_S, _A, _STATE, _RM = (
    qualified(t) for t in (rm_search, rm_search_accounts, rm_search_state, rm_checkpoint)
)
_INSERT = f"INSERT INTO {_S} VALUES (?, ?, ?, ?, ?, ?)"
_INSERT_ACCOUNT = f"INSERT INTO {_A} VALUES (?, ?)"
_SET_STATE = f"INSERT OR REPLACE INTO {_STATE} VALUES (1, ?)"


def indexed_upto(conn: Connection) -> int:
    """The last position the index holds (0: none)."""
    row = dbapi(conn).execute(f"SELECT position FROM {_STATE} WHERE id = 1").fetchone()
    return int(row[0]) if row else 0


def _rows(conn: Connection, events: Sequence[StoredEvent]) -> tuple[list[Any], list[Any]]:
    described = describe_events(conn, events, None)  # the fixed amounts, as the CLI says them
    rows, named = [], []
    for stored, row in zip(events, described, strict=True):
        texts = {text.casefold() for text in search_texts(stored, row) if text}
        day = day_number(row.booking_date.isoformat()) if row.booking_date else 0
        author = str(stored.metadata.get("author", "")).casefold()
        amount = event_amount(stored.data)
        rows.append((stored.position, stored.type, day, author, amount, SEPARATOR.join(texts)))
        named += [(account, stored.position) for account in account_ids(stored.data)]
    return rows, named


def write(conn: Connection, events: Sequence[StoredEvent]) -> None:
    """Index ``events`` (the positions just after :func:`indexed_upto`), inside the caller's
    transaction, after the read models applied them (names come from there)."""
    if not events:
        return
    rows, named = _rows(conn, events)
    raw = dbapi(conn)
    raw.executemany(_INSERT, rows)
    raw.executemany(_INSERT_ACCOUNT, named)
    raw.execute(_SET_STATE, (events[-1].position,))
    search_grams.add(raw, [(row[0], row[5]) for row in rows])  # the grams are caught up


class HistorySearch:
    """Filters the history of a book through its index, on the store's connection (whose
    read-model cache is attached: see ``ReadModels``). Belongs to one thread."""

    def __init__(self, store: ProjectedStore) -> None:
        self._store = store
        self._conn = store.connection

    @contextlib.contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        """One read snapshot, ended afterwards so it pins no old one (see ReadModels)."""
        began = not self._conn.in_transaction()
        try:
            yield dbapi(self._conn)
        finally:
            if began and self._conn.in_transaction():
                self._conn.commit()

    @contextlib.contextmanager
    def stopping_when(self, stale: Callable[[], bool]) -> Iterator[None]:
        """Queries inside stop (sqlite3.OperationalError "interrupted") soon after ``stale()``
        turns true: a newer search came."""
        raw = dbapi(self._conn)
        raw.set_progress_handler(lambda: int(stale()), 20_000)
        try:
            yield
        finally:
            raw.set_progress_handler(None, 0)

    def bounds(self, keep: HistoryFilter) -> tuple[int, int | None]:
        """The positions (first, last) the filter's recorded times allow."""
        first, last = 1, None
        if keep.recorded_from is not None:
            first = self._store.position_at(keep.recorded_from - dt.timedelta(microseconds=1)) + 1
        if keep.recorded_to is not None:
            last = self._store.position_at(keep.recorded_to)
        return first, last

    def behind(self) -> int:
        """How many events the read models hold that the index does not yet."""
        with self._reading() as raw:  # events without texts, and texts without trigrams
            return self._checkpoint() - (search_grams.grams_upto(raw) or 0)

    def _checkpoint(self) -> int:
        row = dbapi(self._conn).execute(f"SELECT position FROM {_RM}").fetchone()
        return int(row[0]) if row else 0

    def catch_up(self, progress: Callable[[int, int], bool] | None = None) -> int:
        """Index the events the read models hold and the index not, a batch per transaction
        (first the trigrams of texts stored before them: see ``search_grams``);
        ``progress(done, total)`` returning False stops after a batch. Returns how many."""
        done = 0
        while True:
            with self._store.transaction(allow_readonly=True):
                raw = dbapi(self._conn)
                upto, target = indexed_upto(self._conn), self._checkpoint()
                grams = search_grams.ensure(raw, upto)
                total = done + target - grams  # stored texts to give trigrams, new events
                if grams < upto:  # a batch of stored texts to add to the trigrams
                    search_grams.fill(raw, grams, min(grams + BATCH, upto))
                    events: list[StoredEvent] = []
                    added = min(BATCH, upto - grams)
                else:
                    half = max(1, BATCH // 2)
                    events = list(self._store.read_all(upto, min(upto + half, target), half))
                    write(self._conn, events)
                    added = len(events)
            done += added
            if not added or (grams >= upto and upto + added >= target):
                if done >= _ANALYZE_AFTER:  # the planner's statistics, once the bulk is in
                    with self._store.transaction(allow_readonly=True):
                        for table in (_S, _A):
                            dbapi(self._conn).execute(f"ANALYZE {table}")
                if progress is not None:
                    progress(done, max(done, total))
                return done
            if progress is not None and progress(done, total) is False:
                return done

    def positions(
        self,
        keep: HistoryFilter,
        *,
        first: int = 1,
        last: int | None = None,
        order: str = "position",
        descending: bool = False,
        limit: int | None = None,
    ) -> list[int]:
        """The positions ``first``..``last`` the filter keeps, sorted by ``order`` (one of
        :data:`ORDERS`, then by position), at most ``limit``."""
        sql, params = query(keep, first, last, order, descending, wide_dates=self._wide(keep),
                            grams=self._grams(keep))  # fmt: skip
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        with self._reading() as raw:
            return [p for (p,) in raw.execute(sql, params)]

    def positions_array(
        self,
        keep: HistoryFilter,
        *,
        first: int = 1,
        last: int | None = None,
        order: str = "position",
        descending: bool = False,
    ) -> array[int]:
        """:meth:`positions` as an array of int64 (a million of them: 8 MB, not 36)."""
        sql, params = query(keep, first, last, order, descending, wide_dates=self._wide(keep),
                            grams=self._grams(keep))  # fmt: skip
        found: array[int] = array("q")
        with self._reading() as raw:
            cursor = raw.execute(sql, params)
            while rows := cursor.fetchmany(50_000):
                found.extend(p for (p,) in rows)
        return found

    def _wide(self, keep: HistoryFilter) -> bool:
        """Whether the filter's booking dates span over a fifth of the book's."""
        if keep.from_date is None and keep.to_date is None:
            return False
        with self._reading() as raw:  # two queries: each one seek (together: a scan)
            low = raw.execute(f"SELECT min(day) FROM {_S} WHERE day > 0").fetchone()[0]
            high = raw.execute(f"SELECT max(day) FROM {_S}").fetchone()[0]
        if low is None:
            return False
        span = day_from_number(high).toordinal() - day_from_number(low).toordinal() + 1
        start = max(keep.from_date or day_from_number(low), day_from_number(low))
        end = min(keep.to_date or day_from_number(high), day_from_number(high))
        return (end.toordinal() - start.toordinal() + 1) * 5 > span

    def _grams(self, keep: HistoryFilter) -> bool:
        """Whether the trigrams list the search's candidates: they hold every event indexed
        and the text is long enough and not too common (see ``search_grams``)."""
        expression = search_grams.match_expression(keep.search.casefold()) if keep.search else None
        if expression is None:
            return False
        with self._reading() as raw:
            if not search_grams.ready(raw, indexed_upto(self._conn)):
                return False
            found = search_grams.candidates(raw, expression)
        others = (keep.types, keep.account_ids, keep.from_date, keep.to_date,
                  keep.amount_min, keep.amount_max)  # fmt: skip
        narrowed = any(value is not None for value in others)
        return found <= (search_grams.FEW if narrowed else search_grams.PROBE)

    def count(self, keep: HistoryFilter, *, first: int = 1, last: int | None = None) -> int:
        """How many events ``positions`` would give."""
        sql, params = query(keep, first, last, "position", False, grams=self._grams(keep))
        with self._reading() as raw:
            row = raw.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()
        return int(row[0])

    def rows_at(self, positions: Sequence[int], locale: str | None) -> list[HistoryRow]:
        """The history rows of ``positions``, in the order given."""
        wanted = sorted(set(positions))
        events: list[StoredEvent] = []
        for start, end in _runs(wanted):
            events += self._store.read_all(start - 1, end, max(1, end - start + 1))
        if not events:
            return []
        with self._reading():
            rows = describe_events(self._conn, events, locale)
        by_position = {row.position: row for row in rows}
        return [by_position[p] for p in positions if p in by_position]


def _runs(positions: list[int]) -> Iterator[tuple[int, int]]:
    """Sorted positions as runs of consecutive ones: (first, last) each."""
    start = previous = None
    for position in positions:
        if start is None:
            start = previous = position
        elif position == previous + 1:  # type: ignore[operator]
            previous = position
        else:
            yield start, previous  # type: ignore[misc]
            start = previous = position
    if start is not None:
        yield start, previous  # type: ignore[misc]


def query(
    keep: HistoryFilter,
    first: int,
    last: int | None,
    order: str,
    descending: bool,
    *,
    wide_dates: bool = False,
    grams: bool = False,
) -> tuple[str, list[Any]]:
    """The SELECT of the kept positions (recorded times already made ``first``/``last``).

    ``wide_dates``: the booking-date range spans much of the book, so it is checked row by
    row rather than read from its index (whose rows would all need sorting). ``grams``: the
    search's trigrams list its candidates first (``search_grams``; the text check stays).
    """
    if order not in ORDERS:
        raise ValueError(f"cannot sort the history by {order!r}")
    source, pos = f"{_S} AS s", "s.position"
    where: list[str] = []
    params: list[Any] = []
    bounded = keep.from_date is not None or keep.to_date is not None
    # dates with undated types are an OR: the booking-date index cannot answer that alone
    dated = bounded and not wide_dates and keep.any_date_types is None
    ranged = dated or keep.amount_min is not None or keep.amount_max is not None
    if keep.account_ids is not None and len(keep.account_ids) == 1 and not ranged:
        # one account's events in position order straight from its key (a busy account's
        # first page, or a quiet one's every event, without a pass over the others); with
        # a date or amount range the planner may start from that range's index instead
        source = f"{_A} AS a CROSS JOIN {_S} AS s ON s.position = a.position"
        pos = "a.position"
        where.append("a.account_id = ?")
        params += sorted(keep.account_ids)
    where.append(f"{pos} >= ?")
    params.append(first)
    upto = min(p for p in (last, keep.upto) if p is not None) if (last or keep.upto) else None
    if upto is not None:
        where.append(f"{pos} <= ?")
        params.append(upto)
    if keep.types is not None:
        where.append(f"s.type IN ({', '.join('?' * len(keep.types))})")
        params += sorted(keep.types)
    if keep.account_ids is not None and pos == "s.position":
        marks = ", ".join("?" * len(keep.account_ids))
        if ranged:  # a seek per row of the range: the accounts' rows may be many more
            where.append(f"EXISTS (SELECT 1 FROM {_A} AS a WHERE a.account_id IN ({marks}) "
                         "AND a.position = s.position)")  # fmt: skip
        else:
            where.append(f"s.position IN (SELECT position FROM {_A} WHERE account_id IN ({marks}))")
        params += sorted(keep.account_ids)
    if keep.author is not None:
        where.append("s.author = ?")
        params.append(keep.author.casefold())
    if bounded:
        days = f"{'' if dated else '+'}s.day BETWEEN ? AND ?"
        params += [
            day_number(keep.from_date.isoformat()) if keep.from_date else 1,
            day_number(keep.to_date.isoformat()) if keep.to_date else 99991231,
        ]
        if keep.any_date_types is not None:
            days = f"({days} OR s.type IN ({', '.join('?' * len(keep.any_date_types))}))"
            params += sorted(keep.any_date_types)
        where.append(days)
    if keep.amount_min is not None or keep.amount_max is not None:
        where.append("s.amount IS NOT NULL")
        if keep.amount_min is not None:
            where.append("s.amount >= ?")
            params.append(keep.amount_min)
        if keep.amount_max is not None:
            where.append("s.amount <= ?")
            params.append(keep.amount_max)
    if keep.search:
        expression = search_grams.match_expression(keep.search.casefold()) if grams else None
        if expression is not None:  # a few candidates, each one seek
            where.append(f"{pos} IN ({search_grams.CANDIDATES})")
            params.append(expression)
        where.append("instr(s.text, ?) > 0")
        params.append(keep.search.casefold())
    direction = " DESC" if descending else ""
    by = f"{pos}{direction}"
    if order != "position":
        by = f"s.{order}{direction}, {by}"
    return f"SELECT {pos} FROM {source} WHERE {' AND '.join(where)} ORDER BY {by}", params


def row_of(positions: Sequence[int], position: int, *, sorted_by_position: bool) -> int | None:
    """The row ``position`` has in ``positions`` (None: filtered out)."""
    if sorted_by_position:
        index = bisect.bisect_left(positions, position)
        return index if index < len(positions) and positions[index] == position else None
    try:
        return positions.index(position)
    except ValueError:
        return None
