"""The search index's trigrams: which events may hold a text, so that a text few events hold
is found without reading every event's texts.

``rm_search_grams`` is an FTS5 table with SQLite's trigram tokenizer over each event's
``rm_search.text`` (already casefolded, so ``case_sensitive 1`` keeps it exact), contentless
(the texts stay in ``rm_search`` alone) and ``detail=none`` (which events hold a trigram, not
where: the smallest such index). It only proposes candidates: the events holding every
trigram of the query, a superset of those whose text holds the query; the query's
``instr`` check, the same as without the index, decides. So a search means what it meant.
A query under 3 characters has no trigram and scans the texts (it matches many events, so
its first page comes soon anyway), as does one whose trigrams many events hold (a scan
finds the first page of a common text sooner than the candidates are listed). With other
filters too (dates, accounts, amounts, types) the bar is lower, :data:`FEW`: each candidate
is read, and those filters may turn most of them down.

The trigrams hold positions up to their own row in ``rm_search_state`` (:data:`STATE_ID`):
a cache made before them gets the table and is filled from the stored texts, a batch a
transaction, before new events are indexed (then both grow in one transaction).
"""

from __future__ import annotations

import sqlite3

from domain.projections.tables import SCHEMA, qualified, rm_search, rm_search_state

GRAMS = "rm_search_grams"
STATE_ID = 2
"""The grams' row in ``rm_search_state`` (the texts' own is 1)."""
PROBE = 20_000
"""Above this many candidates a text counts as common: the scan finds its first page first."""
FEW = 5_000
""":data:`PROBE` for a text with other filters (a seek a candidate: ~25 ms at most here)."""

_G = f'"{SCHEMA}"."{GRAMS}"'
_S, _STATE = qualified(rm_search), qualified(rm_search_state)
_CREATE = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {_G} USING fts5(text, content='', detail=none, "
    "tokenize='trigram case_sensitive 1')"
)
_SET_STATE = f"INSERT OR REPLACE INTO {_STATE} VALUES ({STATE_ID}, ?)"
CANDIDATES = f"SELECT rowid FROM {_G} WHERE {GRAMS} MATCH ?"
"""The positions that may match; its parameter is a :func:`match_expression`."""


def grams_upto(raw: sqlite3.Connection) -> int | None:
    """The last position the trigrams hold (None: no table yet, or not known)."""
    exists = raw.execute(
        f"SELECT 1 FROM \"{SCHEMA}\".sqlite_master WHERE type = 'table' AND name = ?", (GRAMS,)
    ).fetchone()
    if exists is None:
        return None
    row = raw.execute(f"SELECT position FROM {_STATE} WHERE id = ?", (STATE_ID,)).fetchone()
    return None if row is None else int(row[0])


def ready(raw: sqlite3.Connection, texts_upto: int) -> bool:
    """Whether the trigrams hold every event the texts do (else queries do without them)."""
    return grams_upto(raw) == texts_upto


def ensure(raw: sqlite3.Connection, texts_upto: int) -> int:
    """Inside a write transaction: the table made if missing, and emptied if its position is
    not known or ahead of the texts' (they were emptied); returns the position it holds."""
    upto = grams_upto(raw)
    if upto is not None and upto <= texts_upto:
        return upto
    raw.execute(_CREATE)
    raw.execute(f"INSERT INTO {_G}({GRAMS}) VALUES ('delete-all')")
    raw.execute(_SET_STATE, (0,))
    return 0


def add(raw: sqlite3.Connection, texts: list[tuple[int, str]]) -> None:
    """Index (position, text) pairs just after :func:`grams_upto`, in the caller's transaction."""
    if texts:
        raw.executemany(f"INSERT INTO {_G}(rowid, text) VALUES (?, ?)", texts)
        raw.execute(_SET_STATE, (texts[-1][0],))


def fill(raw: sqlite3.Connection, after: int, upto: int) -> None:
    """Index the stored texts of positions ``after+1..upto``, in the caller's transaction."""
    raw.execute(
        f"INSERT INTO {_G}(rowid, text) SELECT position, text FROM {_S} "
        "WHERE position > ? AND position <= ? ORDER BY position",
        (after, upto),
    )
    raw.execute(_SET_STATE, (upto,))


def match_expression(text: str) -> str | None:
    """The FTS5 query of every trigram of ``text`` (casefolded, as stored), or None when it
    has none (under 3 characters) or holds a NUL (which FTS5's query syntax cannot quote)."""
    if len(text) < 3 or "\x00" in text:
        return None
    grams = dict.fromkeys(text[i : i + 3] for i in range(len(text) - 2))
    return " ".join('"' + gram.replace('"', '""') + '"' for gram in grams)


def candidates(raw: sqlite3.Connection, expression: str) -> int:
    """How many events hold every trigram of the expression (``PROBE + 1``: more)."""
    row = raw.execute(
        f"SELECT count(*) FROM ({CANDIDATES} LIMIT {PROBE + 1})", (expression,)
    ).fetchone()
    return int(row[0])
