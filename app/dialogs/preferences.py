"""Edit ▸ Preferences…: default currency, date display, first day of the week, the date new
entries start with, and the author name recorded in events."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QLocale, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.dialogs.open_account import COMMON_CURRENCIES, locale_currency
from app.formatting import locale_date_format, to_qdate
from app.preferences import EntryDate, Preferences
from domain.model.errors import DomainError
from domain.model.guards import MAX_NAME, clean_text
from domain.model.money import check_currency

_SAMPLE_DAY = dt.date(2024, 3, 1)
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_ERROR_STYLE = "color: #c0392b;"


class PreferencesDialog(QDialog):
    """Shows ``current`` for editing; :meth:`preferences` is what the form says.

    ``login_name`` is what the events record when no author name is given."""

    def __init__(
        self, current: Preferences, login_name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.setMinimumWidth(460)
        locale = QLocale()
        self.currency = QComboBox()
        self.currency.setEditable(True)
        own = locale_currency()
        self.currency.addItems([own, *(c for c in COMMON_CURRENCIES if c != own)])
        self.currency.setCurrentText(current.currency or own)
        self.dates = QComboBox()
        sample = locale.toString(to_qdate(_SAMPLE_DAY), locale_date_format())
        self.dates.addItem(f"As in your language and region ({sample})", False)
        self.dates.addItem("ISO 8601 (2024-03-01)", True)
        self.dates.setCurrentIndex(1 if current.iso_dates else 0)
        self.first_day = QComboBox()
        locale_first = _DAYS[locale.firstDayOfWeek().value - 1]
        self.first_day.addItem(f"As in your region ({locale_first})", 0)
        for number, name in enumerate(_DAYS, start=1):
            self.first_day.addItem(name, number)
        self.first_day.setCurrentIndex(self.first_day.findData(current.first_day_of_week))
        self.entry_date = QComboBox()
        self.entry_date.addItem("Today", EntryDate.TODAY.value)
        self.entry_date.addItem("The date of the last entry recorded", EntryDate.LAST_USED.value)
        self.entry_date.setCurrentIndex(self.entry_date.findData(current.entry_date.value))
        self.author = QLineEdit(current.author)
        self.author.setPlaceholderText(login_name or "your name")
        author_note = QLabel("Written into every change you record from now on, so an auditor "
                             "sees who made it. Empty: your login name.")  # fmt: skip
        author_note.setWordWrap(True)
        author_note.setStyleSheet("color: palette(placeholder-text);")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(_ERROR_STYLE)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Default &currency:", self.currency)
        form.addRow("&Dates:", self.dates)
        form.addRow("&First day of the week:", self.first_day)
        form.addRow("&New entries are dated:", self.entry_date)
        form.addRow("&Author name:", self.author)
        form.addRow("", author_note)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.currency.currentTextChanged.connect(self.revalidate)
        self.author.textChanged.connect(self.revalidate)
        self._own_currency = own
        self.revalidate()

    @property
    def ok_button(self) -> QPushButton:
        button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert button is not None
        return button

    def problem(self) -> str:
        try:
            check_currency(self.currency.currentText().strip().upper())
        except DomainError as exc:
            return f"Default currency: {exc.message}"
        try:
            clean_text(self.author.text(), "the author name", MAX_NAME, name=True)
        except DomainError as exc:
            return f"{exc.message[0].upper()}{exc.message[1:]}."
        return ""

    @Slot()
    def revalidate(self) -> None:
        problem = self.problem()
        self.ok_button.setEnabled(not problem)
        self.message.setText(problem)

    def accept(self) -> None:
        if not self.problem():
            super().accept()

    def preferences(self) -> Preferences:
        currency = self.currency.currentText().strip().upper()
        day = self.first_day.currentData()
        return Preferences(
            # the locale's own stays "the locale's": it follows the user to another region
            currency="" if currency == self._own_currency else currency,
            iso_dates=self.dates.currentData() is True,
            first_day_of_week=day if isinstance(day, int) else 0,
            entry_date=EntryDate(self.entry_date.currentData()),
            author=self.author.text().strip(),
        )
