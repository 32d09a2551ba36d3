"""What the status bar says a command recorded, in the history's words."""

from __future__ import annotations

from collections.abc import Sequence

from app.models.history import HistoryModel
from domain.store.base import StoredEvent

_SAID = 3  # more than this many events (an import) are counted, and the first one said


def recorded_text(events: Sequence[StoredEvent], history: HistoryModel) -> str:
    """``Recorded: Withdrawal €45.00 from Checking to Groceries — Market`` and the like: the
    summaries the history shows for the new events (it has taken them in already)."""
    said: list[str] = []
    for event in events[: _SAID + 1]:
        row = history.row_at(history.row_of(event.position))
        if row is None or row.position != event.position:
            said = []  # the history does not have them (yet): count them instead
            break
        said.append(row.summary)
    count = len(events)
    if not said:
        return f"Recorded {count:,} event{'' if count == 1 else 's'}"
    if count > _SAID:
        return f"Recorded {count:,} events: {said[0]}, …"
    return "Recorded: " + "; ".join(said)
