"""The set-based rebuild of the read models, in SQLite's SQL.

A PostgreSQL backend would replace this module (``jsonb`` operators for ``json_extract``,
the same window functions), not the projector or the queries; without it the read models
rebuild by replaying events through the Python projector, which needs no SQL of its own.
The JSON paths and event type names come from the event declarations (``event_json.py``).

The rebuild, per range of positions (a chunk; progress is reported between chunks):

1. Account events, and any event of an older schema (upcast in Python), go through the
   projector's Python code: there are few of them.
2. Entry events of the current schema are read once into a temp table with SQLite's JSON
   functions: date, sign and the two postings of the common entry, each posting's account
   looked up there (key and sign) so that later steps join on integers. ``rm_voids`` gets each
   void's entry: the first event of its stream ``entry-<id>`` (one index seek, as the
   projector finds it).
3. The general entries (splits, an account posted twice) get their legs from the projector's
   own ``entry_legs``; the common ones get two legs in SQL.
4. One ``INSERT ... SELECT`` writes the legs to ``rm_register``, in position order: sorting
   them into the key's order first cost more than it saved (5 % of the rebuild at 1M).
5. ``GROUP BY`` block and pair of accounts sums the chunk's common entries (a household books
   few distinct pairs), the sums go on each account of the pair (with the legs Python
   worked out), and a window adds them up per account, on from its values at the end of the
   previous chunk (kept in a temp table), into ``rm_blocks`` rows.

At 1M events the JSON step, the register insert and the block sums take about 1.8, 1.0 and
0.9 s (parsing the JSON is 0.45 µs an event of it). Window functions writing running values
on every register row (until code version 4) took twice as long as the plain insert; a single
statement straight from the events was slower (SQLite evaluated the JSON once per leg), and
so was ``json_each`` over the postings.

The result is row for row what the incremental projector writes (the tests compare them).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection

from domain.model.errors import BrokenHistory
from domain.model.events import CURRENT_VERSION, EntryPosted, EntryVoided, current_data, from_data
from domain.projections import tables
from domain.projections.event_json import (
    BOOKING_DATE,
    ENTRY_ID,
    POSTED,
    POSTINGS,
    VOIDED,
    VOIDED_ON,
    json_path,
)
from domain.projections.projector import ReadModelProjector
from domain.projections.tables import (
    day_number,
    qualified,
    rm_blocks,
    rm_checkpoint,
    rm_month_blocks,
    rm_month_spans,
    rm_register,
    rm_voids,
)
from domain.store.schema import events
from domain.store.sqlite.connection import dbapi

_POSTED, _VOIDED = CURRENT_VERSION[POSTED], CURRENT_VERSION[VOIDED]

_E, _R, _V = (qualified(t) for t in (events, rm_register, rm_voids))
# entry events SQL reads as they are (bound as ?3, ?4)
_CURRENT_ENTRY = (
    f"((e.type = '{POSTED}' AND e.schema_version = ?3) "
    f"OR (e.type = '{VOIDED}' AND e.schema_version = ?4))"
)
# "2024-03-01" -> 20240301, as tables.day_number
_DAY = "CAST(replace({}, '-', '') AS INTEGER)"

_TEMP_TABLES = {
    # each account's key and sign, and its rm_blocks values at the end of the last chunk
    # (the unique key covers the JSON step's lookup: id -> key and sign, one index search)
    "rb_accounts": "acct INTEGER PRIMARY KEY, account_id TEXT NOT NULL UNIQUE, "
    "sign INTEGER NOT NULL, balance INTEGER NOT NULL, rows INTEGER NOT NULL, "
    "max_date INTEGER NOT NULL, UNIQUE (account_id, acct, sign)",
    # the chunk's entry events of the current schema; common: two postings, two accounts,
    # given as each account's key and the register amount of its leg
    "rb_entries": "position INTEGER PRIMARY KEY, factor INTEGER NOT NULL, "
    "day INTEGER NOT NULL, a0 INTEGER, r0 INTEGER, a1 INTEGER, r1 INTEGER, "
    "common INTEGER NOT NULL",
    # the chunk's legs that Python worked out (general entries, older schemas)
    "rb_legs": "acct INTEGER NOT NULL, position INTEGER NOT NULL, day INTEGER NOT NULL, "
    "amount INTEGER NOT NULL",
}

_SELECT_FOR_PYTHON = f"""
SELECT e.position, e.type, e.schema_version, e.data FROM {_E} e
WHERE e.position > ?1 AND e.position <= ?2 AND NOT {_CURRENT_ENTRY}
ORDER BY e.position
"""
# Each leg's account is looked up here, once per leg: the later steps then join on integers.
# An account never opened leaves its key NULL (the entry still counts as common, so that the
# register insert refuses it); the ORDER BY keeps SQLite from flattening the subquery, which
# would evaluate the JSON once per use.
_FILL_ENTRIES = f"""
INSERT INTO temp.rb_entries (position, factor, day, a0, r0, a1, r1, common)
SELECT x.position, x.factor, x.day, m0.acct, x.factor * m0.sign * x.d0,
       m1.acct, x.factor * m1.sign * x.d1,
       ifnull(x.n = 2 AND (m0.acct IS NULL OR m1.acct IS NULL OR m0.acct != m1.acct), 0)
FROM (
  SELECT e.position AS position,
    iif(e.type = '{POSTED}', 1, -1) AS factor,
    {
    _DAY.format(
        f"iif(e.type = '{POSTED}', json_extract(e.data, '{json_path(EntryPosted, BOOKING_DATE)}'), "
        f"json_extract(e.data, '{json_path(EntryVoided, VOIDED_ON)}'))"
    )
} AS day,
    json_array_length(e.data, '{json_path(EntryPosted, POSTINGS)}') AS n,
    json_extract(e.data, '{json_path(EntryPosted, POSTINGS, 0, "account_id")}') AS i0,
    json_extract(e.data, '{json_path(EntryPosted, POSTINGS, 0, "amount")}') AS d0,
    json_extract(e.data, '{json_path(EntryPosted, POSTINGS, 1, "account_id")}') AS i1,
    json_extract(e.data, '{json_path(EntryPosted, POSTINGS, 1, "amount")}') AS d1
  FROM {_E} e
  WHERE e.position > ?1 AND e.position <= ?2 AND {_CURRENT_ENTRY}
  ORDER BY e.position
) x
LEFT JOIN temp.rb_accounts m0 ON m0.account_id = x.i0
LEFT JOIN temp.rb_accounts m1 ON m1.account_id = x.i1
"""
# A void's entry is the first event of the stream entry-<id>, as the projector finds it;
# NULL (a void of an entry never posted) fails the NOT NULL constraint.
_FILL_VOIDS = f"""
INSERT INTO {_V} (position, entry_position)
SELECT e.position,
  (SELECT p.position FROM {_E} p
   WHERE p.stream_id = 'entry-' || json_extract(e.data, '{json_path(EntryVoided, ENTRY_ID)}')
     AND p.stream_version = 1 AND p.type = '{POSTED}')
FROM temp.rb_entries x JOIN {_E} e ON e.position = x.position
WHERE x.factor = -1
"""
_GENERAL_ENTRIES = (
    "SELECT x.position, x.factor, x.day, e.data FROM temp.rb_entries x "
    f"JOIN {_E} e ON e.position = x.position WHERE NOT x.common ORDER BY x.position"
)
_ADD_LEGS = "INSERT INTO temp.rb_legs VALUES (?, ?, ?, ?)"
_ADD_ACCOUNT = "INSERT INTO temp.rb_accounts VALUES (?, ?, ?, ?, 0, 0)"
_ADD_VOID = f"INSERT INTO {_V} (position, entry_position) VALUES (?, ?)"

_COMMON_LEG = """
  SELECT x.{account} AS acct, x.position AS position, x.day AS day, x.{amount} AS amount
  FROM temp.rb_entries x WHERE x.common
"""
# A posting to an account never opened leaves acct NULL, which rm_register refuses.
_FILL_REGISTER = f"""
INSERT INTO {_R} (acct, booking_date, position, amount)
SELECT acct, day, position, amount FROM (
  {_COMMON_LEG.format(account="a0", amount="r0")}
  UNION ALL
  {_COMMON_LEG.format(account="a1", amount="r1")}
  UNION ALL
  SELECT acct, position, day, amount FROM temp.rb_legs
)
"""
# The chunk's common entries summed per block and pair of accounts (a household books few
# distinct pairs: far fewer rows than legs), then each pair's sums put on both its accounts:
# what the legs moved each balance, how many there are, their latest date and position.
_COMMON_LEGS_PER_BLOCK = """
    SELECT p.{account} AS acct, p.block AS block, p.{amount} AS moved, p.n AS n,
           p.day AS day, p.last AS last
    FROM pairs p
"""
# Per account, block by block, onto its values at the end of the previous chunk; a block
# that the previous chunk began gets its row replaced. ("WHERE true" tells SQLite's parser
# that ON CONFLICT belongs to the INSERT.)
_FILL_BLOCKS = f"""
WITH pairs AS (
  SELECT (x.position - 1) / ?1 AS block, x.a0 AS a0, x.a1 AS a1,
         sum(x.r0) AS r0, sum(x.r1) AS r1, count(*) AS n,
         max(x.day) AS day, max(x.position) AS last
  FROM temp.rb_entries x WHERE x.common GROUP BY 1, 2, 3
)
INSERT INTO {qualified(rm_blocks)} (acct, block, balance, rows, max_date, last_position)
SELECT g.acct, g.block, m.balance + sum(g.moved) OVER w, m.rows + sum(g.n) OVER w,
       max(m.max_date, max(g.day) OVER w), g.last
FROM (
  SELECT acct, block, sum(moved) AS moved, sum(n) AS n, max(day) AS day, max(last) AS last
  FROM (
    {_COMMON_LEGS_PER_BLOCK.format(account="a0", amount="r0")}
    UNION ALL
    {_COMMON_LEGS_PER_BLOCK.format(account="a1", amount="r1")}
    UNION ALL
    SELECT acct, (position - 1) / ?1, amount, 1, day, position FROM temp.rb_legs
  ) GROUP BY acct, block
) g JOIN temp.rb_accounts m ON m.acct = g.acct
WHERE true
WINDOW w AS (PARTITION BY g.acct ORDER BY g.block ROWS UNBOUNDED PRECEDING)
ON CONFLICT (acct, block) DO UPDATE SET balance = excluded.balance, rows = excluded.rows,
  max_date = excluded.max_date, last_position = excluded.last_position
"""
# The chunk's legs summed per account, block and month onto the month tables (a chunk may
# end inside a block, so its sums add to what the previous chunk left)
_LEGS = f"""
  {_COMMON_LEG.format(account="a0", amount="r0")}
  UNION ALL
  {_COMMON_LEG.format(account="a1", amount="r1")}
  UNION ALL
  SELECT acct, position, day, amount FROM temp.rb_legs
"""
_FILL_MONTH_BLOCKS = f"""
INSERT INTO {qualified(rm_month_blocks)} (acct, block, month, amount, rows)
SELECT acct, (position - 1) / ?1, day / 100, sum(amount), count(*) FROM ({_LEGS}) WHERE true
GROUP BY 1, 2, 3
ON CONFLICT (acct, block, month) DO UPDATE SET amount = amount + excluded.amount,
  rows = rows + excluded.rows
"""
_FILL_MONTH_SPANS = f"""
INSERT INTO {qualified(rm_month_spans)} (acct, month, span, amount, rows)
SELECT acct, day / 100, (position - 1) / ?1, sum(amount), count(*) FROM ({_LEGS}) WHERE true
GROUP BY 1, 2, 3
ON CONFLICT (acct, month, span) DO UPDATE SET amount = amount + excluded.amount,
  rows = rows + excluded.rows
"""
_CARRY = f"""
UPDATE temp.rb_accounts SET (balance, rows, max_date) = (
  SELECT b.balance, b.rows, b.max_date FROM {qualified(rm_blocks)} b
  WHERE b.acct = rb_accounts.acct ORDER BY b.block DESC LIMIT 1)
WHERE EXISTS (SELECT 1 FROM {qualified(rm_blocks)} b WHERE b.acct = rb_accounts.acct)
"""
# as the projector's: the checkpoint remembers its event's hash (how a cache knows its book)
_SET_CHECKPOINT = (
    f"UPDATE {qualified(rm_checkpoint)} SET position = ?1, "
    f"event_hash = (SELECT hash FROM {_E} WHERE position = ?1) WHERE id = 1"
)


def rebuild_chunks(
    conn: Connection, projector: ReadModelProjector, total: int, chunk_size: int
) -> Iterator[int]:
    """Fill the emptied ``rm_`` tables (date index dropped) from events 1..total, a chunk of
    positions at a time inside the caller's transaction; yields the position reached after
    each chunk. The projector's memory is not kept (it is told to forget at the end)."""
    raw = dbapi(conn)
    for name, columns in _TEMP_TABLES.items():
        raw.execute(f"DROP TABLE IF EXISTS temp.{name}")
        raw.execute(f"CREATE TEMP TABLE {name} ({columns})")
    try:
        done = 0
        while done < total:
            upto = min(total, done + chunk_size)
            try:
                _chunk(raw, projector, done, upto)
            except (ValueError, KeyError) as exc:  # an event put into the book by hand
                raise BrokenHistory(None, f"misplaced ({exc})") from exc
            raw.execute(_SET_CHECKPOINT, (upto,))
            done = upto
            yield done
    finally:
        projector.forget()
        for name in _TEMP_TABLES:
            raw.execute(f"DROP TABLE IF EXISTS temp.{name}")


def _chunk(raw: sqlite3.Connection, projector: ReadModelProjector, after: int, upto: int) -> None:
    span = (after, upto, _POSTED, _VOIDED)
    legs: list[tuple[int, int, int, int]] = []
    voids: list[tuple[int, int]] = []
    opened: list[tuple[Any, ...]] = []
    versions: list[tuple[Any, ...]] = []
    accounts = projector.accounts
    for position, kind, schema_version, text in raw.execute(_SELECT_FOR_PYTHON, span):
        if kind not in (POSTED, VOIDED):
            before = len(opened)
            event = from_data(kind, schema_version, json.loads(text))
            projector.account_event(position, event, opened, versions)
            for acct, account_id, _type, _currency, opening, _overdraft in opened[before:]:
                raw.execute(_ADD_ACCOUNT, (acct, account_id, accounts[account_id].sign, opening))
            continue
        data = current_data(kind, schema_version, json.loads(text))
        if kind == POSTED:
            day, factor = day_number(data[BOOKING_DATE]), 1
        else:
            voids.append((position, projector.entry_position(data[ENTRY_ID])))
            day, factor = day_number(data[VOIDED_ON]), -1
        legs.extend(
            (state.acct, position, day, amount)
            for state, amount in projector.legs(data[POSTINGS], factor)
        )
    projector.insert_account_rows(raw, opened, versions)
    raw.execute(_FILL_ENTRIES, span)
    for position, factor, day, text in raw.execute(_GENERAL_ENTRIES).fetchall():
        legs.extend(
            (state.acct, position, day, amount)
            for state, amount in projector.legs(json.loads(text)[POSTINGS], factor)
        )
    if legs:
        raw.executemany(_ADD_LEGS, legs)
    span_text = f"positions {after + 1}..{upto}"
    _fill(raw, _FILL_VOIDS, f"a void in {span_text} names an entry never posted")
    if voids:
        raw.executemany(_ADD_VOID, voids)
    _fill(raw, _FILL_REGISTER, f"an entry in {span_text} posts to an unknown account")
    raw.execute(_FILL_BLOCKS, (tables.BLOCK,))
    raw.execute(_FILL_MONTH_BLOCKS, (tables.BLOCK,))
    raw.execute(_FILL_MONTH_SPANS, (tables.BLOCK * tables.SPAN,))
    raw.execute(_CARRY)
    raw.execute("DELETE FROM temp.rb_entries")
    raw.execute("DELETE FROM temp.rb_legs")


def _fill(raw: sqlite3.Connection, sql: str, refused: str) -> None:
    """Run one of the rebuild's INSERT ... SELECTs; a row the table refuses (NOT NULL: an
    entry or account the events never made) fails the rebuild with ``refused``."""
    try:
        raw.execute(sql)
    except sqlite3.IntegrityError:
        raise ValueError(refused) from None
