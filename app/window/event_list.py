"""The short lists of events the Reports window shows (the later events that change a
report, the entries behind a chart's point): "#8  Entry voided", one item each."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QListWidgetItem

from app.models.history import humanize_type


def fill_event_list(widget: QListWidget, events: Iterable[tuple[int, str]]) -> None:
    """One item per (position, event type), the position kept for Enter or a double-click
   ; from the events alone, no history page read per item."""
    for position, kind in events:
        item = QListWidgetItem(f"#{position}  {humanize_type(kind)}")
        item.setData(Qt.ItemDataRole.UserRole, position)
        widget.addItem(item)

