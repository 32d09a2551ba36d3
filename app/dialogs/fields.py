"""Input widgets the command dialogs share: exact amounts, dates, account pickers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QLineEdit, QWidget

from app.formatting import (
    babel_locale,
    date_format,
    first_day_of_week,
    from_qdate,
    money_text,
    to_qdate,
)
from app.models.sources import AccountRow
from domain.model.errors import DomainError
from domain.model.money import Money, parse_money


class AmountEdit(QLineEdit):
    """A money field parsed exactly in the user's locale (never through a float).

    ``amount()`` is the parsed Money or None; ``problem()`` says why the text is not an amount.
    ``amount_changed`` fires on every edit so dialogs can validate as the user types.
    """

    amount_changed = Signal()

    def __init__(self, currency: str = "EUR", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._currency = currency
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.textChanged.connect(self._on_text_changed)
        self._update_placeholder()

    def currency(self) -> str:
        return self._currency

    def set_currency(self, currency: str) -> None:
        self._currency = currency
        self._update_placeholder()
        self.amount_changed.emit()

    def set_amount(self, money: Money) -> None:
        self.setText(money_text(money.minor, money.currency, symbol=False))

    def amount(self) -> Money | None:
        try:
            return parse_money(self.text(), self._currency, babel_locale())
        except DomainError:
            return None

    def decimal(self) -> Decimal | None:
        money = self.amount()
        return None if money is None else money.amount

    def problem(self) -> str:
        """Why the text is not an amount ("" when it is one)."""
        try:
            parse_money(self.text(), self._currency, babel_locale())
        except DomainError as exc:
            return exc.message
        return ""

    def positive_problem(self) -> str:
        """Why the text is not an amount above zero ("" when it is one)."""
        if not self.text().strip():
            return "Enter an amount."
        money = self.amount()
        if money is None:
            return self.problem()
        if money.minor <= 0:
            return "The amount must be more than zero."
        return ""

    def _on_text_changed(self) -> None:
        invalid = bool(self.text().strip()) and self.amount() is None
        self.setProperty("invalid", invalid)
        self.setStyleSheet("border: 1px solid #c0392b;" if invalid else "")
        self.amount_changed.emit()

    def _update_placeholder(self) -> None:
        self.setPlaceholderText(money_text(0, self._currency, symbol=False))


def date_edit(day: dt.date | None = None, parent: QWidget | None = None) -> QDateEdit:
    """A date field with a calendar popup in the locale's short format (or ISO, as the
    preferences say), today by default."""
    edit = QDateEdit(parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat(date_format())
    calendar = edit.calendarWidget()
    if calendar is not None:
        calendar.setFirstDayOfWeek(first_day_of_week())
    edit.setDate(to_qdate(day) if day else QDate.currentDate())
    return edit


def edit_date(edit: QDateEdit) -> dt.date:
    return from_qdate(edit.date())


def is_open(row: AccountRow) -> bool:
    """Closed accounts take no entries, so pickers for new entries leave them out."""
    return not row.closed


class AccountCombo(QComboBox):
    """Picks an account among those a command allows; the account id is the item data."""

    def __init__(
        self,
        accounts: Sequence[AccountRow],
        allow: Callable[[AccountRow], bool] = lambda _row: True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._all = list(accounts)
        self._allow = allow
        self.refill()

    def refill(self, allow: Callable[[AccountRow], bool] | None = None) -> None:
        """Show only the accounts ``allow`` accepts, keeping the current one if it still fits."""
        if allow is not None:
            self._allow = allow
        current = self.account_id()
        self.blockSignals(True)
        self.clear()
        for row in sorted(self._all, key=lambda r: (r.account_type.value, r.name.casefold())):
            if self._allow(row):
                self.addItem(f"{row.name}  ({row.currency})", row.account_id)
        self.blockSignals(False)
        index = self.findData(current) if current else -1
        self.setCurrentIndex(index if index >= 0 else (0 if self.count() else -1))
        self.currentIndexChanged.emit(self.currentIndex())

    def account_id(self) -> str | None:
        data = self.currentData()
        return data if isinstance(data, str) else None

    def account(self) -> AccountRow | None:
        chosen = self.account_id()
        return next((row for row in self._all if row.account_id == chosen), None)

    def select(self, account_id: str | None) -> None:
        index = self.findData(account_id) if account_id else -1
        if index >= 0:
            self.setCurrentIndex(index)
