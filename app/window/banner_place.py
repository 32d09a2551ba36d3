"""Where the banner shows, so that the views never move when the timeline leaves the present.

In the past the banner lies over the main tool bar, whose commands are all disabled there
(Verify Integrity stays in the File menu): nothing is laid out again. A standing note (a
read-only book, a broken history) takes its place above the views instead, as it does from
the book's opening; so does the banner when the tool bar is hidden.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QBoxLayout, QToolBar, QWidget


class BannerPlace(QObject):
    """Moves ``banner`` between the top of ``layout`` and a place over ``tool_bar``."""

    def __init__(
        self, banner: QWidget, layout: QBoxLayout, tool_bar: QToolBar, window: QWidget
    ) -> None:
        super().__init__(banner)
        self._banner = banner
        self._layout = layout
        self._tool_bar = tool_bar
        self._window = window
        self._over = False
        tool_bar.installEventFilter(self)

    @property
    def over_tool_bar(self) -> bool:
        return self._over

    def to_tool_bar(self) -> None:
        """Lie over the tool bar (or, if it is hidden, above the views)."""
        if not self._tool_bar.isVisible():
            self.to_layout()
            return
        if not self._over:
            shown = self._banner.isVisibleTo(self._window)
            self._layout.removeWidget(self._banner)
            self._banner.setParent(self._window)  # a child out of any layout: it overlays
            self._banner.setVisible(shown)
            self._over = True
        self._follow()

    def to_layout(self) -> None:
        """Sit above the views, in the layout (hidden, it takes no room)."""
        if self._over:
            shown = self._banner.isVisibleTo(self._window)
            self._layout.insertWidget(0, self._banner)
            self._banner.setVisible(shown)
            self._over = False

    def _follow(self) -> None:
        self._banner.setGeometry(self._tool_bar.geometry())
        self._banner.raise_()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if self._over and kind in (QEvent.Type.Resize, QEvent.Type.Move):
            self._follow()
        elif self._over and kind == QEvent.Type.Hide:
            self.to_layout()  # the tool bar was switched off: the banner stays in sight
        return False
