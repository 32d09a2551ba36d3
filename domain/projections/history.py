"""The history's rows for a run of stored events: each described with the names its
accounts had at its own position."""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from sqlalchemy import Connection

from domain.model.events import (
    AccountClosed,
    AccountMoved,
    AccountOpened,
    AccountReconciled,
    AccountRenamed,
    AccountReopened,
    EntryPosted,
    EntryVoided,
    ImportRestored,
    ImportUndone,
    ReconciliationReopened,
    StatementImported,
    from_data,
)
from domain.projections import queries
from domain.projections.rows import HistoryRow
from domain.projections.text import history_row
from domain.store.base import StoredEvent


def describe_events(
    conn: Connection, events: Sequence[StoredEvent], locale: str | None
) -> list[HistoryRow]:
    """The history rows of ``events`` (in position order, at least one), amounts in the
    Babel ``locale`` (``None``: the fixed form)."""
    decoded = [from_data(e.type, e.schema_version, e.data) for e in events]
    account_ids: set[str] = set()
    for event in decoded:
        if isinstance(event, EntryPosted | EntryVoided):
            account_ids.update([posting.account_id for posting in event.postings])
        elif isinstance(
            event,
            AccountRenamed
            | AccountClosed
            | AccountMoved
            | AccountReopened
            | StatementImported
            | ImportUndone
            | ImportRestored
            | AccountReconciled
            | ReconciliationReopened,
        ):
            account_ids.add(event.account_id)
            if isinstance(event, AccountMoved):
                account_ids.update(p for p in (event.old_parent_id, event.new_parent_id) if p)
        elif isinstance(event, AccountOpened) and event.parent_id:
            account_ids.add(event.parent_id)
    upto = events[-1].position
    versions = queries.name_versions(conn, account_ids, upto) if account_ids else {}
    void_positions = [
        s.position for s, e in zip(events, decoded, strict=True) if isinstance(e, EntryVoided)
    ]
    originals = queries.voided_entries(conn, void_positions) if void_positions else {}
    rows = []
    for stored, event in zip(events, decoded, strict=True):
        position = stored.position

        def name(account_id: str, position: int = position) -> str:
            history = versions[account_id]
            if len(history) == 1:  # most accounts keep their first name: no search
                return history[0][1]
            index = bisect.bisect_right(history, position, key=lambda v: v[0]) - 1
            return history[index][1]

        rows.append(history_row(stored, event, name, originals.get(position), locale=locale))
    return rows
