"""What the status bar says a command recorded, in the history's words."""

from __future__ import annotations

from collections.abc import Sequence

from app.formatting import babel_locale_name
from app.models.sources import AccountRow
from domain.model.event_schema import from_data
from domain.model.events import AccountOpened
from domain.projections.text import describe
from domain.store.base import StoredEvent

_SAID = 3  # more than this many events (an import) are counted, and the first one said


def recorded_text(events: Sequence[StoredEvent], accounts: Sequence[AccountRow]) -> str:
    """``Recorded: Withdrawal €45.00 from Checking to Groceries — Market`` and the like."""
    typed = [from_data(e.type, e.schema_version, e.data) for e in events]
    names = {row.account_id: row.name for row in accounts}
    # an account this command opened may not be in the accounts model yet
    names.update({e.account_id: e.name for e in typed if isinstance(e, AccountOpened)})
    locale = babel_locale_name()
    try:
        said = [describe(e, lambda i: names.get(i, i), locale=locale)[2] for e in typed]
    except ValueError:  # an event the history cannot word (from a newer Tallybook)
        said = []
    if not said:
        count = len(events)
        return f"Recorded {count:,} event{'' if count == 1 else 's'}"
    if len(said) > _SAID:
        return f"Recorded {len(said):,} events: {said[0]}, …"
    return "Recorded: " + "; ".join(said)
