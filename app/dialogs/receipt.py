"""The receipt Verify Integrity ends with (copy it, save it), and the choice of a receipt to
verify the book against (one kept in the settings, or a file)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from domain.application.receipts import Receipt, ReceiptError, read_receipt

RECEIPT_FILTER = "Tallybook receipts (*.json);;All files (*)"
_ROLE = Qt.ItemDataRole.UserRole


def receipt_label(receipt: Receipt) -> str:
    """One line naming a kept receipt: its head, the start of its hash and when."""
    return (
        f"Head #{receipt.head_position} · {receipt.head_hash[:12]}… · verified "
        f"{receipt.verified_at:%Y-%m-%d %H:%M} UTC"
    )


class ReceiptDialog(QDialog):
    """The receipt of a verified head: each value selectable, Copy and Save Receipt…."""

    def __init__(self, receipt: Receipt, book_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("receiptDialog")
        self.setWindowTitle("Verify Integrity")
        self.receipt = receipt
        self._book_name = book_name
        at = receipt.head_position
        intro = QLabel(
            f"Every event up to #{at} is intact: the hash chain matches.\n"
            "Keep this receipt. File ▸ Verify Against a Receipt… later proves that nothing "
            f"up to #{at} has changed, even if someone recomputed the chain."
        )
        intro.setWordWrap(True)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        values = [
            ("Book id", receipt.book_id),
            ("Events", str(receipt.events)),
            ("Head", f"#{at}"),
            ("Head hash", receipt.head_hash),
            ("Verified at", f"{receipt.verified_at:%Y-%m-%d %H:%M:%S} UTC"),
            ("App version", receipt.app_version or "unknown"),
        ]
        for label, value in values:
            field = QLineEdit(value)
            field.setReadOnly(True)  # selectable and copyable, with the usual context menu
            field.setCursorPosition(0)
            if label in ("Book id", "Head hash"):
                field.setFont(fixed)
                # the whole hash in view: 64 digits and a margin
                field.setMinimumWidth(field.fontMetrics().horizontalAdvance("0" * 66))
            form.addRow(f"{label}:", field)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton("&Copy")
        self.copy_button.setToolTip("Put the receipt (JSON) on the clipboard")
        self.save_button = QPushButton("&Save Receipt…")
        role = QDialogButtonBox.ButtonRole.ActionRole
        self.buttons.addButton(self.copy_button, role)
        self.buttons.addButton(self.save_button, role)
        self.buttons.rejected.connect(self.reject)
        self.copy_button.clicked.connect(self._on_copy)
        self.save_button.clicked.connect(self._on_save)
        self.message = QLabel()
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

    @Slot()
    def _on_copy(self) -> None:
        clipboard = QGuiApplication.clipboard()
        clipboard.setText(self.receipt.to_json())
        self.message.setText("Copied to the clipboard.")

    @Slot()
    def _on_save(self) -> None:
        stamp = f"{self.receipt.verified_at:%Y-%m-%d}"
        suggestion = f"{self._book_name} receipt {stamp} #{self.receipt.head_position}.json"
        name, _ = QFileDialog.getSaveFileName(self, "Save Receipt", suggestion, RECEIPT_FILTER)
        if not name:
            return
        path = Path(name)
        try:
            path.write_text(self.receipt.to_json(), encoding="utf-8")
        except OSError as exc:
            QMessageBox.warning(self, "Save Receipt", f"The receipt cannot be saved: {exc}")
            return
        self.message.setText(f"Saved to {path}.")


class ReceiptPicker(QDialog):
    """Pick the receipt to verify against: one of the book's kept receipts, or a file."""

    def __init__(self, kept: list[Receipt], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("receiptPicker")
        self.setWindowTitle("Verify Against a Receipt")
        self.chosen: Receipt | None = None
        intro = QLabel(
            "Check that the book still has the receipt's hash at its head: this exposes a "
            "rewritten history even when its hash chain was recomputed."
        )
        intro.setWordWrap(True)
        self.list = QListWidget()
        for receipt in kept:
            item = QListWidgetItem(receipt_label(receipt))
            item.setData(_ROLE, receipt)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        none = QLabel("No receipt is kept for this book yet: Verify Integrity makes one.")
        none.setVisible(not kept)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.verify_button = QPushButton("&Verify")
        self.verify_button.setEnabled(bool(kept))
        self.verify_button.setDefault(True)
        self.file_button = QPushButton("From &File…")
        self.buttons.addButton(self.verify_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.file_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.accepted.connect(self._on_verify)
        self.buttons.rejected.connect(self.reject)
        self.file_button.clicked.connect(self._on_file)
        self.list.itemActivated.connect(self._on_verify)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list)
        layout.addWidget(none)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)

    @Slot()
    def _on_verify(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.chosen = item.data(_ROLE)
            self.accept()

    @Slot()
    def _on_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Verify Against a Receipt", "", RECEIPT_FILTER)
        if not name:
            return
        try:
            self.chosen = read_receipt(Path(name))
        except ReceiptError as exc:
            QMessageBox.warning(
                self,
                "Verify Against a Receipt",
                f"This file is not a receipt Tallybook can check.\n\n{exc}",
            )
            return
        self.accept()
