"""Column widths that fit the view: each fixed column (dates, amounts, types) as wide as the
widest text it can show, and the text columns (payee, memo, account, summary) sharing what is
left, so money never hides behind a horizontal scrollbar while there is room for it."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, Slot
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QStyle

# the item delegate keeps (focus frame margin + 1) on either side of a cell's text; the rest
# is air, so a text exactly as wide as the widest sample is never elided
_AIR = 10
_MINIMUM_SHARE = 48  # a text column narrower than this shows nothing useful


class ColumnFit(QObject):
    """Sizes the columns of ``view`` (whose horizontal header is ``header``).

    ``fixed`` maps a column to the texts it may show; it gets the width of the widest (or of
    its title); ``bold`` columns are measured in bold. ``shares`` maps each text column to its
    share of the width left, recomputed whenever the view's width changes. A column the model
    does not have is ignored. The user may still drag any column wider.
    """

    def __init__(
        self,
        view: QAbstractItemView,
        header: QHeaderView,
        fixed: Mapping[int, Iterable[str]],
        shares: Mapping[int, int],
        *,
        bold: Collection[int] = (),
    ) -> None:
        super().__init__(view)
        self._view = view
        self._header = header
        self._viewport = view.viewport()
        self._shares = dict(shares)
        self._bold = frozenset(bold)
        self._fitting = False
        self._followed: list[int] = []
        for column in self._shares:
            if column < header.count():
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        for column, samples in fixed.items():
            self.set_samples(column, samples)
        self._viewport.installEventFilter(self)
        header.sectionResized.connect(self._on_section_resized)
        self.fit()

    def width_for(self, column: int, samples: Iterable[str]) -> int:
        """The width ``column`` needs to show each of ``samples`` and its title in full."""
        font = QFont(self._view.font())
        font.setBold(column in self._bold)
        cell_metrics = QFontMetrics(font)
        margin = self._view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1
        cells = max((cell_metrics.horizontalAdvance(text) for text in samples), default=0)
        model = self._view.model()
        title = model.headerData(column, Qt.Orientation.Horizontal) if model else None
        header_margin = self._header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin)
        title_width = self._header.fontMetrics().horizontalAdvance(str(title or ""))
        return max(cells + 2 * margin, title_width + 2 * header_margin) + _AIR

    def set_samples(self, column: int, samples: Iterable[str]) -> None:
        """Size ``column`` for these texts (say, amounts in another currency)."""
        if column >= self._header.count():
            return
        width = self.width_for(column, samples)
        if self._header.sectionSize(column) != width:
            self._resize(column, width)
            self.fit()

    def follow(self, column: int, samples: Iterable[str]) -> None:
        """Size ``column`` for ``samples`` and for every text it shows now or later, never
        narrower than it has been: for small models (it reads the rows that change)."""
        self._followed.append(column)
        model = self._view.model()
        if len(self._followed) == 1:
            model.modelReset.connect(self._on_reset)
            model.rowsInserted.connect(self._on_rows_inserted)
            model.dataChanged.connect(self._on_data_changed)
        self.set_samples(column, samples)
        self._grow(0, model.rowCount() - 1)

    def _grow(self, first: int, last: int, parent: QModelIndex | None = None) -> None:
        model = self._view.model()
        under = parent if parent is not None else QModelIndex()
        for column in self._followed:
            texts = [model.data(model.index(row, column, under)) for row in range(first, last + 1)]
            texts = [text for text in texts if isinstance(text, str)]
            if not texts:
                continue
            width = self.width_for(column, texts)
            if width > self._header.sectionSize(column):
                self._resize(column, width)
                self.fit()

    @Slot()
    def _on_reset(self) -> None:
        self._grow(0, self._view.model().rowCount() - 1)

    @Slot(QModelIndex, int, int)
    def _on_rows_inserted(self, parent: QModelIndex, first: int, last: int) -> None:
        self._grow(first, last, parent)

    @Slot(QModelIndex, QModelIndex, list)
    def _on_data_changed(self, top: QModelIndex, bottom: QModelIndex, roles: list[int]) -> None:
        if roles and Qt.ItemDataRole.DisplayRole not in roles:
            return  # a colour (greyed while stale): no text changed
        self._grow(top.row(), bottom.row(), top.parent())

    def fit(self) -> None:
        """Share the width the fixed columns leave among the text columns."""
        header = self._header
        shared = [c for c in self._shares if c < header.count() and not header.isSectionHidden(c)]
        if not shared:
            return
        taken = sum(header.sectionSize(c) for c in range(header.count()) if c not in shared)
        room = self._viewport.width() - taken
        total = sum(self._shares[c] for c in shared)
        left = room
        for i, column in enumerate(shared):
            # the last takes the rounding remainder, so the columns end at the view's edge
            width = left if i == len(shared) - 1 else room * self._shares[column] // total
            width = max(width, _MINIMUM_SHARE)
            left -= width
            if header.sectionSize(column) != width:
                self._resize(column, width)

    def _resize(self, column: int, width: int) -> None:
        self._fitting = True
        try:
            self._header.resizeSection(column, width)
        finally:
            self._fitting = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # the type first: while the view is being destroyed, it must not be asked anything
        if event.type() == QEvent.Type.Resize and watched is self._viewport:
            self.fit()
        return False

    @Slot(int, int, int)
    def _on_section_resized(self, column: int, _old: int, _new: int) -> None:
        # a fixed column dragged wider takes its room from the text columns
        if not self._fitting and column not in self._shares:
            self.fit()
