"""File ▸ Open Shared Book…: the server, database, user and book of a shared book, an
optional password (never kept), and a connection test that runs off the GUI thread."""

from __future__ import annotations

import contextlib
import threading

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.desktop.shared_address import SharedBookForm
from domain.model.errors import NotABook, StoreError
from domain.store.postgres.store import PostgresEventStore, WriteNotGranted

_HINT_STYLE = "color: palette(placeholder-text);"
_ERROR_STYLE = "color: #c0392b; font-weight: bold;"
_OK_STYLE = "color: #1e7b34; font-weight: bold;"


def probe_connection(address: str) -> tuple[bool, str]:
    """Open the book at ``address`` once: whether it can be used, and what to tell."""
    try:
        try:
            store = PostgresEventStore.open(address)
            how = "this role may read and write it"
        except WriteNotGranted:
            store = PostgresEventStore.open(address, readonly=True)
            how = "this role may only read it: it will open read-only"
        with store:
            events = store.head()[0]
    except NotABook:
        return False, "Connected, but there is no Tallybook book of that name in the database."
    except StoreError as exc:
        return False, str(exc)
    return True, f"Connected: the book has {events} event(s); {how}."


class _Probe(QObject):
    """Carries a connection test's answer from its thread to the dialog."""

    answered = Signal(bool, str)


class OpenSharedDialog(QDialog):
    """The form; ``form()`` is what was typed once the dialog is accepted."""

    def __init__(self, initial: SharedBookForm, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("openSharedDialog")
        self.setWindowTitle("Open Shared Book")
        self.setMinimumWidth(460)
        self.host = self._field(
            "hostField", initial.host, "localhost, db.example.org or /run/postgresql"
        )
        self.port = self._field("portField", initial.port, "5432")
        self.database = self._field("databaseField", initial.database, "books")
        self.user = self._field("userField", initial.user, "your database role")
        self.book = self._field("bookField", initial.book, "tallybook")
        self.password = self._field("passwordField", "", "from ~/.pgpass if left empty")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for label, field in (("&Server:", self.host), ("P&ort:", self.port),
                             ("&Database:", self.database), ("&User:", self.user),
                             ("&Book:", self.book), ("&Password:", self.password)):  # fmt: skip
            form.addRow(label, field)
        hint = QLabel(
            "A password typed here serves this connection only and is never saved. Keep it "
            "in ~/.pgpass or a service file instead, and leave this field empty."
        )
        hint.setWordWrap(True)
        hint.setStyleSheet(_HINT_STYLE)
        self.message = QLabel()
        self.message.setObjectName("connectionMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel
        )
        self.test_button = QPushButton("&Test Connection")
        self.test_button.setObjectName("testConnection")
        self.buttons.addButton(self.test_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.test_button.clicked.connect(self._on_test)
        self.test_button.setAutoDefault(False)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self._probe = _Probe(self)
        self._probe.answered.connect(self._on_answered)
        self._revalidate()

    @property
    def open_button(self) -> QPushButton:
        button = self.buttons.button(QDialogButtonBox.StandardButton.Open)
        assert button is not None
        return button

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # Enter opens, as in any Open dialog: the button box would make Cancel the default
        # when Open is disabled as the dialog shows (no database typed yet)
        self.open_button.setDefault(True)

    def form(self) -> SharedBookForm:
        return SharedBookForm(
            host=self.host.text(), port=self.port.text(), database=self.database.text(),
            user=self.user.text(), book=self.book.text(), password=self.password.text(),
        )  # fmt: skip

    def _field(self, name: str, text: str, placeholder: str) -> QLineEdit:
        field = QLineEdit(text)
        field.setObjectName(name)
        field.setPlaceholderText(placeholder)
        field.textChanged.connect(self._revalidate)
        return field

    @Slot()
    def _revalidate(self) -> None:
        problem = self.form().problem()
        self.open_button.setEnabled(not problem)
        self.test_button.setEnabled(not problem)
        self._say(
            problem or f"Opens {self.form().address()}", _ERROR_STYLE if problem else _HINT_STYLE
        )

    @Slot()
    def _on_test(self) -> None:
        address = self.form().address_to_connect()
        self.test_button.setEnabled(False)
        self._say("Connecting…", _HINT_STYLE)
        probe = self._probe

        def run() -> None:
            ok, text = probe_connection(address)
            with contextlib.suppress(RuntimeError):  # the dialog was closed meanwhile
                probe.answered.emit(ok, text)

        threading.Thread(target=run, name="tallybook-test-connection", daemon=True).start()

    @Slot(bool, str)
    def _on_answered(self, ok: bool, text: str) -> None:
        self.test_button.setEnabled(not self.form().problem())
        self._say(text, _OK_STYLE if ok else _ERROR_STYLE)

    def _say(self, text: str, style: str) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(style)
