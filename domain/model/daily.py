"""An account's balance by day, for the no-overdraft rule on every date.

A back-dated withdrawal must not take the balance below zero on its day or on any later day.
Scanning the account's entries for that would cost as much as the account is long, so the
account keeps its changes summed by day in a persistent segment tree over day numbers: each
node holds the total of its days and the lowest running total within them. "The first day
from D on where the balance is below k" is then one walk down the tree, whatever the account's
size. The tree is immutable (a change copies one path), so copying an account per command
shares it; changes are gathered in a dict and folded in only when a check needs the tree,
which keeps replaying a long stream at one dict update per entry.

Days count by their whole day's net: a deposit and a withdrawal on one day are both in that
day's balance, whatever order they were entered in.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections.abc import Iterable, Mapping
from typing import TypeAlias

Node: TypeAlias = "tuple[int, int, Node | None, Node | None]"
"""(total of the node's days, lowest running total within them, left half, right half)."""

_SPAN = 1 << 22  # day numbers (date.toordinal) up to date.max (3,652,059) fit below 2**22
_REBUILD_AT = 64  # pending days beyond which one rebuild beats inserting them one by one


def _join(left: Node | None, right: Node | None) -> Node:
    if left is None:
        assert right is not None
        return (right[0], right[1], None, right)
    if right is None:
        return (left[0], left[1], left, None)
    return (left[0] + right[0], min(left[1], left[0] + right[1]), left, right)


def _add(root: Node | None, day: int, delta: int) -> Node:
    """A new tree: ``root`` with ``delta`` added on ``day`` (the path to it copied)."""
    path: list[tuple[Node | None, bool]] = []
    node, lo, hi = root, 0, _SPAN
    while hi - lo > 1:
        mid = (lo + hi) >> 1
        right = day >= mid
        path.append((node, right))
        if node is not None:
            node = node[3] if right else node[2]
        if right:
            lo = mid
        else:
            hi = mid
    total = delta + (node[0] if node is not None else 0)
    new: Node = (total, total, None, None)
    for parent, right in reversed(path):
        left_child, right_child = (None, None) if parent is None else (parent[2], parent[3])
        new = _join(left_child, new) if right else _join(new, right_child)
    return new


def _build(days: list[int], deltas: list[int], i: int, j: int, lo: int, hi: int) -> Node:
    """The tree of days[i:j] (sorted, all within [lo, hi), at least one)."""
    if hi - lo == 1:
        return (deltas[i], deltas[i], None, None)
    mid = (lo + hi) >> 1
    k = bisect_left(days, mid, i, j)
    left = _build(days, deltas, i, k, lo, mid) if k > i else None
    right = _build(days, deltas, k, j, mid, hi) if j > k else None
    return _join(left, right)


def _built(by_day: dict[int, int]) -> Node | None:
    """The tree of the days of ``by_day`` that have a change."""
    days = sorted(day for day, delta in by_day.items() if delta)
    deltas = [by_day[day] for day in days]
    return _build(days, deltas, 0, len(days), 0, _SPAN) if days else None


def _leaves(node: Node | None, lo: int, hi: int, out: dict[int, int]) -> None:
    if node is None:
        return
    if hi - lo == 1:
        out[lo] = node[0]
        return
    mid = (lo + hi) >> 1
    _leaves(node[2], lo, mid, out)
    _leaves(node[3], mid, hi, out)


def _prefix(node: Node | None, day: int) -> int:
    """The balance at the end of ``day``: the sum of all days up to it."""
    total, lo, hi = 0, 0, _SPAN
    while node is not None:
        if hi - lo == 1:
            return total + node[0]
        mid = (lo + hi) >> 1
        if day >= mid:
            total += node[2][0] if node[2] is not None else 0
            node, lo = node[3], mid
        else:
            node, hi = node[2], mid
    return total


def _first_below(
    node: Node | None, lo: int, hi: int, start: int, stop: int, offset: int, limit: int
) -> int | None:
    """The first day in [start, stop) that has a change and ends below ``limit``; ``offset``
    is the sum of the days before ``lo``."""
    if node is None or hi <= start or lo >= stop:
        return None
    if start <= lo and hi <= stop and offset + node[1] >= limit:
        return None  # no day in here ends below the limit
    if hi - lo == 1:
        return lo
    mid = (lo + hi) >> 1
    found = _first_below(node[2], lo, mid, start, stop, offset, limit)
    if found is not None:
        return found
    before = offset + (node[2][0] if node[2] is not None else 0)
    return _first_below(node[3], mid, hi, start, stop, before, limit)


class DailyBalances:
    """An account's changes summed by day, asked where a change would leave it below zero."""

    __slots__ = ("_pending", "_root")

    def __init__(self, root: Node | None = None) -> None:
        self._root = root
        self._pending: dict[dt.date, int] = {}  # by date: no day number per entry replayed

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DailyBalances):
            return NotImplemented
        return self.to_pairs() == other.to_pairs()

    __hash__ = None  # type: ignore[assignment]  # mutable

    def __repr__(self) -> str:
        return f"DailyBalances({len(self.to_pairs())} days)"

    def add(self, day: dt.date, delta: int) -> None:
        """Book ``delta`` (minor units, debit-positive) on ``day``."""
        self._pending[day] = self._pending.get(day, 0) + delta

    def copy(self) -> DailyBalances:
        """An independent copy; it shares the (immutable) tree."""
        return DailyBalances(self._tree())

    def balance_on(self, day: dt.date) -> int:
        """The balance at the end of ``day``."""
        return _prefix(self._tree(), day.toordinal())

    def first_below_zero(self, changes: Mapping[dt.date, int]) -> tuple[dt.date, int, int] | None:
        """Where adding ``changes`` (by day) would take the balance below zero on a day they
        lower it: the first such day, its balance before the changes and what they change it
        by; None if there is none. A day the changes do not lower is not looked at, so a book
        that was already below zero somewhere still takes deposits."""
        root = self._tree()
        ordered = sorted((day.toordinal(), delta) for day, delta in changes.items())
        change = 0
        for index, (start, delta) in enumerate(ordered):
            change += delta
            if change >= 0:
                continue
            stop = ordered[index + 1][0] if index + 1 < len(ordered) else _SPAN
            # from ``start`` until the next change, every day moves by ``change``
            before = _prefix(root, start)
            found = start if before + change < 0 else None
            if found is None:
                found = _first_below(root, 0, _SPAN, start + 1, stop, 0, -change)
                if found is not None:
                    before = _prefix(root, found)
            if found is not None:
                return dt.date.fromordinal(found), before, change
        return None

    def to_pairs(self) -> list[list[int]]:
        """[day number, change] for each day with a change, in order (for snapshots)."""
        out: dict[int, int] = {}
        _leaves(self._tree(), 0, _SPAN, out)
        return [[day, delta] for day, delta in out.items() if delta]

    @classmethod
    def from_pairs(cls, pairs: Iterable[Iterable[int]]) -> DailyBalances:
        """The inverse of :meth:`to_pairs`."""
        merged: dict[int, int] = {}
        for day, delta in pairs:
            merged[int(day)] = merged.get(int(day), 0) + int(delta)
        return cls(_built(merged))

    def _tree(self) -> Node | None:
        """The tree with the pending changes folded in."""
        pending = self._pending
        if not pending:
            return self._root
        root = self._root
        if len(pending) < _REBUILD_AT and root is not None:
            for day, delta in pending.items():
                root = _add(root, day.toordinal(), delta)
        else:
            merged: dict[int, int] = {}
            _leaves(self._root, 0, _SPAN, merged)
            for day, delta in pending.items():
                key = day.toordinal()
                merged[key] = merged.get(key, 0) + delta
            root = _built(merged)
        self._root = root
        self._pending = {}
        return root
