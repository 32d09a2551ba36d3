"""The history dock's detail pane: the selected event as a person reads it (links to its
related events), and its raw stored record one tab away. Every value can be copied."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, QUrl, Signal, Slot
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QPlainTextEdit, QTabWidget, QTextBrowser, QWidget

from app.window.event_details import LINK_SCHEME, DetailsPage

Details = Callable[[int], DetailsPage]
"""Position -> the event's readable page and raw record."""


def cell_text(browser: QTextBrowser, point: QPoint) -> str:
    """The text of the table cell at ``point`` of the browser's viewport ("" if none)."""
    cursor = browser.cursorForPosition(point)
    table = cursor.currentTable()
    if table is None:
        return ""
    cell = table.cellAt(cursor)
    if not cell.isValid():
        return ""
    start, end = cell.firstCursorPosition(), cell.lastCursorPosition()
    start.setPosition(end.position(), start.MoveMode.KeepAnchor)
    return start.selectedText().strip()


class EventDetailsView(QTabWidget):
    """ "Details" and "Raw" tabs; ``event_requested(position)`` when a link is clicked."""

    event_requested = Signal(int)

    def __init__(self, details: Details, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historyDetail")
        self._details = details
        self.readable = QTextBrowser()
        self.readable.setObjectName("eventReadable")
        self.readable.setOpenLinks(False)  # a link selects the event, it opens no page
        self.readable.setPlaceholderText("Select an event to read it.")
        self.readable.anchorClicked.connect(self._on_link)
        self.readable.setContextMenuPolicy(self.readable.contextMenuPolicy().CustomContextMenu)
        self.readable.customContextMenuRequested.connect(self._on_menu)
        self.raw = QPlainTextEdit()
        self.raw.setObjectName("eventRaw")
        self.raw.setReadOnly(True)
        self.raw.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.raw.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.raw.setPlaceholderText("Select an event to see its full record.")
        self.addTab(self.readable, "&Details")
        self.addTab(self.raw, "&Raw")
        self.position: int | None = None

    def show_position(self, position: int | None) -> None:
        """Show the event at ``position`` (None: nothing)."""
        self.position = position
        if position is None:
            self.readable.clear()
            self.raw.clear()
            return
        page = self._details(position)
        self.readable.setHtml(page.readable)
        self.raw.setPlainText(page.raw)

    def toPlainText(self) -> str:
        """Both tabs' text: what is shown, then the record."""
        return f"{self.readable.toPlainText()}\n{self.raw.toPlainText()}"

    @Slot(QUrl)
    def _on_link(self, url: QUrl) -> None:
        if url.scheme() == LINK_SCHEME and url.path().isdigit():
            self.event_requested.emit(int(url.path()))

    @Slot(QPoint)
    def _on_menu(self, point: QPoint) -> None:
        menu = self.readable.createStandardContextMenu(point)
        value = cell_text(self.readable, point)
        if value:
            first = menu.actions()[0] if menu.actions() else None
            copy = menu.addAction(f"Copy “{value if len(value) <= 40 else value[:39] + '…'}”")
            copy.triggered.connect(lambda: QGuiApplication.clipboard().setText(value))
            if first is not None:
                menu.insertAction(first, copy)
                menu.insertSeparator(first)
        menu.exec(self.readable.viewport().mapToGlobal(point))
