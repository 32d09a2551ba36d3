"""The File menu's book commands: New Book, New Sample Book, Open, Open Shared Book, Open
Recent, Save a Copy (and Edit ▸ Preferences…, which is the application's too, not the book's).

New Book asks what the book starts from (:class:`NewBookWizard`); each asks for a file name;
opening and creating books is the :class:`BookOpener`'s business, copying the book's
:class:`BookOperations`'.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QWidget

from app.background.book_operations import BookOperations
from app.desktop.paths import BOOK_FILTER, with_book_suffix
from app.desktop.settings import AppSettings
from app.desktop.shared_address import SharedBookForm, shared_label
from app.dialogs.new_book import NewBookWizard, StartChoice, StartKind
from app.dialogs.open_account import default_currency
from app.dialogs.open_shared import OpenSharedDialog
from app.window.window_parts import BookOpener


class FileMenu(QObject):
    """The book commands of one window's File menu, and its Open Recent submenu."""

    def __init__(
        self,
        window: QWidget,
        book: Path,
        opener: BookOpener,
        settings: AppSettings,
        operations: BookOperations,
        recent_menu: QMenu,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._book = book
        self._opener = opener
        self._settings = settings
        self._operations = operations
        self._recent_menu = recent_menu
        recent_menu.aboutToShow.connect(self.fill_recent_menu)
        self.fill_recent_menu()

    @Slot()
    def new_book(self) -> NewBookWizard:
        wizard = NewBookWizard(default_currency([]), self._window)
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.accepted.connect(lambda: self._start(wizard.choice()))
        wizard.open()  # window-modal, not blocking
        return wizard

    def _start(self, choice: StartChoice) -> None:
        if choice.kind is StartKind.OPEN:
            self.open_book()
        elif choice.kind is StartKind.SAMPLE:
            self.new_sample_book()
        else:
            stem = choice.template.key.capitalize() if choice.template else "New Book"
            path = self._ask_new_path("New Book", stem)
            if path is not None:
                self._opener.create_book(path, choice.commands)

    @Slot()
    def edit_preferences(self) -> None:
        self._opener.edit_preferences(self._window)

    @Slot()
    def new_sample_book(self) -> None:
        path = self._ask_new_path("New Sample Book", "Sample Books")
        if path is not None:
            self._opener.create_sample_book(path)

    @Slot()
    def open_book(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self._window, "Open Book", str(self._book.parent), BOOK_FILTER
        )
        if name:
            self._opener.open_book(Path(name))

    @Slot()
    def open_shared_book(self) -> OpenSharedDialog:
        """Ask for a shared book's server and name (filled in from the last one opened)."""
        recent = self._settings.recent_shared_books()
        initial = SharedBookForm.from_address(recent[0]) if recent else SharedBookForm()
        dialog = OpenSharedDialog(initial, self._window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        # the password lives in the dialog's field until the connection is made, no longer
        dialog.accepted.connect(
            lambda: self._opener.open_shared_book(dialog.form().address_to_connect())
        )
        dialog.open()
        return dialog

    @Slot()
    def save_copy(self) -> None:
        suggestion = self._book.with_name(f"{self._book.stem} copy.tallybook")
        name, _ = QFileDialog.getSaveFileName(
            self._window, "Save a Copy", str(suggestion), BOOK_FILTER
        )
        if not name:
            return
        target = with_book_suffix(Path(name))
        if target.resolve() == self._book.resolve():
            QMessageBox.warning(
                self._window, "Save a Copy", "Choose another file than the book itself."
            )
            return
        self._operations.save_copy(target)

    @Slot()
    def fill_recent_menu(self) -> None:
        menu = self._recent_menu
        menu.clear()
        books = self._settings.recent_books()
        for path in books:
            action = menu.addAction(path.name)
            action.setToolTip(str(path))
            action.setStatusTip(str(path))
            action.triggered.connect(lambda _checked=False, p=path: self._opener.open_book(p))
        shared = self._settings.recent_shared_books()
        if books and shared:
            menu.addSeparator()
        for address in shared:
            action = menu.addAction(shared_label(address))
            action.setToolTip(address)
            action.setStatusTip(address)
            action.triggered.connect(
                lambda _checked=False, a=address: self._opener.open_shared_book(a)
            )
        if books or shared:
            menu.addSeparator()
            menu.addAction("Clear Menu").triggered.connect(self._settings.clear_recent_books)
        menu.setEnabled(bool(books or shared))

    def _ask_new_path(self, title: str, stem: str = "New Book") -> Path | None:
        suggestion = self._book.parent / f"{stem}.tallybook"
        name, _ = QFileDialog.getSaveFileName(
            self._window, title, str(suggestion), BOOK_FILTER,
            options=QFileDialog.Option.DontConfirmOverwrite,
        )  # fmt: skip
        if not name:
            return None
        path = with_book_suffix(Path(name))
        if path.exists():
            QMessageBox.warning(
                self._window, title, f"“{path.name}” already exists. Books are never "
                "overwritten; choose another name.",
            )  # fmt: skip
            return None
        return path
