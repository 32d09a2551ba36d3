"""The New Book assistant: a household, freelancer or club chart with opening balances, an
empty book, the sample book, or an existing book.

The assistant only decides; what it chose (:class:`StartChoice`) is carried out by whoever
opened it: the chart's accounts are ordinary :class:`OpenAccount` commands
(:mod:`app.book_templates`), recorded through the book's service like any other.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from decimal import Decimal

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from app.book_templates import TEMPLATES, BookTemplate, template_commands
from app.dialogs.fields import AmountEdit, date_edit, edit_date
from app.dialogs.open_account import COMMON_CURRENCIES
from domain.model.commands import OpenAccount
from domain.model.errors import DomainError
from domain.model.events import AccountType
from domain.model.money import check_currency

_HINT_STYLE = "color: palette(placeholder-text);"
_ERROR_STYLE = "color: #c0392b;"


class StartKind(enum.Enum):
    TEMPLATE = "template"
    EMPTY = "empty"
    SAMPLE = "sample"
    OPEN = "open"


@dataclass(frozen=True, slots=True)
class StartChoice:
    """What the assistant was finished with: the kind, and for a template its commands."""

    kind: StartKind
    template: BookTemplate | None = None
    commands: list[OpenAccount] = field(default_factory=list)


_PLAIN = (
    (StartKind.EMPTY, "&Empty book", "No accounts yet: open them yourself."),
    (StartKind.SAMPLE, "&Sample book", "A year of a made-up household's books, to explore."),
    (StartKind.OPEN, "&Open an existing book…", "A book file you already have."),
)
_START_PAGE, _BALANCES_PAGE = 0, 1


class StartPage(QWizardPage):
    """What the book starts from: one radio button a choice."""

    def __init__(self, offer_open: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle("Start a Book")
        self.setSubTitle("Choose what the new book starts with. You can add, rename and close "
                         "accounts later.")  # fmt: skip
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QRadioButton] = {}
        layout = QVBoxLayout(self)
        shortcuts = {"household": "&Household", "freelancer": "&Freelancer",
                     "club": "&Club or association"}  # fmt: skip
        for template in TEMPLATES:
            label = shortcuts.get(template.key, template.title)
            self._add(layout, template.key, label, template.description)
        for kind, label, text in _PLAIN:
            if kind is StartKind.OPEN and not offer_open:
                continue
            self._add(layout, kind.value, label, text)
        layout.addStretch(1)
        self.buttons[TEMPLATES[0].key].setChecked(True)

    def _add(self, layout: QVBoxLayout, key: str, label: str, text: str) -> None:
        button = QRadioButton(label)
        button.setObjectName(f"start_{key}")
        note = QLabel(text)
        note.setWordWrap(True)
        note.setStyleSheet(_HINT_STYLE)
        note.setContentsMargins(24, 0, 0, 6)
        self.group.addButton(button)
        self.buttons[key] = button
        layout.addWidget(button)
        layout.addWidget(note)

    def chosen(self) -> tuple[StartKind, BookTemplate | None]:
        for template in TEMPLATES:
            if self.buttons[template.key].isChecked():
                return StartKind.TEMPLATE, template
        for kind in StartKind:
            button = self.buttons.get(kind.value)
            if button is not None and button.isChecked():
                return kind, None
        return StartKind.EMPTY, None

    def nextId(self) -> int:
        kind, _template = self.chosen()
        return _BALANCES_PAGE if kind is StartKind.TEMPLATE else -1


class BalancesPage(QWizardPage):
    """The template's currency, opening date and its assets' and liabilities' balances."""

    def __init__(self, start: StartPage, currency: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._start = start
        self.template: BookTemplate | None = None
        self.currency = QComboBox()
        self.currency.setEditable(True)
        self.currency.addItems([currency, *(c for c in COMMON_CURRENCIES if c != currency)])
        self.opening_date = date_edit()
        self.amounts: dict[str, AmountEdit] = {}
        self.also = QLabel()
        self.also.setWordWrap(True)
        self.also.setStyleSheet(_HINT_STYLE)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(_ERROR_STYLE)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.addRow("C&urrency:", self.currency)
        self.form.addRow("Opening &date:", self.opening_date)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.also)
        layout.addStretch(1)
        layout.addWidget(self.message)
        self.currency.currentTextChanged.connect(self._on_currency_changed)

    def initializePage(self) -> None:
        _kind, template = self._start.chosen()
        if template is None or template is self.template:
            return  # back and forth keeps what was typed
        self.template = template
        while self.form.rowCount() > 2:
            self.form.removeRow(2)
        self.amounts = {}
        self.setTitle(f"{template.title}: Opening Balances")
        self.setSubTitle("What each account holds on the opening date (for a liability: what "
                         "is owed). Leave a field empty for zero.")  # fmt: skip
        for account in template.with_opening():
            edit = AmountEdit(self.currency_code())
            edit.setObjectName(f"opening_{account.name}")
            edit.amount_changed.connect(self._on_amount_changed)
            owed = " (owed)" if account.account_type is AccountType.LIABILITY else ""
            self.form.addRow(f"{account.name}{owed}:", edit)
            self.amounts[account.name] = edit
        others = [a.name for a in template.accounts if not a.opening]
        self.also.setText("Also opened, as categories: " + ", ".join(others) + ".")
        self._on_amount_changed()

    def currency_code(self) -> str:
        return self.currency.currentText().strip().upper()

    def problem(self) -> str:
        try:
            check_currency(self.currency_code())
        except DomainError as exc:
            return exc.message
        accounts = self.template.accounts if self.template else ()
        no_overdraft = {a.name for a in accounts if not a.overdraft_allowed}
        for name, edit in self.amounts.items():
            if edit.text().strip() and edit.amount() is None:
                return f"{name}: {edit.problem()}"
            if name in no_overdraft and (edit.decimal() or 0) < 0:
                return f"{name} allows no overdraft, so it cannot start below zero."
        return ""

    def isComplete(self) -> bool:
        return not self.problem()

    def balances(self) -> dict[str, Decimal]:
        return {name: edit.decimal() or Decimal(0) for name, edit in self.amounts.items()}

    def _on_currency_changed(self) -> None:
        code = self.currency_code()
        try:
            check_currency(code)
        except DomainError:
            pass  # problem() says why
        else:
            for edit in self.amounts.values():
                edit.set_currency(code)
        self._on_amount_changed()

    def _on_amount_changed(self) -> None:
        self.message.setText(self.problem())
        self.completeChanged.emit()


class NewBookWizard(QWizard):
    """Asks what a new book starts from; :meth:`choice` once it is accepted."""

    def __init__(
        self, currency: str, parent: QWidget | None = None, *, offer_open: bool = True
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("New Book")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.start = StartPage(offer_open)
        self.balances = BalancesPage(self.start, currency)
        self.setPage(_START_PAGE, self.start)
        self.setPage(_BALANCES_PAGE, self.balances)
        self.setStartId(_START_PAGE)
        self.setMinimumSize(560, 460)
        self.start.group.buttonToggled.connect(self._on_choice_changed)
        self._on_choice_changed()

    def _on_choice_changed(self) -> None:
        kind, _template = self.start.chosen()
        # the wizard lays out Next or Finish anew only when told the page's final state
        self.start.setFinalPage(kind is not StartKind.TEMPLATE)
        # mnemonics the choices' (H, F, C, E, S, O) and Back, Next and Cancel leave free
        finish = {StartKind.OPEN: "O&pen…", StartKind.SAMPLE: "Create Sam&ple"}
        self.setButtonText(QWizard.WizardButton.FinishButton, finish.get(kind, "C&reate"))

    def choice(self) -> StartChoice:
        kind, template = self.start.chosen()
        if template is None:
            return StartChoice(kind)
        commands = template_commands(
            template, self.balances.currency_code(), edit_date(self.balances.opening_date),
            self.balances.balances(),
        )  # fmt: skip
        return StartChoice(kind, template, commands)
