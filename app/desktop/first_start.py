"""The first start: no book yet, so the New Book assistant comes before any window.

What it is finished with becomes the default book (a template's chart, or an empty book), a
sample book beside it, or a book the user opens. Cancelled, the app ends with nothing made.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Slot
from PySide6.QtWidgets import QApplication, QFileDialog

from app.desktop.launcher import Launcher
from app.desktop.paths import BOOK_FILTER
from app.dialogs.new_book import NewBookWizard, StartKind
from app.dialogs.open_account import default_currency

SAMPLE_NAME = "Sample Books.tallybook"


def book_to_open(default: Path, recent: list[Path]) -> Path | None:
    """The book a start without arguments opens: the default book, else the last one opened
    that is still there; None when there is none (the first start)."""
    if default.exists():
        return default
    return next((path for path in recent if path.exists()), None)


class FirstStart(QObject):
    """Shows the assistant; the book it decides on is opened by ``launcher``."""

    def __init__(self, launcher: Launcher, default_book: Path) -> None:
        super().__init__(launcher)
        self._launcher = launcher
        self._default = default_book
        self.wizard: NewBookWizard | None = None

    def start(self) -> NewBookWizard:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            # between the assistant and the book's window no window is open: not a reason
            # to quit (the launcher quits if the book does not open)
            app.setQuitOnLastWindowClosed(False)
            self._launcher.window_opened.connect(self._on_window_opened)
        self.wizard = NewBookWizard(default_currency([]))
        self.wizard.setWindowTitle("Welcome to Tallybook")
        self.wizard.accepted.connect(self._on_accepted)
        self.wizard.rejected.connect(self._on_rejected)
        self.wizard.show()
        return self.wizard

    @Slot()
    def _on_accepted(self) -> None:
        assert self.wizard is not None
        choice = self.wizard.choice()
        self.wizard.deleteLater()
        self.wizard = None
        folder = self._default.parent
        folder.mkdir(parents=True, exist_ok=True)
        if choice.kind is StartKind.OPEN:
            name, _ = QFileDialog.getOpenFileName(None, "Open Book", str(folder), BOOK_FILTER)
            if name:
                self._launcher.open_book(Path(name))
            else:
                self.start()  # back to the choices: nothing is open yet
        elif choice.kind is StartKind.SAMPLE:
            sample = folder / SAMPLE_NAME
            if sample.exists():
                self._launcher.open_book(sample)
            else:
                self._launcher.create_sample_book(sample)
        else:
            self._launcher.create_book(self._default, choice.commands)

    @Slot()
    def _on_rejected(self) -> None:
        QTimer.singleShot(0, QCoreApplication.quit)

    @Slot(object)
    def _on_window_opened(self, _window: object) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.setQuitOnLastWindowClosed(True)
