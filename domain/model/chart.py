"""The chart of accounts (stream ``chart``): which names are taken, for the unique-name rule.

Every account event is linked into the chart stream, so opening or renaming an account is
guarded by the chart's version: two people cannot take the same name at the same time.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from domain.model.errors import DuplicateAccountName
from domain.model.events import AccountClosed, AccountOpened, AccountRenamed, Event

STREAM_ID = "chart"
SNAPSHOT_VERSION = "chart-1"
"""Bump when the snapshot state changes shape; older snapshots are then ignored."""


def normalise_name(name: str) -> str:
    """The key two names clash on: trimmed, NFC-composed, case-folded ("Café " == "CAFÉ").
    Composed again after folding: folding may undo a composition (U+0345 folds to ι)."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", name.strip()).casefold())


@dataclass(slots=True)
class Chart:
    """Names in use (normalised) mapped to account ids. Closed accounts keep their names."""

    names: dict[str, str] = field(default_factory=dict)
    display: dict[str, str] = field(default_factory=dict)  # account id -> name as typed
    version: int = 0

    def apply(self, event: Event) -> None:
        """Mutate the state by one event linked into the chart stream."""
        if isinstance(event, AccountOpened):
            self.names[normalise_name(event.name)] = event.account_id
            self.display[event.account_id] = event.name
        elif isinstance(event, AccountRenamed):
            self.names.pop(normalise_name(event.old_name), None)
            self.names[normalise_name(event.new_name)] = event.account_id
            self.display[event.account_id] = event.new_name
        elif not isinstance(event, AccountClosed):
            raise ValueError(f"{type(event).__name__} does not belong to the chart stream")
        self.version += 1

    def id_for(self, name: str) -> str | None:
        """The id of the account with this name (any case), or None."""
        return self.names.get(normalise_name(name))

    def require_unique(self, name: str, *, allow_id: str | None = None) -> None:
        """Refuse a name another account already has (``allow_id`` may keep its own)."""
        holder = self.id_for(name)
        if holder is not None and holder != allow_id:
            existing = self.display[holder]
            same = "" if existing == name else f" ({name!r} differs only in case or spacing)"
            raise DuplicateAccountName(f"an account named {existing!r} already exists{same}")

    def copy(self) -> Chart:
        return Chart(dict(self.names), dict(self.display), self.version)

    def to_snapshot(self) -> dict[str, Any]:
        return {"display": dict(self.display), "version": self.version}

    @classmethod
    def from_snapshot(cls, state: Mapping[str, Any]) -> Chart:
        display = {str(k): str(v) for k, v in state["display"].items()}
        names = {normalise_name(name): account_id for account_id, name in display.items()}
        return cls(names, display, int(state["version"]))
