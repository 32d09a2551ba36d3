"""The read-model tables (``rm_`` prefix), in their own database attached as ``rm``.

They live in a cache file beside nothing the user sees (see ``location.py``), attached to the
store's connection under the schema name :data:`SCHEMA`, so one transaction can read the
events and write the read models, while only the events' pages are flushed on commit.

Accounts are keyed inside the read models by ``acct``, the position of their AccountOpened: a
small integer keeps the per-posting rows and their indexes compact.

- ``rm_register``: one row per (account, entry or void) with the natural-signed amount, keyed
  (acct, booking date, position): the order a register shows, so a page, and the sum of the
  rows before or after it, is one range of the key. Dates are integers ``yyyymmdd`` (see
  :func:`day_number`): they sort as dates do, and are smaller and quicker to compare than ISO
  text. A row says nothing more of its entry: a register page (100 rows) reads the entry's
  id, payee, memo and other accounts from the event itself.
- ``rm_blocks``: per account and block of :data:`BLOCK` positions in which it has rows, its
  balance, row count, latest booking date and last row's position after its rows up to the
  end of that block (or up to the checkpoint, for the block being filled). "As of p" is the
  account's row of the last block before p's own, plus the at most BLOCK events from there
  to p (see ``queries.account_states``). Running values on every register row would answer
  with one seek, but a rebuild spent more on computing and storing them than on anything
  else.
- ``rm_month_blocks`` and ``rm_month_spans``: per account, booking month (``yyyymm``) and
  block (or span of :data:`SPAN` blocks) the sum of its register rows and their count (the
  date axis pages a register cut at a date by it). A sum over months as known at p is the
  spans before p's span, the blocks of p's span before p's block, and the at
  most BLOCK events from there to p: a few hundred rows per account, where the register holds
  tens of thousands. Positions only grow, so new rows only ever add to the latest block's and
  span's sums (no earlier row changes): that keeps them incremental.
- ``rm_account_versions``: the name, closed flag and parent (its account id, "" at the top)
  after each open/rename/move/close, keyed (acct, position), so "name as of p" is one seek
  too.
- ``rm_voids``: which entry each EntryVoided reversed, keyed both ways (a void's position, and
  the voided entry's for "voided by" on a register page).
- ``rm_checkpoint``: the last applied position, the hash of that event and the id of the book
  (together they tell whether the cache still belongs to the book at its path: a restored
  older copy, or another book put in its place, makes them disagree), and the code version
  that wrote the tables.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

SCHEMA = "rm"
"""The name the read-model database is attached under."""

CODE_VERSION = "8"
"""Bump when the tables or what goes into them change: books then rebuild on open."""


BLOCK = 128
"""Positions per ``rm_blocks`` block: an as-of question reads at most this many events."""


SPAN = 64
"""Blocks per ``rm_month_spans`` row."""


def block_of(position: int) -> int:
    """The ``rm_blocks`` block that holds a position (1..BLOCK -> 0, ...)."""
    return (position - 1) // BLOCK


def block_start(block: int) -> int:
    """The position just before a block's first one (block 0 -> 0)."""
    return block * BLOCK


def day_number(iso: str) -> int:
    """``"2024-03-01"`` -> ``20240301``, as ``rm_register`` keeps dates."""
    return int(iso.replace("-", ""))


def day_from_number(number: int) -> dt.date:
    """``20240301`` -> ``date(2024, 3, 1)``."""
    return dt.date(number // 10000, number // 100 % 100, number % 100)


# INTEGER exactly on SQLite so single-column keys alias the rowid; 64-bit elsewhere
Int64 = BigInteger().with_variant(Integer(), "sqlite")

metadata = MetaData(schema=SCHEMA)


def qualified(table: Table) -> str:
    """The table's quoted name with its schema ("main" for the book's own tables).

    A read-only book may still hold an older Tallybook's rm_ tables in "main", so raw SQL
    never leaves a name to SQLite's search order.
    """
    return f'"{table.schema or "main"}"."{table.name}"'


rm_checkpoint = Table(
    "rm_checkpoint",
    metadata,
    Column("id", Int64, primary_key=True, autoincrement=False),
    Column("position", Int64, nullable=False),
    Column("event_hash", LargeBinary, nullable=True),  # of the event at position; NULL at 0
    Column("book_id", String(64), nullable=False),
    Column("code_version", String(32), nullable=False),
)

rm_accounts = Table(
    "rm_accounts",
    metadata,
    Column("acct", Int64, primary_key=True, autoincrement=False),
    Column("account_id", String(64), nullable=False, unique=True),
    Column("account_type", String(16), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("opening_balance", Int64, nullable=False),
    Column("overdraft_allowed", Boolean, nullable=False),
)

rm_account_versions = Table(
    "rm_account_versions",
    metadata,
    Column("acct", Int64, primary_key=True, autoincrement=False),
    Column("position", Int64, primary_key=True, autoincrement=False),
    Column("name", Text, nullable=False),
    Column("closed", Boolean, nullable=False),
    Column("parent_id", String(64), nullable=False, server_default=""),
    sqlite_with_rowid=False,
)

rm_register = Table(
    "rm_register",
    metadata,
    Column("acct", Int64, primary_key=True, autoincrement=False),
    Column("booking_date", Integer, primary_key=True, autoincrement=False),  # yyyymmdd
    Column("position", Int64, primary_key=True, autoincrement=False),
    Column("amount", Int64, nullable=False),
    sqlite_with_rowid=False,
)

rm_blocks = Table(
    "rm_blocks",
    metadata,
    Column("acct", Int64, primary_key=True, autoincrement=False),
    Column("block", Int64, primary_key=True, autoincrement=False),
    Column("balance", Int64, nullable=False),
    Column("rows", Int64, nullable=False),
    Column("max_date", Integer, nullable=False),  # yyyymmdd
    Column("last_position", Int64, nullable=False),
    sqlite_with_rowid=False,
)

rm_month_blocks = Table(
    "rm_month_blocks",
    metadata,
    Column("acct", Int64, primary_key=True, autoincrement=False),
    Column("block", Int64, primary_key=True, autoincrement=False),
    Column("month", Integer, primary_key=True, autoincrement=False),  # yyyymm
    Column("amount", Int64, nullable=False),
    Column("rows", Int64, nullable=False),  # how many register rows the amount sums
    sqlite_with_rowid=False,
)

rm_month_spans = Table(
    "rm_month_spans",
    metadata,
    Column("acct", Int64, primary_key=True, autoincrement=False),
    Column("month", Integer, primary_key=True, autoincrement=False),  # yyyymm
    Column("span", Int64, primary_key=True, autoincrement=False),  # block // SPAN
    Column("amount", Int64, nullable=False),
    Column("rows", Int64, nullable=False),  # how many register rows the amount sums
    sqlite_with_rowid=False,
)

rm_voids = Table(
    "rm_voids",
    metadata,
    Column("position", Int64, primary_key=True, autoincrement=False),
    Column("entry_position", Int64, nullable=False),
)
Index("ix_rm_voids_entry", rm_voids.c.entry_position)

# the history's search index (``search_index``): one row per event with what its filters ask,
# filled up to its own checkpoint (rm_search_state) after the other tables, so a rebuild does
# not wait for it
rm_search = Table(
    "rm_search",
    metadata,
    Column("position", Int64, primary_key=True, autoincrement=False),
    Column("type", String(64), nullable=False),
    Column("day", Integer, nullable=False),  # booking date yyyymmdd, 0: none
    Column("author", Text, nullable=False),  # casefolded
    Column("amount", Int64, nullable=True),  # minor units (history_filter.event_amount)
    Column("text", Text, nullable=False),  # casefolded search texts, joined by \x1f
)
Index("ix_rm_search_type", rm_search.c.type, rm_search.c.position)
Index("ix_rm_search_day", rm_search.c.day, rm_search.c.position)
Index("ix_rm_search_author", rm_search.c.author, rm_search.c.position)
Index("ix_rm_search_amount", rm_search.c.amount, rm_search.c.position)

rm_search_accounts = Table(
    "rm_search_accounts",
    metadata,
    Column("account_id", String(64), primary_key=True),
    Column("position", Int64, primary_key=True, autoincrement=False),
    sqlite_with_rowid=False,
)

rm_search_state = Table(
    "rm_search_state",
    metadata,
    Column("id", Int64, primary_key=True, autoincrement=False),
    Column("position", Int64, nullable=False),
)

ALL_TABLES = (
    rm_checkpoint, rm_accounts, rm_account_versions, rm_register, rm_blocks, rm_month_blocks,
    rm_month_spans, rm_voids,
)  # fmt: skip
"""The read models proper: the same rows whether rebuilt or applied event by event."""
SEARCH_TABLES = (rm_search, rm_search_accounts, rm_search_state)
