"""The chart of accounts (stream ``chart``): which names are taken, for the unique-name rule,
and the hierarchy (which account sits under which), for the parent rules.

Every account event is linked into the chart stream, so opening, renaming, moving or closing
an account is guarded by the chart's version: two people cannot take the same name at the same
time, nor make a cycle or put an account under one being closed.

The parent rules (:meth:`Chart.require_parent`): a parent is an account that exists, is open
(not closed) and is of the same type as its child (an expense under an expense); an account
is never put under itself or under an account below it. Currencies may differ: a parent
shows a subtotal per currency.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from domain.model.errors import (
    AccountClosedError,
    DuplicateAccountName,
    ParentCycle,
    UnknownAccount,
    WrongAccountType,
)
from domain.model.events import (
    AccountClosed,
    AccountMoved,
    AccountOpened,
    AccountRenamed,
    AccountType,
    Event,
)

STREAM_ID = "chart"
SNAPSHOT_VERSION = "chart-2"
"""Bump when the snapshot state changes shape; older snapshots are then ignored."""


def normalise_name(name: str) -> str:
    """The key two names clash on: trimmed, NFC-composed, case-folded ("Café " == "CAFÉ").
    Composed again after folding: folding may undo a composition (U+0345 folds to ι)."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", name.strip()).casefold())


@dataclass(slots=True)
class Chart:
    """Names in use (normalised) mapped to account ids, and each account's type, parent and
    whether it is closed. Closed accounts keep their names."""

    names: dict[str, str] = field(default_factory=dict)
    display: dict[str, str] = field(default_factory=dict)  # account id -> name as typed
    version: int = 0
    types: dict[str, AccountType] = field(default_factory=dict)
    parents: dict[str, str] = field(default_factory=dict)  # account id -> parent id ("": none)
    closed: set[str] = field(default_factory=set)

    def apply(self, event: Event) -> None:
        """Mutate the state by one event linked into the chart stream."""
        if isinstance(event, AccountOpened):
            self.names[normalise_name(event.name)] = event.account_id
            self.display[event.account_id] = event.name
            self.types[event.account_id] = event.account_type
            self.parents[event.account_id] = event.parent_id
        elif isinstance(event, AccountRenamed):
            self.names.pop(normalise_name(event.old_name), None)
            self.names[normalise_name(event.new_name)] = event.account_id
            self.display[event.account_id] = event.new_name
        elif isinstance(event, AccountMoved):
            self.parents[event.account_id] = event.new_parent_id
        elif isinstance(event, AccountClosed):
            self.closed.add(event.account_id)
        else:
            raise ValueError(f"{type(event).__name__} does not belong to the chart stream")
        self.version += 1

    def path(self, account_id: str) -> list[str]:
        """The account's name after its parents' ("Expenses", "Car", "Fuel")."""
        names: list[str] = []
        seen: set[str] = set()
        while account_id and account_id not in seen:  # seen: a book written around the rules
            seen.add(account_id)
            names.append(self.display.get(account_id, account_id))
            account_id = self.parents.get(account_id, "")
        return names[::-1]

    def require_parent(self, child_id: str, child_type: AccountType, parent_id: str) -> None:
        """Refuse ``parent_id`` as the parent of ``child_id`` (of ``child_type``) unless it
        is "" (the top) or an open account of the same type that is neither the child nor
        below it. ``child_id`` may be an account being opened."""
        if not parent_id:
            return
        if parent_id not in self.display:
            raise UnknownAccount(f"there is no account with id {parent_id} to put it under")
        parent = self.display[parent_id]
        if parent_id in self.closed:
            raise AccountClosedError(f"{parent} is closed: no account can be put under it")
        parent_type = self.types[parent_id]
        if parent_type is not child_type:
            raise WrongAccountType(
                f"{parent} is {_article(parent_type)} {parent_type.value} account: only "
                f"{parent_type.value} accounts can sit under it, not "
                f"{_article(child_type)} {child_type.value} account"
            )
        above, seen = parent_id, set()
        while above and above not in seen:
            if above == child_id:
                child = self.display.get(child_id, child_id)
                why = "itself" if parent_id == child_id else f"{parent}, which is below it"
                raise ParentCycle(f"{child} cannot be put under {why}")
            seen.add(above)
            above = self.parents.get(above, "")

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
        return Chart(
            dict(self.names), dict(self.display), self.version, dict(self.types),
            dict(self.parents), set(self.closed),
        )  # fmt: skip

    def to_snapshot(self) -> dict[str, Any]:
        return {
            "display": dict(self.display),
            "version": self.version,
            "types": {k: v.value for k, v in self.types.items()},
            "parents": {k: v for k, v in self.parents.items() if v},
            "closed": sorted(self.closed),
        }

    @classmethod
    def from_snapshot(cls, state: Mapping[str, Any]) -> Chart:
        display = {str(k): str(v) for k, v in state["display"].items()}
        names = {normalise_name(name): account_id for account_id, name in display.items()}
        types = {str(k): AccountType(v) for k, v in state["types"].items()}
        parents = {account_id: str(state["parents"].get(account_id, "")) for account_id in display}
        closed = {str(k) for k in state["closed"]}
        return cls(names, display, int(state["version"]), types, parents, closed)


def _article(account_type: AccountType) -> str:
    return "an" if account_type.value[0] in "aeiou" else "a"
