"""Open Account: name, type, parent, currency, opening balance and date, overdraft rule."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit, QWidget

from app import preferences
from app.controller import CommandController
from app.dialogs.base import CommandDialog
from app.dialogs.fields import AmountEdit, date_edit, edit_date
from app.dialogs.move_account import ParentCombo
from app.formatting import babel_locale
from app.models.accounts import TYPE_LABEL, TYPE_ORDER
from app.models.sources import AccountRow
from domain.model import opening
from domain.model.chart import normalise_name
from domain.model.commands import OpenAccount
from domain.model.errors import DomainError
from domain.model.events import AccountType
from domain.model.guards import name_problem
from domain.model.money import check_currency

COMMON_CURRENCIES = ("EUR", "USD", "GBP", "CHF", "JPY", "CAD", "AUD", "SEK", "NOK", "DKK", "PLN")


def default_currency(accounts: Sequence[AccountRow]) -> str:
    """The preferences' currency, else the one most accounts use, else the locale's own."""
    if preferences.current().currency:
        return preferences.current().currency
    if accounts:
        currencies = [a.currency for a in accounts]
        return max(set(currencies), key=currencies.count)
    return locale_currency()


def locale_currency() -> str:
    """The currency of the user's locale (ISO 4217), USD if it names none."""
    code = QLocale().currencySymbol(QLocale.CurrencySymbolFormat.CurrencyIsoCode)
    if len(code) == 3 and code.isalpha():
        return code.upper()
    territory = babel_locale().territory
    if territory:
        from babel.numbers import get_territory_currencies

        found = get_territory_currencies(territory)
        if found:
            return str(found[0])
    return "USD"


class OpenAccountDialog(CommandDialog):
    """Builds an :class:`OpenAccount` command."""

    def __init__(
        self,
        controller: CommandController,
        accounts: Sequence[AccountRow],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Open Account", controller, parent)
        self._by_name = {normalise_name(a.name): a for a in accounts}  # as the chart compares
        self.name = QLineEdit()
        self.name.setPlaceholderText("e.g. Checking, Groceries, Salary")
        self.account_type = QComboBox()
        for kind in TYPE_ORDER:
            self.account_type.addItem(TYPE_LABEL[kind], kind.value)
        self.parent_account = ParentCombo(accounts)  # optional: "None (at the top)" first
        self.currency = QComboBox()
        self.currency.setEditable(True)
        currency = default_currency(accounts)
        codes = [currency, *(c for c in COMMON_CURRENCIES if c != currency)]
        self.currency.addItems(codes)
        self.opening_balance = AmountEdit(currency)
        self.opening_date = date_edit()
        self.opening_note = QLabel()  # says where the other side of the opening balance goes
        self.opening_note.setWordWrap(True)
        self.overdraft = QCheckBox("Allow a negative balance (overdraft)")
        self.form.addRow("&Name:", self.name)
        self.form.addRow("&Type:", self.account_type)
        self.form.addRow("&Parent:", self.parent_account)
        self.form.addRow("C&urrency:", self.currency)
        self.form.addRow("Opening &balance:", self.opening_balance)
        self.form.addRow("", self.opening_note)
        self.form.addRow("Opening &date:", self.opening_date)
        self.form.addRow("", self.overdraft)
        self.name.textChanged.connect(self.revalidate)
        self.account_type.currentIndexChanged.connect(self._on_type_changed)
        self.currency.currentTextChanged.connect(self._on_currency_changed)
        self.opening_balance.amount_changed.connect(self.revalidate)
        self._on_type_changed()
        self.name.setFocus()

    def chosen_type(self) -> AccountType:
        value = self.account_type.currentData()
        return AccountType(value) if isinstance(value, str) else AccountType.ASSET

    def choose_type(self, kind: AccountType) -> None:
        self.account_type.setCurrentIndex(self.account_type.findData(kind.value))

    def _on_type_changed(self) -> None:
        # the overdraft rule only guards asset accounts; a parent is of the same type
        self.overdraft.setEnabled(self.chosen_type() is AccountType.ASSET)
        self.parent_account.refill(self.chosen_type())
        self.revalidate()

    def _on_currency_changed(self, text: str) -> None:
        code = text.strip().upper()
        if self._currency_problem(code) == "":
            self.opening_balance.set_currency(code)
        self.revalidate()

    @staticmethod
    def _currency_problem(code: str) -> str:
        try:
            check_currency(code)
        except DomainError as exc:
            return exc.message
        return ""

    def revalidate(self) -> None:
        self.opening_note.setText(self._opening_note())
        super().revalidate()

    def _counter(self) -> tuple[str, str | None]:
        """(name, id or None if new) of the account the opening balance would go against."""

        def holder(name: str) -> tuple[str, AccountRow] | None:
            row = self._by_name.get(normalise_name(name))
            return None if row is None else (row.account_id, row)

        currency = self.currency.currentText().strip().upper()
        return opening.counter_account(currency, self.name.text().strip(), holder)

    def _opening_note(self) -> str:
        try:
            name, account_id = self._counter()
        except DomainError:
            return ""  # problem() says why
        if account_id is None:
            return f"The other side goes to a new equity account, “{name}”."
        return f"The other side goes to the equity account “{name}”."

    def problem(self) -> str:
        name = self.name.text().strip()
        if not name:
            return "Enter a name for the account."
        if problem := name_problem(name):  # the books' own rule, said before OK
            return problem
        if normalise_name(name) in self._by_name:
            return f"An account named “{name}” already exists."
        currency_problem = self._currency_problem(self.currency.currentText().strip().upper())
        if currency_problem:
            return currency_problem
        if self.opening_balance.text().strip() and self.opening_balance.amount() is None:
            return f"Opening balance: {self.opening_balance.problem()}"
        if self.opening_balance.decimal():  # not empty, not zero
            try:
                self._counter()
            except DomainError as exc:
                return exc.message[0].upper() + exc.message[1:] + "."
        return ""

    def build_command(self) -> OpenAccount:
        amount = self.opening_balance.decimal()
        kind = self.chosen_type()
        return OpenAccount(
            name=self.name.text().strip(),
            account_type=kind,
            currency=self.currency.currentText().strip().upper(),
            opening_balance=amount if amount is not None else Decimal(0),
            opening_date=edit_date(self.opening_date),
            overdraft_allowed=self.overdraft.isChecked() if kind is AccountType.ASSET else True,
            parent_id=self.parent_account.parent_id(),
        )
