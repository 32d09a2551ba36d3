"""The columns every table model shares: header titles, and which columns align right."""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from app.models import style

ModelIndex = QModelIndex | QPersistentModelIndex


class ColumnsTableModel(QAbstractTableModel):
    """Subclasses name their columns in ``_HEADERS`` and the amount columns in ``_RIGHT``."""

    _HEADERS: ClassVar[tuple[str, ...]] = ()
    _RIGHT: ClassVar[frozenset[int]] = frozenset()

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._HEADERS)

    def alignment(self, column: int) -> Qt.AlignmentFlag:
        """Amounts right, text left: for cells and headers alike."""
        return style.RIGHT if column in self._RIGHT else style.LEFT

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._HEADERS[section]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self.alignment(section)
        return None
