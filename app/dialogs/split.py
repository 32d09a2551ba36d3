"""Split Entry: one entry over several accounts, with a live "remaining to balance" figure."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyle,
    QTableWidget,
    QWidget,
)

from app.controller import CommandController
from app.dialogs.entry_form import EntryFormDialog
from app.dialogs.fields import AccountCombo, AmountEdit, is_open
from app.formatting import money_text, remaining_text
from app.models.sources import AccountRow
from domain.model.commands import PostSplitEntry, SplitLine
from domain.model.entries import EntryCommand
from domain.model.events import AccountType
from domain.model.money import Money

COL_ACCOUNT, COL_DEBIT, COL_CREDIT = range(3)
_HEADERS = ("Account", "Debit", "Credit")
_HEADER_TIPS = (
    "",
    "A debit increases an asset or an expense, and decreases a liability, equity or income.",
    "A credit increases a liability, equity or income, and decreases an asset or an expense.",
)
# what a debit does to an account of each type, in everyday words; a credit does the opposite
_DEBIT_RAISES = {
    AccountType.ASSET: True, AccountType.EXPENSE: True,
    AccountType.LIABILITY: False, AccountType.EQUITY: False, AccountType.INCOME: False,
}  # fmt: skip
_MEANING = {
    (AccountType.ASSET, True): "money into it",
    (AccountType.ASSET, False): "money out of it",
    (AccountType.EXPENSE, True): "spending",
    (AccountType.EXPENSE, False): "a refund",
    (AccountType.LIABILITY, True): "more owed",
    (AccountType.LIABILITY, False): "paying it off",
    (AccountType.EQUITY, True): "more owned",
    (AccountType.EQUITY, False): "taken out",
    (AccountType.INCOME, True): "earnings",
    (AccountType.INCOME, False): "earnings given back",
}


def effect(row: AccountRow, debit: bool) -> tuple[str, str]:
    """(placeholder, tooltip) saying what a debit or a credit does to ``row``."""
    raises = _DEBIT_RAISES[row.account_type] is debit
    word = "Increases" if raises else "Decreases"
    side = "debit" if debit else "credit"
    meaning = _MEANING[(row.account_type, raises)]
    kind = row.account_type.value
    article = "an" if kind[0] in "aeiou" else "a"
    return word, f"A {side} {word.lower()} {row.name}, {article} {kind} account: {meaning}."


class SplitLineRow:
    """The widgets of one line: an account and a debit or a credit amount."""

    def __init__(self, accounts: Sequence[AccountRow]) -> None:
        self.account = AccountCombo(accounts, is_open)
        self.account.setPlaceholderText("Choose an account…")
        self.account.setCurrentIndex(-1)
        self.debit = AmountEdit()
        self.credit = AmountEdit()
        self.account.currentIndexChanged.connect(self._on_account_changed)

    def _on_account_changed(self) -> None:
        chosen = self.account.account()
        if chosen is not None:
            # the bare Debit/Credit columns say nothing of which one adds to this account
            for edit, debit in ((self.debit, True), (self.credit, False)):
                edit.set_currency(chosen.currency)
                placeholder, tip = effect(chosen, debit)
                edit.setPlaceholderText(placeholder)
                edit.setToolTip(tip)

    def is_blank(self) -> bool:
        return not self.debit.text().strip() and not self.credit.text().strip()

    def signed(self) -> Money | None:
        """Debit minus credit, or None while the line is incomplete or wrong."""
        if self.account.account() is None or self.is_blank():
            return None
        if self.debit.text().strip() and self.credit.text().strip():
            return None
        edit = self.debit if self.debit.text().strip() else self.credit
        money = edit.amount()
        if money is None:
            return None
        return money if edit is self.debit else -money

    def problem(self, number: int) -> str:
        if self.is_blank():
            return ""
        if self.account.account() is None:
            return f"Line {number}: choose an account."
        if self.debit.text().strip() and self.credit.text().strip():
            return f"Line {number}: enter either a debit or a credit, not both."
        edit = self.debit if self.debit.text().strip() else self.credit
        if edit.amount() is None:
            return f"Line {number}: {edit.problem()}"
        money = self.signed()
        if money is not None and money.minor == 0:
            return f"Line {number}: the amount must not be zero."
        return ""


def remaining(lines: Sequence[SplitLineRow]) -> dict[str, int]:
    """Debits minus credits per currency, over the complete lines."""
    totals: dict[str, int] = {}
    for line in lines:
        money = line.signed()
        if money is not None:
            totals[money.currency] = totals.get(money.currency, 0) + money.minor
    return totals


class SplitEntryDialog(EntryFormDialog):
    """Builds a :class:`PostSplitEntry` from a table of lines that must balance per currency."""

    def __init__(
        self,
        controller: CommandController,
        accounts: Sequence[AccountRow],
        selected_id: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Split Entry", controller, parent)
        self.setMinimumWidth(620)
        self._accounts = list(accounts)
        self.lines: list[SplitLineRow] = []
        self.table = QTableWidget(0, len(_HEADERS))
        self.table.setHorizontalHeaderLabels(list(_HEADERS))
        for column, tip in enumerate(_HEADER_TIPS):
            item = self.table.horizontalHeaderItem(column)
            if item is not None and tip:
                item.setToolTip(tip)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.setMinimumHeight(150)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COL_ACCOUNT, QHeaderView.ResizeMode.Stretch)
        for column in (COL_DEBIT, COL_CREDIT):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, 130)
        self.remaining_label = QLabel()
        style = self.style()
        self.add_button = QPushButton(
            style.standardIcon(QStyle.StandardPixmap.SP_FileDialogNewFolder), "&Add Line"
        )
        self.remove_button = QPushButton(
            style.standardIcon(QStyle.StandardPixmap.SP_TrashIcon), "&Remove Line"
        )
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        row.addStretch()
        row.addWidget(self.remaining_label)
        self.add_entry_rows()
        self.form.addRow(self.table)
        self.form.addRow(row)
        self.add_button.clicked.connect(self._on_add_line)
        self.remove_button.clicked.connect(self._on_remove_line)
        self.add_line().account.select(selected_id)
        self.add_line()
        self.payee.setFocus()

    def add_line(self) -> SplitLineRow:
        line = SplitLineRow(self._accounts)
        index = self.table.rowCount()
        self.table.insertRow(index)
        self.table.setCellWidget(index, COL_ACCOUNT, line.account)
        self.table.setCellWidget(index, COL_DEBIT, line.debit)
        self.table.setCellWidget(index, COL_CREDIT, line.credit)
        line.account.currentIndexChanged.connect(self.revalidate)
        line.debit.amount_changed.connect(self.revalidate)
        line.credit.amount_changed.connect(self.revalidate)
        self.lines.append(line)
        self.revalidate()
        return line

    def _on_add_line(self) -> None:
        # the keyboard follows to the new line: typing must not change another line's account
        line = self.add_line()
        self.table.setCurrentCell(len(self.lines) - 1, COL_ACCOUNT)
        line.account.setFocus()

    def _on_remove_line(self) -> None:
        self.remove_line(self.table.currentRow() if self.table.currentRow() >= 0 else -1)

    def remove_line(self, index: int) -> None:
        """Remove line ``index`` (the last one for -1), keeping at least two."""
        if len(self.lines) <= 2:
            return
        index = index if 0 <= index < len(self.lines) else len(self.lines) - 1
        self.table.removeRow(index)
        del self.lines[index]
        self.revalidate()

    def revalidate(self) -> None:
        totals = remaining(self.lines)
        text, balanced = remaining_text(totals)
        self.remaining_label.setText(text)
        self.remaining_label.setStyleSheet("color: #c0392b;" if totals and not balanced else "")
        super().revalidate()

    def entry_problem(self) -> str:
        for number, line in enumerate(self.lines, start=1):
            problem = line.problem(number)
            if problem:
                return problem
        complete = [line for line in self.lines if line.signed() is not None]
        if len(complete) < 2:
            return "A split needs at least two lines with an account and an amount."
        off = {c: m for c, m in remaining(self.lines).items() if m}
        if off:
            shown = ", ".join(f"{money_text(m, c)} more credit" if m > 0
                              else f"{money_text(-m, c)} more debit"
                              for c, m in sorted(off.items()))  # fmt: skip
            return f"The lines do not balance: {shown} needed."
        return ""

    def fill(self, command: EntryCommand) -> str:
        assert isinstance(command, PostSplitEntry)
        while len(self.lines) < len(command.lines):
            self.add_line()
        unfillable = ""
        for line, split in zip(self.lines, command.lines, strict=False):
            unfillable = unfillable or self.choose(line.account, split.account_id)
            edit = line.debit if split.amount > 0 else line.credit
            self.show_amount(edit, abs(split.amount), line.account)
        return unfillable

    def build_entry(self) -> PostSplitEntry:
        lines = []
        for line in self.lines:
            money, account_id = line.signed(), line.account.account_id()
            if money is not None and account_id is not None:
                lines.append(SplitLine(account_id=account_id, amount=money.amount))
        return PostSplitEntry(
            booking_date=self.booking_date(),
            lines=tuple(lines),
            payee=self.payee_text(),
            memo=self.memo_text(),
        )
