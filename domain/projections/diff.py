"""What changed each account's balance between two points of the history."""

from __future__ import annotations

from collections.abc import Mapping

from domain.model.event_schema import from_data
from domain.model.events import AccountOpened, AccountType, EntryPosted, EntryVoided
from domain.store.base import StoredEvent


def balance_changes(stored: StoredEvent, types: Mapping[str, AccountType]) -> dict[str, int]:
    """How the event moves each account's natural-signed balance (minor units), by account
    id; {} for an event that moves none (a rename, a close, an import's own record).

    ``types``: the account type of every account the event names (they never change)."""
    event = from_data(stored.type, stored.schema_version, stored.data)
    if isinstance(event, AccountOpened):
        return {event.account_id: event.opening_balance} if event.opening_balance else {}
    if not isinstance(event, EntryPosted | EntryVoided):
        return {}
    factor = 1 if isinstance(event, EntryPosted) else -1  # a void reverses the postings
    changes: dict[str, int] = {}
    for posting in event.postings:
        amount = factor * types[posting.account_id].sign * posting.amount
        changes[posting.account_id] = changes.get(posting.account_id, 0) + amount
    return {account_id: amount for account_id, amount in changes.items() if amount}
