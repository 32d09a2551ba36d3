"""Proposing an imported row's category from the payees of the book's earlier entries.

:class:`PayeeIndex` keeps, per normalised payee (:func:`payee_key`: case, spacing, digits and
punctuation dropped, so "REWE 1234 Berlin" and "Rewe  Berlin" are one payee), the accounts of
the most recent entry with that payee, and an inverted index of the payees' words. A row's
proposal is the most recent entry's counter-account for the same payee, else for the payee
sharing the most words with it (Jaccard overlap of at least :data:`MIN_SIMILARITY`). Both are
dictionary look-ups: no scan of the entries per row.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

MIN_SIMILARITY = 0.5
"""The least word overlap (shared / all words) for a similar payee to count."""
KEPT = 8
"""How many distinct account sets a payee keeps: an entry booked to Uncategorised, or a
transfer, does not hide the category its payee had before."""
KEY_CACHE = 100_000
"""Raw payees whose key is remembered (bounded: bank texts with references rarely repeat)."""
COMMON_WORD = 500
"""A word in more payees than this says nothing about which one is meant (skipped)."""

_NOT_LETTERS = re.compile(r"[\W\d_]+")


def payee_key(payee: str) -> str:
    """The payee as entries are matched on: lower case, words only, single spaces."""
    return " ".join(_NOT_LETTERS.sub(" ", payee.casefold()).split())


@dataclass(frozen=True, slots=True)
class Proposal:
    """A proposed counter-account and why."""

    account_id: str
    reason: str
    position: int  # of the entry it was learned from


@dataclass(slots=True)
class PayeeIndex:
    """Normalised payee -> the accounts of its latest entries (the last :data:`KEPT` distinct
    sets, each with its latest position), and word -> payees."""

    latest: dict[str, dict[tuple[str, ...], int]] = field(default_factory=dict)
    words: dict[str, set[str]] = field(default_factory=dict)
    word_sets: dict[str, frozenset[str]] = field(default_factory=dict)  # split once, not per row
    _keys: dict[str, str] = field(default_factory=dict)  # raw payee -> key: payees repeat

    def add(self, payee: str, accounts: Sequence[str], position: int) -> None:
        """Learn an entry (in position order): its payee and the accounts it posts to."""
        key = self._keys.get(payee)
        if key is None:
            if len(self._keys) >= KEY_CACHE:
                self._keys.clear()
            key = self._keys[payee] = payee_key(payee)
        if not key:
            return
        if key not in self.latest:
            split = self.word_sets[key] = frozenset(key.split())
            for word in split:
                self.words.setdefault(word, set()).add(key)
        kept = self.latest.setdefault(key, {})
        kept.pop(tuple(accounts), None)
        kept[tuple(accounts)] = position  # insertion order: oldest first
        if len(kept) > KEPT:
            del kept[next(iter(kept))]

    def propose(
        self, payee: str, target_id: str, usable: Callable[[str], int | None]
    ) -> Proposal | None:
        """The counter-account for a row of ``target_id`` with this payee. ``usable(id)``
        ranks an account (lower is better: a category before a transfer's other account) or
        returns None for one the row cannot go against (the target, a suspense account, a
        closed one or another currency's)."""
        key = payee_key(payee)
        if not key:
            return None
        found = self._latest_usable(key, target_id, usable)
        if found is not None:
            return Proposal(found[1], f"the latest entry with payee {key!r}", found[0])
        best: tuple[float, int, str, str] | None = None
        mine = set(key.split())
        shared: dict[str, int] = {}  # payee -> words it shares with this one
        for word in mine:
            holders = self.words.get(word, ())
            if len(holders) <= COMMON_WORD:
                for other in holders:
                    shared[other] = shared.get(other, 0) + 1
        sizes = self.word_sets
        for other, common in shared.items():
            score = common / (len(mine) + len(sizes[other]) - common)
            if score < MIN_SIMILARITY or other == key:
                continue
            usable_one = self._latest_usable(other, target_id, usable)
            if usable_one is not None and (best is None or (score, usable_one[0]) > best[:2]):
                best = (score, usable_one[0], usable_one[1], other)
        if best is None:
            return None
        score, position, picked, other = best
        return Proposal(
            picked, f"the latest entry with the similar payee {other!r} ({score:.0%} of words)",
            position,
        )  # fmt: skip

    def _latest_usable(
        self, key: str, target_id: str, usable: Callable[[str], int | None]
    ) -> tuple[int, str] | None:
        """(position, account) of the payee's latest entry with a usable counter-account."""
        for accounts, position in reversed(self.latest.get(key, {}).items()):
            picked = _pick(accounts, target_id, usable)
            if picked is not None:
                return position, picked
        return None


def _pick(
    accounts: Sequence[str], target_id: str, usable: Callable[[str], int | None]
) -> str | None:
    ranked = [
        (rank, i, a)
        for i, a in enumerate(accounts)
        if a != target_id and (rank := usable(a)) is not None
    ]
    return min(ranked)[2] if ranked else None
