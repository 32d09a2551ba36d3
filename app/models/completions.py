"""The lists the register's entry row completes from: the book's payees (most recent first)
and the open accounts' names. Both change in place (moves and inserts), never by reset once
filled."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Protocol, runtime_checkable

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, Qt, Signal, Slot

from app.models.columns import ModelIndex
from domain.projections.payees import LastEntry
from domain.projections.rows import AccountRow, account_order
from domain.store.base import StoredEvent


class NamesModel(QAbstractListModel):
    """A list of names (display and edit role), first row first."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._names: list[str] = []

    def names(self) -> list[str]:
        return list(self._names)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._names)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._names):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._names[index.row()]
        return None

    def fill(self, names: Sequence[str]) -> None:
        """Show another list altogether (the first load)."""
        self.beginResetModel()
        self._names = list(names)
        self.endResetModel()

    def to_front(self, names: Iterable[str]) -> None:
        """Each name (oldest first) becomes the first row: moved if listed, else inserted."""
        for name in names:
            key = name.casefold()  # a payee is one however it was last spelt
            row = next((r for r, n in enumerate(self._names) if n.casefold() == key), -1)
            if row < 0:
                self.beginInsertRows(QModelIndex(), 0, 0)
                self._names.insert(0, name)
                self.endInsertRows()
                continue
            if row > 0:
                self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), 0)
                self._names.insert(0, self._names.pop(row))
                self.endMoveRows()
            if self._names[0] != name:
                self._names[0] = name
                self.dataChanged.emit(self.index(0), self.index(0))

    def sync(self, names: Sequence[str]) -> None:
        """Become ``names`` (kept in their order) by removing and inserting rows."""
        wanted = list(names)
        gone = set(self._names) - set(wanted)
        for row in reversed(range(len(self._names))):
            if self._names[row] in gone:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._names[row]
                self.endRemoveRows()
        for row, name in enumerate(wanted):
            if row < len(self._names) and self._names[row] == name:
                continue
            if name in self._names:  # the order changed (a rename): move it here
                old = self._names.index(name)
                self.beginMoveRows(QModelIndex(), old, old, QModelIndex(), row)
                self._names.insert(row, self._names.pop(old))
                self.endMoveRows()
            else:
                self.beginInsertRows(QModelIndex(), row, row)
                self._names.insert(row, name)
                self.endInsertRows()


def account_names(accounts: Iterable[AccountRow]) -> list[str]:
    """The open accounts' names in chart order (what a new entry can go against)."""
    return [row.name for row in sorted(accounts, key=account_order) if not row.closed]


@runtime_checkable
class Recall(Protocol):
    """What the payee list reads (a :class:`domain.projections.payees.PayeeRecall`)."""

    def catch_up(self, max_batches: int | None = None) -> tuple[bool, list[str]]: ...

    def payees(self) -> list[str]: ...

    def known(self, payee: str) -> str | None: ...

    def last(self, payee: str, account_id: str) -> LastEntry | None: ...


class PayeeSuggestions(QObject):
    """The payee list over a :class:`Recall`, given by :meth:`adopt` once a worker has read
    the book's payees (seconds for a big book, off the GUI thread); then each new entry's
    payee moves to the front. Until then nothing is suggested."""

    loaded = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._recall: Recall | None = None
        self.model = NamesModel(self)

    @property
    def is_loaded(self) -> bool:
        return self._recall is not None

    @Slot(object)
    def adopt(self, recall: object) -> None:
        """Take the payees read so far (a Recall on the GUI's connection) and read on."""
        if not isinstance(recall, Recall):
            return  # the worker was cancelled
        recall.catch_up()  # what was recorded while the worker read
        self._recall = recall
        self.model.fill(recall.payees())
        self.loaded.emit()

    @Slot(list)
    def on_events_appended(self, events: Sequence[StoredEvent]) -> None:
        if self._recall is not None:
            _done, seen = self._recall.catch_up()
            # each payee once, at its last entry: the latest ends up first
            latest = list(dict.fromkeys(reversed(seen)))
            self.model.to_front(reversed(latest))

    def known(self, payee: str) -> str | None:
        return self._recall.known(payee) if self._recall is not None else None

    def last(self, payee: str, account_id: str) -> LastEntry | None:
        return self._recall.last(payee, account_id) if self._recall is not None else None
