"""A tree model over a small tree of keyed rows, updated by fine-grained signals.

``sync`` turns the current tree into a new one parent by parent: removes, moves (a reordered
sibling), inserts and ``dataChanged``, so views keep their selection, expansion and scroll
position (no model reset). A row that changes parent is removed under the old one and
inserted under the new one, with its subtree.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, TypeVar

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, Qt, Signal

from app.models import style
from app.models.columns import ModelIndex

R = TypeVar("R")


@dataclass(eq=False)
class TreeRow(Generic[R]):
    """One row of the tree: its value and the rows below it (a new tree for ``sync``)."""

    value: R
    children: list[TreeRow[R]] = field(default_factory=list)
    parent: TreeRow[R] | None = field(default=None, repr=False)
    key: Hashable = field(default=None, repr=False)  # the value's, once the model asked


class KeyedTreeModel(QAbstractItemModel, Generic[R]):
    """Rows of type R in a tree, each with a key unique in the tree; subclasses give
    ``_key``, ``_HEADERS`` (and ``_RIGHT``, the right-aligned columns) and ``data``."""

    _HEADERS: ClassVar[tuple[str, ...]] = ()
    _RIGHT: ClassVar[frozenset[int]] = frozenset()
    # around each sync: a view can tell its own selection changes from those Qt makes for
    # rows being removed (it picks a neighbour), and put back what it had chosen after
    syncing = Signal()
    synced = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._root: TreeRow[R | None] = TreeRow(None)

    def _key(self, row: R) -> Hashable:
        raise NotImplementedError

    # --- the tree as Qt sees it ------------------------------------------------------------

    def row_of_index(self, index: ModelIndex) -> TreeRow[R] | None:
        """The tree row an index points at (None for the invisible root)."""
        if not index.isValid():
            return None
        found: TreeRow[R] = index.internalPointer()
        return found

    def value_at(self, index: ModelIndex) -> R | None:
        row = self.row_of_index(index)
        return None if row is None else row.value

    def _node(self, index: ModelIndex) -> TreeRow[Any]:
        return self.row_of_index(index) or self._root

    def index(self, row: int, column: int, parent: ModelIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        node = self._node(parent)
        if not (0 <= row < len(node.children) and 0 <= column < len(self._HEADERS)):
            return QModelIndex()
        return self.createIndex(row, column, node.children[row])

    def parent(self, index: ModelIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        row = self.row_of_index(index)
        if row is None or row.parent is None or row.parent is self._root:
            return QModelIndex()
        return self._index_of(row.parent)

    def _index_of(self, row: TreeRow[Any], column: int = 0) -> QModelIndex:
        if row is self._root or row.parent is None:
            return QModelIndex()
        return self.createIndex(row.parent.children.index(row), column, row)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._node(parent).children)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return len(self._HEADERS)

    def alignment(self, column: int) -> Qt.AlignmentFlag:
        return style.RIGHT if column in self._RIGHT else style.LEFT

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._HEADERS[section]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self.alignment(section)
        return None

    def walk(self) -> Iterator[tuple[QModelIndex, R]]:
        """Every row's (index, value), depth first, in the order shown."""

        def below(node: TreeRow[Any]) -> Iterator[tuple[QModelIndex, R]]:
            for child in node.children:
                yield self._index_of(child), child.value
                yield from below(child)

        return below(self._root)

    def index_of_key(self, key: Hashable) -> QModelIndex:
        """The index of the row with this key, or an invalid one."""
        for index, value in self.walk():
            if self._key(value) == key:
                return index
        return QModelIndex()

    # --- updates ---------------------------------------------------------------------------

    def changed_column(self, column: int, roles: Sequence[int] = ()) -> None:
        """Tell the views that ``column`` may show otherwise in every row (one signal per
        parent: a view repaints only what it shows)."""

        def below(node: TreeRow[Any]) -> None:
            if node.children:
                parent = self._index_of(node)
                first = self.index(0, column, parent)
                last = self.index(len(node.children) - 1, column, parent)
                self.dataChanged.emit(first, last, list(roles))
                for child in node.children:
                    below(child)

        below(self._root)

    def sync(self, new_rows: Sequence[TreeRow[R]]) -> None:
        """Make the tree equal ``new_rows`` (the new top level), telling views what changed."""
        self.syncing.emit()
        try:
            self._sync_children(self._root, list(new_rows))
        finally:
            self.synced.emit()

    def _row_key(self, row: TreeRow[R]) -> Hashable:
        if row.key is None:  # computed once per row: a sync asks for every row's key
            row.key = self._key(row.value)
        return row.key

    def _sync_children(self, node: TreeRow[Any], wanted: list[TreeRow[R]]) -> None:
        key_of = self._row_key
        keys = [key_of(w) for w in wanted]
        if keys == [key_of(c) for c in node.children] and all(
            c.value == w.value for c, w in zip(node.children, wanted, strict=True)
        ):
            for child, new in zip(node.children, wanted, strict=True):
                self._sync_children(child, new.children)  # the usual case: nothing moved here
            return
        parent = self._index_of(node)
        keep = set(keys)
        # removes: runs of rows whose key is not wanted here, from the bottom up
        end = len(node.children) - 1
        while end >= 0:
            if key_of(node.children[end]) in keep:
                end -= 1
                continue
            start = end
            while start > 0 and key_of(node.children[start - 1]) not in keep:
                start -= 1
            self.beginRemoveRows(parent, start, end)
            for gone in node.children[start : end + 1]:
                gone.parent = None
            del node.children[start : end + 1]
            self.endRemoveRows()
            end = start - 1
        # moves: the rows kept, into the wanted order (one beginMoveRows per row out of place)
        present = {key_of(c) for c in node.children}
        for i, key in enumerate([k for k in keys if k in present]):
            if key_of(node.children[i]) != key:
                j = next(n for n, c in enumerate(node.children) if key_of(c) == key)
                self.beginMoveRows(parent, j, j, parent, i)
                node.children.insert(i, node.children.pop(j))
                self.endMoveRows()
        # inserts, and values that changed (one dataChanged per run of changed rows: a
        # timeline step changes most balances, and each signal costs every view's slots);
        # then the same below each kept row
        changed: list[int] = []
        for i, (key, new) in enumerate(zip(keys, wanted, strict=True)):
            if not (i < len(node.children) and key_of(node.children[i]) == key):
                self._changed_rows(node, changed)
                self.beginInsertRows(parent, i, i)
                node.children.insert(i, self._adopt(new, node))
                self.endInsertRows()
                continue
            current = node.children[i]
            if current.value != new.value:
                current.value = new.value
                changed.append(i)
        self._changed_rows(node, changed)
        for current, new in zip(node.children, wanted, strict=True):
            self._sync_children(current, new.children)

    def _changed_rows(self, node: TreeRow[Any], rows: list[int]) -> None:
        """Tell the views about ``rows`` of ``node`` (ascending), a signal per run; empties
        ``rows``."""
        last_column = len(self._HEADERS) - 1
        while rows:
            first = end = rows.pop(0)
            while rows and rows[0] == end + 1:
                end = rows.pop(0)
            top = self._index_of(node.children[first])
            self.dataChanged.emit(top, self._index_of(node.children[end], last_column))

    @staticmethod
    def _adopt(row: TreeRow[R], parent: TreeRow[Any]) -> TreeRow[R]:
        """``row`` (a new subtree) with its parent links set."""
        row.parent = parent
        for child in row.children:
            KeyedTreeModel._adopt(child, row)
        return row
