"""Stored event data as the projections' hot paths read it, without decoding it.

The keys, list indexes and JSON paths come from the event declarations
(``domain/model/events.py``) and are checked when this module is imported: a misspelt field
fails the import, never reads as a silent zero. Everything else works on typed events
(``from_data``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, func

from domain.model.event_schema import data_key, stored_index, value_type
from domain.model.events import (
    AccountClosed,
    AccountOpened,
    AccountRenamed,
    EntryPosted,
    EntryVoided,
    Event,
    Posting,
)

OPENED, RENAMED, CLOSED = (c.type_name() for c in (AccountOpened, AccountRenamed, AccountClosed))
POSTED, VOIDED = EntryPosted.type_name(), EntryVoided.type_name()

# an entry and its void share these keys: the projector reads both alike
ENTRY_ID = data_key(EntryPosted, "entry_id", EntryVoided)
POSTINGS = data_key(EntryPosted, "postings", EntryVoided)
BOOKING_DATE = data_key(EntryPosted, "booking_date")
VOIDED_ON = data_key(EntryVoided, "voided_on")
_POSTING_ORDER = tuple(stored_index(Posting, f) for f in ("account_id", "currency", "amount"))
if _POSTING_ORDER != (0, 1, 2) or {value_type(c, POSTINGS) for c in (EntryPosted, EntryVoided)} != {
    Posting
}:
    raise ImportError("account_debits unpacks stored postings as [account_id, currency, amount]")


def account_debits(postings: Sequence[Sequence[Any]]) -> dict[str, int]:
    """Account id -> its debit in an entry's stored postings (postings to one account added
    up), in the order of each account's first posting: one register row per account."""
    debits: dict[str, int] = {}
    for account_id, _currency, debit in postings:
        debits[account_id] = debits.get(account_id, 0) + debit
    return debits


def json_path(cls: type[Event], field: str, *index: int | str) -> str:
    """The JSON path of a field of ``cls``'s stored data; ``index`` goes into a tuple of
    values: a position, then a value's field (``"postings", 0, "account_id"`` ->
    ``$.postings[0][0]``). Raises for a field ``cls`` does not have."""
    path = f"$.{data_key(cls, field)}"
    if not index:
        return path
    position, *rest = index
    if not isinstance(position, int) or len(rest) > 1:
        raise TypeError(f"json_path: {index!r} is not (position[, field of the value])")
    path += f"[{position}]"
    if rest:
        path += f"[{stored_index(value_type(cls, field), str(rest[0]))}]"
    return path


def event_field(data: Any, cls: type[Event], field: str, *index: int | str) -> ColumnElement[Any]:
    """A field of an event's stored JSON data, in SQL (see :func:`json_path`)."""
    return func.json_extract(data, json_path(cls, field, *index))
