"""Documents the macOS Finder opens with Tallybook, which arrive as events, not in ``argv``.

macOS sends a ``QFileOpenEvent`` to the application. Install :class:`FileOpenFilter` on the
``QApplication`` to receive those while running, and call :func:`wait_for_file_open` at
start-up (when no path was given on macOS) to collect the document that launched the app.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QObject, QTimer


class FileOpenFilter(QObject):
    """Turns a ``QFileOpenEvent`` (macOS Finder double-click) into ``on_open(path)``.

    Install with ``app.installEventFilter(FileOpenFilter(on_open, app))``.
    """

    def __init__(self, on_open: Callable[[Path], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._on_open = on_open

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FileOpen:
            file = event.file()  # type: ignore[attr-defined]  # a QFileOpenEvent here
            if file:
                self._on_open(Path(file))
                return True
        return super().eventFilter(watched, event)


def wait_for_file_open(app: QCoreApplication, timeout_ms: int = 500) -> Path | None:
    """The document macOS launched the app with, if a ``QFileOpenEvent`` arrives in time."""
    opened: list[Path] = []
    loop = QEventLoop()

    def on_open(path: Path) -> None:
        opened.append(path)
        loop.quit()

    catcher = FileOpenFilter(on_open)
    app.installEventFilter(catcher)
    QTimer.singleShot(timeout_ms, loop.quit)
    try:
        if not opened:
            loop.exec()
    finally:
        app.removeEventFilter(catcher)
    return opened[0] if opened else None
