"""A table model over a short list of keyed rows, updated by fine-grained signals.

``sync`` turns the current rows into new ones with removes, a layout change only when rows
were reordered, inserts and ``dataChanged`` for rows whose value changed, so views keep their
selection and scroll position (no model reset).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Generic, TypeVar

from PySide6.QtCore import QModelIndex, QObject

from app.models.columns import ColumnsTableModel, ModelIndex

R = TypeVar("R")


class KeyedTableModel(ColumnsTableModel, Generic[R]):
    """Rows of type R, each with a stable key; subclasses give ``_key`` and the columns."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[R] = []

    def _key(self, row: R) -> Hashable:
        raise NotImplementedError

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def row_at(self, row: int) -> R | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def sync(self, new_rows: Sequence[R]) -> None:
        """Make the rows equal ``new_rows``, telling views exactly what changed."""
        new_keys = {self._key(row) for row in new_rows}
        self._remove_missing(new_keys)
        self._reorder_like(new_rows)
        self._insert_new(new_rows)
        self._update_changed(new_rows)

    def _remove_missing(self, keep: set[Hashable]) -> None:
        end = len(self._rows) - 1
        while end >= 0:
            if self._key(self._rows[end]) in keep:
                end -= 1
                continue
            start = end
            while start > 0 and self._key(self._rows[start - 1]) not in keep:
                start -= 1
            self.beginRemoveRows(QModelIndex(), start, end)
            del self._rows[start : end + 1]
            self.endRemoveRows()
            end = start - 1

    def _reorder_like(self, new_rows: Sequence[R]) -> None:
        order = {self._key(row): i for i, row in enumerate(new_rows)}
        wanted = sorted(range(len(self._rows)), key=lambda i: order[self._key(self._rows[i])])
        if wanted == list(range(len(self._rows))):
            return
        self.layoutAboutToBeChanged.emit()
        new_row_of = {old: new for new, old in enumerate(wanted)}
        self._rows = [self._rows[i] for i in wanted]
        old_indexes = self.persistentIndexList()
        moved = [self.index(new_row_of[i.row()], i.column()) for i in old_indexes]
        self.changePersistentIndexList(old_indexes, moved)
        self.layoutChanged.emit()

    def _insert_new(self, new_rows: Sequence[R]) -> None:
        # after removing and reordering, the current rows are an ordered subsequence of new_rows
        j = 0
        while j < len(new_rows):
            if j < len(self._rows) and self._key(self._rows[j]) == self._key(new_rows[j]):
                j += 1
                continue
            present = {self._key(row) for row in self._rows}
            end = j
            while end + 1 < len(new_rows) and self._key(new_rows[end + 1]) not in present:
                end += 1
            self.beginInsertRows(QModelIndex(), j, end)
            self._rows[j:j] = list(new_rows[j : end + 1])
            self.endInsertRows()
            j = end + 1

    def _update_changed(self, new_rows: Sequence[R]) -> None:
        run_start: int | None = None
        for i, row in enumerate([*new_rows, None]):
            changed = i < len(new_rows) and self._rows[i] != row
            if changed:
                self._rows[i] = new_rows[i]
                if run_start is None:
                    run_start = i
            elif run_start is not None:
                last = self.index(i - 1, self.columnCount() - 1)
                self.dataChanged.emit(self.index(run_start, 0), last)
                run_start = None
