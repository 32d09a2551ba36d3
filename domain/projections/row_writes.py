"""Rows straight to the sqlite3 cursor, as tuples in column order, with SQL made once; and
the month sums' rows (see ``tables.py``), which only ever grow by what new rows add."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table

from domain.projections import tables
from domain.projections.tables import qualified, rm_month_blocks, rm_month_spans


def insert_sql(table: Table, columns: Sequence[str] | None = None) -> str:
    """``INSERT`` of the given columns (default: all) in order, qmark-style for the sqlite3
    driver; the others take their defaults. Built once from the Table, the schema's source."""
    names = list(columns) if columns else [c.name for c in table.columns]
    unknown = set(names) - set(table.columns.keys())
    assert not unknown, f"{table.name} has no columns {unknown}"
    quoted = ", ".join(f'"{name}"' for name in names)
    marks = ", ".join("?" * len(names))
    return f"INSERT INTO {qualified(table)} ({quoted}) VALUES ({marks})"


def insert_rows(raw: sqlite3.Connection, sql: str, rows: list[tuple[Any, ...]]) -> None:
    """``sql`` for each row (none: nothing)."""
    if len(rows) == 1:  # a command's usual case: execute skips executemany's iteration
        raw.execute(sql, rows[0])
    elif rows:
        raw.executemany(sql, rows)


_MONTH_BLOCK, _MONTH_SPAN = (
    insert_sql(t) + f" ON CONFLICT ({keys}) DO UPDATE SET "
    '"amount" = "amount" + excluded."amount", "rows" = "rows" + excluded."rows"'
    for t, keys in ((rm_month_blocks, '"acct", "block", "month"'),
                    (rm_month_spans, '"acct", "month", "span"'))
)  # fmt: skip
Months = dict[tuple[int, int, int], tuple[int, int]]
"""(acct, block, month) -> what a batch's rows add to its rm_month_blocks sum and count."""


def insert_months(raw: sqlite3.Connection, months: Months) -> None:
    """Add a batch's month sums to ``rm_month_blocks`` and ``rm_month_spans``."""
    spans: dict[tuple[int, int, int], tuple[int, int]] = {}
    for (acct, block, month), (amount, rows) in months.items():
        key = (acct, month, block // tables.SPAN)
        old_amount, old_rows = spans.get(key, (0, 0))
        spans[key] = (old_amount + amount, old_rows + rows)
    insert_rows(raw, _MONTH_BLOCK, [(*key, *sums) for key, sums in months.items()])
    insert_rows(raw, _MONTH_SPAN, [(*key, *sums) for key, sums in spans.items()])
