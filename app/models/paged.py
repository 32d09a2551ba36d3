"""A table model that pages rows from a query, so a million rows cost only what is shown."""

from __future__ import annotations

from collections import OrderedDict
from typing import Generic, TypeVar

from PySide6.QtCore import QModelIndex, QObject

from app.models.columns import ColumnsTableModel, ModelIndex

R = TypeVar("R")

# a view shows a few dozen rows, and every timeline move empties the cache: a page is a
# screenful or two, cheap to fetch again
PAGE_SIZE = 64
MAX_PAGES = 64


class PagedTableModel(ColumnsTableModel, Generic[R]):
    """Rows fetched a page at a time (and cached) from ``_fetch``; the count from ``_count``.

    Subclasses give the two queries and the columns; ``refresh`` re-reads the count and tells
    the views about rows that appeared or went at the end, and that the rest may have changed.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._row_count = 0
        self._pages: OrderedDict[int, list[R]] = OrderedDict()

    def _count(self) -> int:
        raise NotImplementedError

    def _fetch(self, offset: int, limit: int) -> list[R]:
        raise NotImplementedError

    def page_size(self) -> int:
        """Rows a fetch reads at a time."""
        return PAGE_SIZE

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._row_count

    def row_at(self, row: int) -> R | None:
        """The row's data, fetching its page if it is not cached."""
        if not 0 <= row < self._row_count:
            return None
        size = self.page_size()
        number, offset = divmod(row, size)
        page = self._pages.get(number)
        if page is None:
            page = self._fetch(number * size, size)
            self._pages[number] = page
            if len(self._pages) > MAX_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(number)
        return page[offset] if offset < len(page) else None

    def grow_to(self, count: int) -> None:
        """Rows appended at the end (an append-only source) up to ``count`` rows: inserted,
        and the cached page they begin in, which was read short, dropped."""
        if count <= self._row_count:
            return
        self._pages.pop(self._row_count // self.page_size(), None)
        self.beginInsertRows(QModelIndex(), self._row_count, count - 1)
        self._row_count = count
        self.endInsertRows()

    def _reset_rows(self) -> None:
        """Load a different set of rows (another account): a reset is what this is."""
        self.beginResetModel()
        self._pages.clear()
        self._row_count = self._count()
        self.endResetModel()

    def refresh(self) -> None:
        """Re-read the rows: grow or shrink at the end, mark the rest changed."""
        old, new = self._row_count, self._count()
        self._pages.clear()
        if new > old:
            self.beginInsertRows(QModelIndex(), old, new - 1)
            self._row_count = new
            self.endInsertRows()
        elif new < old:
            self.beginRemoveRows(QModelIndex(), new, old - 1)
            self._row_count = new
            self.endRemoveRows()
        self._changed(0, min(old, new) - 1)

    def _changed(self, first: int, last: int) -> None:
        if first <= last:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(self._HEADERS) - 1))
