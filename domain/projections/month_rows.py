"""What the projector adds to ``rm_month_blocks`` and ``rm_month_spans`` (see ``tables.py``)
for a batch of register rows: positions only grow, so a batch only ever adds to the sums of
the latest block and span, an upsert that adds."""

from __future__ import annotations

import sqlite3

from domain.projections import tables
from domain.projections.tables import qualified, rm_month_blocks, rm_month_spans

Months = dict[tuple[int, int, int], int]
"""(acct, block, month) -> what a batch's rows add to its rm_month_blocks sum."""

_ADD = (
    'INSERT INTO {table} ("acct", {keys}, "amount") VALUES (?, ?, ?, ?) '
    'ON CONFLICT ("acct", {keys}) DO UPDATE SET "amount" = "amount" + excluded."amount"'
)
_MONTH_BLOCK = _ADD.format(table=qualified(rm_month_blocks), keys='"block", "month"')
_MONTH_SPAN = _ADD.format(table=qualified(rm_month_spans), keys='"month", "span"')


def insert_months(raw: sqlite3.Connection, months: Months) -> None:
    """Add a batch's month sums to ``rm_month_blocks`` and ``rm_month_spans``."""
    spans: dict[tuple[int, int, int], int] = {}
    for (acct, block, month), amount in months.items():
        key = (acct, month, block // tables.SPAN)
        spans[key] = spans.get(key, 0) + amount
    if months:
        raw.executemany(_MONTH_BLOCK, [(*key, amount) for key, amount in months.items()])
        raw.executemany(_MONTH_SPAN, [(*key, amount) for key, amount in spans.items()])
