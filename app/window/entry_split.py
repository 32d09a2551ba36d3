"""The entry row expanded into split lines: one more account and amount a line, with what
remains to balance shown as it is typed."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from PySide6.QtCore import QAbstractItemModel, Signal, Slot
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from app.dialogs.fields import AmountEdit
from app.formatting import remaining_text
from app.models.sources import AccountRow
from app.window.entry_fields import CompletingEdit
from domain.model.commands import SplitLine
from domain.model.money import Money


class SplitLineFields:
    """One line: an account's name, money in or out of it."""

    def __init__(self, names: QAbstractItemModel, currency: str) -> None:
        self.account = CompletingEdit(names)
        self.account.setPlaceholderText("Account")
        self.inflow, self.outflow = AmountEdit(currency), AmountEdit(currency)
        self.inflow.setPlaceholderText("In")
        self.outflow.setPlaceholderText("Out")
        self.inflow.textEdited.connect(lambda: self.outflow.clear())
        self.outflow.textEdited.connect(lambda: self.inflow.clear())

    def widgets(self) -> list[QWidget]:
        return [self.account, self.inflow, self.outflow]

    def is_blank(self) -> bool:
        return not any(w.text().strip() for w in (self.account, self.inflow, self.outflow))

    def debit(self) -> Money | None:
        """Money in (debit) above zero, out below; None while it is no amount."""
        for edit, sign in ((self.inflow, 1), (self.outflow, -1)):
            if edit.text().strip():
                money = edit.amount()
                return None if money is None else Money(sign * money.minor, money.currency)
        return None


class SplitLines(QWidget):
    """The lines under the entry row (the row's own account and amount are the first line)."""

    changed = Signal()

    def __init__(self, names: QAbstractItemModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._names = names
        self._currency = "EUR"
        self.lines: list[SplitLineFields] = []
        self.remaining = QLabel()
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(2)
        self._grid.setVerticalSpacing(2)
        self._grid.setColumnStretch(0, 3)
        self._grid.setColumnStretch(1, 1)
        self._grid.setColumnStretch(2, 1)

    def start(self, currency: str, first: tuple[str, Money | None] | None) -> CompletingEdit:
        """Show two lines (the first filled in with ``first``: an account name and the
        money that balances the row); the field to type in first."""
        self.clear()
        self._currency = currency
        line = self.add_line()
        self.add_line()
        if first is not None:
            name, money = first
            line.account.setText(name)
            if money is not None and money.minor:
                edit = line.inflow if money.minor > 0 else line.outflow
                edit.set_amount(Money(abs(money.minor), money.currency))
        self.show()
        return line.account if not line.account.text() else self.lines[1].account

    def clear(self) -> None:
        for line in self.lines:
            for widget in line.widgets():
                self._grid.removeWidget(widget)
                widget.deleteLater()
        self.lines = []
        self.hide()

    def add_line(self) -> SplitLineFields:
        line = SplitLineFields(self._names, self._currency)
        row = len(self.lines)
        for column, widget in enumerate(line.widgets()):
            self._grid.addWidget(widget, row, column)
        self._grid.addWidget(self.remaining, row + 1, 0, 1, 3)
        for edit in line.widgets():
            assert isinstance(edit, CompletingEdit | AmountEdit)
            edit.textChanged.connect(self._on_edited)
        self.lines.append(line)
        return line

    def widgets(self) -> list[QWidget]:
        return [widget for line in self.lines for widget in line.widgets()]

    @Slot()
    def _on_edited(self) -> None:
        # typing in the last line opens another, so a split takes as many as it needs
        if self.lines and not self.lines[-1].is_blank():
            self.add_line()
        self.changed.emit()

    def show_remaining(self, first: Money | None) -> None:
        """What the lines leave to balance, after the row's own line ``first``."""
        total = sum((m.minor for m in self._debits() if m is not None), 0)
        total += first.minor if first is not None else 0
        text, balanced = remaining_text({self._currency: total})
        self.remaining.setText(text)
        self.remaining.setStyleSheet("" if balanced else "color: #c0392b;")

    def _debits(self) -> list[Money | None]:
        return [line.debit() for line in self.lines if not line.is_blank()]

    def split_lines(
        self, account_named: Callable[[str], AccountRow | None]
    ) -> tuple[list[SplitLine], str]:
        """The lines as SplitLines, or what is wrong with the first one that is wrong."""
        found: list[SplitLine] = []
        for number, line in enumerate(self.lines, start=2):  # the row itself is line 1
            if line.is_blank():
                continue
            name = line.account.completion()
            account = account_named(name)
            if account is None:
                return [], f"Line {number}: there is no account named “{name}”."
            line.account.setText(account.name)
            money = line.debit()
            if money is None or money.minor == 0:
                edit = line.inflow if line.inflow.text().strip() else line.outflow
                problem = edit.problem() if edit.text().strip() else "enter the amount."
                return [], f"Line {number}: {problem or 'the amount must not be zero.'}"
            found.append(SplitLine(account_id=account.account_id, amount=Decimal(money.amount)))
        return found, ""
