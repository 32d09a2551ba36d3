"""The CSV mapping step of Import Statement: the detected (or saved) mapping, to confirm or
change, with a live preview of the first rows read by it."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.formatting import amount_text, date_text
from app.import_preview import StatementFile

Read = Callable[[bytes, str, dict[str, Any]], StatementFile]
"""(bytes, file name, profile) -> what the parsers read (raises ValueError)."""

PREVIEW_ROWS = 12
_DELIMITERS = ((",", ","), (";", ";"), ("Tab", "\t"), ("|", "|"))
_DATE_FORMATS = ("DD.MM.YYYY", "DD/MM/YYYY", "MM/DD/YYYY", "YYYY-MM-DD", "DD-MM-YYYY",
                 "YYYYMMDD", "DD.MM.YY", "MM/DD/YY", "DD MON YYYY", "MON DD YYYY")  # fmt: skip
_ENCODINGS = ("utf-8", "utf-8-sig", "cp1252", "latin-1", "cp850")
_ERROR_STYLE = "color: #c0392b; font-weight: bold;"


class CsvMappingDialog(QDialog):
    """``profile()`` is the mapping the user confirmed (a CsvProfile's JSON)."""

    def __init__(
        self, data: bytes, name: str, profile: dict[str, Any], read: Read, *,
        saved: bool = False, parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("csvMappingDialog")
        self.setWindowTitle(f"CSV Mapping — {name}")
        self._data, self._name, self._read = data, name, read
        self._original = dict(profile)
        columns = self._column_names(profile)
        self.encoding = self._combo(_ENCODINGS, profile["encoding"], editable=True)
        self.delimiter = QComboBox()
        for label, mark in _DELIMITERS:
            self.delimiter.addItem(label, mark)
        self._select(self.delimiter, profile["delimiter"])
        self.header_line = QSpinBox()
        self.header_line.setRange(0, 200)
        self.header_line.setSpecialValueText("none")
        self.header_line.setValue(profile.get("header_line") or 0)
        self.date_column = self._columns(columns, profile.get("date_column"), optional=False)
        self.date_format = self._combo(_DATE_FORMATS, profile["date_format"], editable=True)
        self.decimal = self._combo((".", ","), profile.get("decimal", "."))
        self.thousands = QComboBox()
        for label, mark in (("none", ""), (",", ","), (".", "."), ("space", " "), ("'", "'")):
            self.thousands.addItem(label, mark)
        self._select(self.thousands, profile.get("thousands", ""))
        self.amount = self._columns(columns, profile.get("amount_column"))
        self.debit = self._columns(columns, profile.get("debit_column"))
        self.credit = self._columns(columns, profile.get("credit_column"))
        self.payee = self._columns(columns, profile.get("payee_column"))
        # the file's layout left, its columns right: short enough for a 700-pixel screen
        layout_form, columns_form = QFormLayout(), QFormLayout()
        layout_form.addRow("Encoding:", self.encoding)
        layout_form.addRow("Delimiter:", self.delimiter)
        layout_form.addRow("Column names on line:", self.header_line)
        layout_form.addRow("Date format:", self.date_format)
        layout_form.addRow("Decimal mark:", self.decimal)
        layout_form.addRow("Thousands separator:", self.thousands)
        columns_form.addRow("Date column:", self.date_column)
        columns_form.addRow("Payee:", self.payee)
        columns_form.addRow("Amount (signed):", self.amount)
        columns_form.addRow("Or money out (debit):", self.debit)
        columns_form.addRow("And money in (credit):", self.credit)
        form = QHBoxLayout()
        form.addLayout(layout_form, stretch=1)
        form.addSpacing(16)
        form.addLayout(columns_form, stretch=1)
        origin = "saved for this account" if saved else "detected"
        self.about = QLabel(f"The mapping {origin}; change what is wrong. The first rows as read:")
        self.preview = QTableWidget(0, 4)
        self.preview.setObjectName("mappingPreview")
        self.preview.setHorizontalHeaderLabels(["Line", "Date", "Payee", "Amount"])
        self.preview.verticalHeader().setVisible(False)
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button.setText("Continue")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.about)
        layout.addWidget(self.preview, stretch=1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(820, 520)
        for combo in (self.encoding, self.delimiter, self.date_column, self.date_format,
                      self.decimal, self.thousands, self.amount, self.debit, self.credit,
                      self.payee):  # fmt: skip
            combo.currentIndexChanged.connect(self.update_preview)
            if combo.isEditable():
                combo.editTextChanged.connect(self.update_preview)
        self.header_line.valueChanged.connect(self.update_preview)
        self.update_preview()

    @property
    def ok_button(self) -> QPushButton:
        button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert button is not None
        return button

    def profile(self) -> dict[str, Any]:
        """The mapping as the form says it (not checked: :meth:`update_preview` does)."""
        data = dict(self._original)
        data.update(
            encoding=self.encoding.currentText().strip(),
            delimiter=self.delimiter.currentData(),
            header_line=self.header_line.value() or None,
            date_column=self.date_column.currentData(),
            date_format=self.date_format.currentText().strip(),
            decimal=self.decimal.currentText(),
            thousands=self.thousands.currentData(),
            amount_column=self.amount.currentData(),
            debit_column=self.debit.currentData(),
            credit_column=self.credit.currentData(),
            payee_column=self.payee.currentData(),
        )
        return data

    @Slot()
    def update_preview(self) -> None:
        """Read the first rows by the mapping as it stands; OK only when they read."""
        self.preview.setRowCount(0)
        try:
            head = self._head(self.header_line.value())
            file = self._read(head, self._name, self.profile())
        except (ValueError, LookupError) as exc:  # a bad mapping, an unknown encoding
            self._show_problem(str(exc))
            return
        rows = [(str(r.line), date_text(r.booking_date), r.payee or r.memo,
                 amount_text(r.amount, s.currency))
                for s in file.statements for r in s.rows]  # fmt: skip
        errors = [(str(e.line), "", f"does not read: {e.message}", "")
                  for s in file.statements for e in s.errors]  # fmt: skip
        shown = sorted(rows + errors, key=lambda r: int(r[0]))[:PREVIEW_ROWS]
        self.preview.setRowCount(len(shown))
        for number, cells in enumerate(shown):
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 3:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.preview.setItem(number, column, item)
        self.preview.resizeColumnToContents(0)
        problem = "" if rows else "No row reads by this mapping."
        if errors and rows:
            problem = f"{len(errors)} of the first rows do not read by this mapping."
        self.message.setStyleSheet(_ERROR_STYLE if problem else "")
        self.message.setText(problem)
        self.ok_button.setEnabled(bool(rows))

    def _show_problem(self, text: str) -> None:
        self.message.setStyleSheet(_ERROR_STYLE)
        self.message.setText(text)
        self.ok_button.setEnabled(False)

    def _head(self, header_line: int) -> bytes:
        """The file's first lines: enough for the header and PREVIEW_ROWS rows."""
        lines = self._data.splitlines(keepends=True)
        return b"".join(lines[: header_line + PREVIEW_ROWS + 1])

    def _column_names(self, profile: dict[str, Any]) -> list[str]:
        names = [str(c) for c in profile.get("columns") or ()]
        try:
            text = self._head(profile.get("header_line") or 0).decode(
                profile["encoding"], "replace"
            )
            reader = csv.reader(io.StringIO(text), delimiter=profile["delimiter"])
            widest = max((len(r) for r in reader), default=0)
        except (LookupError, csv.Error, TypeError):
            widest = 0
        count = max(len(names), widest)
        return [
            f"{n + 1}: {names[n]}" if n < len(names) and names[n].strip() else f"column {n + 1}"
            for n in range(count)
        ]

    @staticmethod
    def _columns(names: list[str], current: object, *, optional: bool = True) -> QComboBox:
        combo = QComboBox()
        if optional:
            combo.addItem("—", None)
        for number, name in enumerate(names):
            combo.addItem(name, number)
        found = combo.findData(current) if current is not None else (0 if optional else -1)
        combo.setCurrentIndex(max(found, 0))
        return combo

    @staticmethod
    def _combo(items: tuple[str, ...], current: str, *, editable: bool = False) -> QComboBox:
        combo = QComboBox()
        combo.setEditable(editable)
        combo.addItems(list(dict.fromkeys((current, *items))))
        combo.setCurrentText(current)
        return combo

    @staticmethod
    def _select(combo: QComboBox, mark: object) -> None:
        found = combo.findData(mark)
        if found < 0:
            combo.addItem(repr(mark), mark)
            found = combo.count() - 1
        combo.setCurrentIndex(found)
