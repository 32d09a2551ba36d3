"""The blank row at the foot of the register, where entries are typed in (as in GnuCash).

Date, payee (completed from the book's payees, most recent first), memo, the other account
(completed over the whole chart) and the money in or out. Tab past a known payee fills in
that payee's latest entry and lands on its amount; Enter records the row through the command
controller (a deposit, withdrawal or transfer by the other account's type), Escape empties
it. A rule the books refuse is shown in red on the row, which keeps its input. An existing
entry loaded into the row (:meth:`EntryRow.edit_entry`) is recorded as its correction.
"""

from __future__ import annotations

import html
from decimal import Decimal

from PySide6.QtCore import QEvent, QObject, Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.controller import CommandController
from app.dialogs.entry_form import UNCHANGED
from app.dialogs.fields import AmountEdit
from app.entry_drafts import Draft, debits_of, entry_command, fill_from
from app.formatting import date_text, from_qdate, to_qdate
from app.models import register as cols
from app.models.accounts import AccountsModel
from app.models.completions import PayeeSuggestions
from app.models.sources import AccountRow
from app.window.entry_fields import ChartNames, CompletingEdit, DayEdit
from app.window.entry_split import SplitLines
from domain.model.commands import (
    Command,
    CorrectEntry,
    Deposit,
    PostSplitEntry,
    SplitLine,
    Transfer,
    Withdraw,
    fingerprint,
)
from domain.model.money import Money

_ERROR = "color: #c0392b; font-weight: bold;"
_FRAME = "QFrame#entryRow {{ border: 1px solid {}; border-radius: 3px; }}"
OPEN_LINK = "open"
CORRECTION_REASON = "corrected in the register"


class EntryRow(QFrame):
    """The register's entry row; ``set_account`` says whose register it is."""

    open_account_requested = Signal(str)  # the name typed for the other account

    def __init__(
        self,
        controller: CommandController,
        accounts: AccountsModel,
        payees: PayeeSuggestions,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("entryRow")
        self._controller = controller
        self._accounts = accounts
        self.payees = payees  # what the row suggests (its list is filled once read)
        self._account: AccountRow | None = None
        self._pending: Command | None = None
        self._corrects: tuple[str, bytes] | None = None  # entry id, what posted it
        self._chart = ChartNames(accounts, self)
        self.date = DayEdit()
        self.payee = CompletingEdit(payees.model)
        self.memo = QLineEdit()
        self.counter = CompletingEdit(self._chart.model)
        self.inflow, self.outflow = AmountEdit(), AmountEdit()
        self.split_button = QPushButton("&Split…")
        self.record_button = QPushButton("Record")
        self.mode = QLabel()  # what Enter does, while correcting
        self.message = QLabel()
        self.split = SplitLines(self._chart.model)
        self._lay_out()
        self._connect()

    # --- construction -------------------------------------------------------------------------

    def _lay_out(self) -> None:
        for edit, hint in (
            (self.payee, "Payee"), (self.memo, "Memo"), (self.counter, "Other account"),
            (self.inflow, "In"), (self.outflow, "Out"),
        ):  # fmt: skip
            edit.setPlaceholderText(hint)
        self.inflow.setToolTip("Money into this account (a debit)")
        self.outflow.setToolTip("Money out of this account (a credit)")
        self.counter.setToolTip("Type an account's name; a split has Split…")
        self.split_button.setToolTip("Spread this entry over several accounts, a line each")
        self.record_button.setToolTip("Record the entry (Enter); Escape empties the row")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(_ERROR)
        self.message.setTextFormat(Qt.TextFormat.RichText)
        self.message.hide()
        self.mode.hide()
        fields = self._fields = QHBoxLayout()
        fields.setContentsMargins(0, 0, 0, 0)
        fields.setSpacing(2)
        for widget in (self.date, self.payee, self.memo, self.counter, self.inflow,
                       self.outflow, self.split_button, self.record_button):  # fmt: skip
            fields.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(3, 3, 3, 3)
        layout.setSpacing(2)
        layout.addWidget(self.mode)
        layout.addLayout(fields)
        layout.addWidget(self.split)
        layout.addWidget(self.message)
        self.split.hide()
        self._show_frame("palette(mid)")

    def _connect(self) -> None:
        for field in self.fields():
            field.installEventFilter(self)
        for edit in (self.payee, self.memo, self.counter, self.inflow, self.outflow):
            edit.textEdited.connect(self._clear_message)
        self.date.dateChanged.connect(self._clear_message)
        self.inflow.textEdited.connect(lambda: self.outflow.clear())
        self.outflow.textEdited.connect(lambda: self.inflow.clear())
        self.record_button.clicked.connect(self.record)
        self.split_button.clicked.connect(self._on_split)
        self.message.linkActivated.connect(self._on_link)
        self._controller.command_rejected.connect(self._on_command_rejected)
        self.split.changed.connect(self._on_split_changed)
        for edit in (self.inflow, self.outflow):
            edit.textChanged.connect(lambda: self.split.isVisible() and self._on_split_changed())

    def fields(self) -> list[QWidget]:
        return [self.date, self.payee, self.memo, self.counter, self.inflow, self.outflow]

    def align_to(self, header: QHeaderView) -> None:
        """Share the row's width among the fields as the register's columns share theirs."""
        # the row takes the width it is given: its fields never widen the register's side,
        # which would resize the columns again
        policy = self.sizePolicy()
        policy.setHorizontalPolicy(QSizePolicy.Policy.Ignored)
        self.setSizePolicy(policy)
        for field in self.fields():
            field.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.date.setMinimumWidth(self.date.minimumSizeHint().width())  # never clipped
        header.sectionResized.connect(lambda *_args: self._align(header))
        self._align(header)

    def _align(self, header: QHeaderView) -> None:
        under = (cols.COL_DATE, cols.COL_PAYEE, cols.COL_MEMO, cols.COL_OTHER, cols.COL_AMOUNT,
                 cols.COL_BALANCE)  # fmt: skip
        for place, column in enumerate(under):
            stretch = max(1, header.sectionSize(column))
            if self._fields.stretch(place) != stretch:
                self._fields.setStretch(place, stretch)

    # --- state --------------------------------------------------------------------------------

    def set_account(self, account: AccountRow | None) -> None:
        """Enter into ``account``'s register (None: no register, no row)."""
        current = self._account
        if account is not None and current is not None and account.account_id == current.account_id:
            self._account = account  # a new balance or name: the input stays
            return
        self._account = account
        if account is not None:
            for edit, hint in ((self.inflow, "In"), (self.outflow, "Out")):
                edit.set_currency(account.currency)
                edit.setPlaceholderText(hint)
        self.discard()

    @Slot()
    def discard(self) -> None:
        """Empty the row (the date stays: entries come in runs of one day) and stop
        correcting."""
        self._corrects = None
        self._pending = None
        self.mode.hide()
        for edit in (self.payee, self.memo, self.counter, self.inflow, self.outflow):
            edit.clear()
        self.split.clear()
        self.counter.setEnabled(True)
        self.counter.setPlaceholderText("Other account")
        self._clear_message()

    def edit_entry(self, entry_id: str, original: Deposit | Withdraw | Transfer) -> bool:
        """Load an entry of this account into the row, to record its correction; False if
        it does not post to this account."""
        account = self._account
        debits = debits_of(original)
        if account is None or account.account_id not in debits:
            return False
        self.discard()
        other = next(a for a in debits if a != account.account_id)
        self.date.setDate(to_qdate(original.booking_date))
        self.payee.setText(original.payee)
        self.memo.setText(original.memo)
        self.counter.setText(self._chart.name_of(other))
        self._show_amount(Money.of(debits[account.account_id], account.currency).minor)
        self._corrects = (entry_id, fingerprint(original))
        when = html.escape(date_text(original.booking_date))
        self.mode.setText(f"Correcting the entry of {when}: Enter voids it and records this "
                          "in its place, Escape leaves it as it is.")  # fmt: skip
        self.mode.show()
        self.payee.setFocus()
        return True

    @property
    def correcting(self) -> str | None:
        """The id of the entry being corrected, if any."""
        return self._corrects[0] if self._corrects else None

    # --- keys ---------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key, plain = event.key(), not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and plain:
                self.record()
                return True
            if key == Qt.Key.Key_Escape:
                self.discard()
                return True
            if key == Qt.Key.Key_Tab and plain and watched is self.payee:
                return self._leave_payee()
        return super().eventFilter(watched, event)

    def _leave_payee(self) -> bool:
        """Complete the payee; a known one fills a fresh row and goes to its amount."""
        text = self.payee.completion()
        known = self.payees.known(text) if text else None
        self.payee.setText(known or text)
        fresh = not any(e.text().strip() for e in (self.memo, self.counter, self.inflow,
                                                   self.outflow))  # fmt: skip
        if known is None or not fresh or self._account is None:
            return False
        last = self.payees.last(known, self._account.account_id)
        if last is None:
            return False
        fill = fill_from(last, self._account.account_id, self._chart.by_id)
        self.memo.setText(fill.memo)
        counter = self._chart.by_id(fill.counter_id) if fill.counter_id else None
        # learned in another currency's account: its amount means nothing here
        same = counter is None or counter.currency == self._account.currency
        if counter is not None and same:
            self.counter.setText(self._chart.name_of(counter.account_id))
        target = self._show_amount(fill.debit if same else 0)
        target.setFocus(Qt.FocusReason.TabFocusReason)
        target.selectAll()
        return True

    def _show_amount(self, debit: int) -> AmountEdit:
        """Show a signed amount in the In or Out field; that field (Out when there is none)."""
        account = self._account
        edit = self.inflow if debit > 0 else self.outflow
        if debit and account is not None:
            edit.set_amount(Money(abs(debit), account.currency))
        return edit

    # --- recording ----------------------------------------------------------------------------

    @Slot()
    def record(self) -> None:
        """Record the row if it makes an entry; else say on the row what is wrong."""
        problem, command = self._command()
        if command is None:
            self._show_error(problem)
            return
        self._pending = command
        if self._controller.execute(command):
            self.discard()
            self.date.setFocus()

    def _command(self) -> tuple[str, Command | None]:
        account = self._account
        if account is None:
            return "Select an account first.", None
        if self.split.isVisible():
            problem, entry = self._split_entry(account)
            return (problem, None) if entry is None else self._correcting(entry)
        name = self.counter.completion()
        if not name:
            return "Type the other account's name (or use Split… for several).", None
        counter = self._chart.named(name)
        if counter is None:
            shown = html.escape(name)
            return (f"There is no account named “{shown}”. "
                    f"<a href='{OPEN_LINK}'>Open “{shown}”…</a>"), None  # fmt: skip
        self.counter.setText(counter.name)
        if counter.account_id == account.account_id:
            return f"Choose an account other than {html.escape(account.name)} itself.", None
        debit, problem = self._debit()
        if debit is None:
            return problem, None
        draft = Draft(account, counter, debit, from_qdate(self.date.date()),
                      self.payee.text().strip(), self.memo.text().strip())  # fmt: skip
        return self._correcting(entry_command(draft))

    def _split_entry(self, account: AccountRow) -> tuple[str, PostSplitEntry | None]:
        debit, problem = self._debit()
        if debit is None:
            return problem, None
        lines, problem = self.split.split_lines(self._chart.named)
        if problem:
            return html.escape(problem), None
        if not lines:
            return "Type the other accounts on the lines below.", None
        own = SplitLine(account_id=account.account_id, amount=debit)
        if sum((line.amount for line in lines), debit) != 0:
            return "The lines do not balance: see what remains.", None
        return "", PostSplitEntry(booking_date=from_qdate(self.date.date()), lines=(own, *lines),
                                  payee=self.payee.text().strip(),
                                  memo=self.memo.text().strip())  # fmt: skip

    def _correcting(self, entry: Deposit | Withdraw | Transfer | PostSplitEntry
                    ) -> tuple[str, Command | None]:  # fmt: skip
        """The entry, or the correction of the entry being corrected."""
        if self._corrects is None:
            return "", entry
        entry_id, original = self._corrects
        if fingerprint(entry) == original:
            return UNCHANGED, None
        return "", CorrectEntry(entry_id=entry_id, replacement=entry, reason=CORRECTION_REASON)

    def _debit(self) -> tuple[Decimal | None, str]:
        for edit, sign in ((self.inflow, 1), (self.outflow, -1)):
            if edit.text().strip():
                problem = edit.positive_problem()
                amount = edit.decimal()
                if problem or amount is None:
                    return None, html.escape(problem)
                return sign * amount, ""
        return None, "Enter the amount, in or out."

    @Slot(object, str)
    def _on_command_rejected(self, command: object, message: str) -> None:
        if command is self._pending:
            self._show_error(html.escape(message))

    def _show_error(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()
        self._show_frame("#c0392b")

    @Slot()
    def _clear_message(self) -> None:
        self.message.clear()
        self.message.hide()
        self._show_frame("palette(mid)")

    def error_text(self) -> str:
        """The message shown on the row, as plain text ("" when none)."""
        return self.message.text()

    def _show_frame(self, color: str) -> None:
        self.setStyleSheet(_FRAME.format(color))

    @Slot(str)
    def _on_link(self, _link: str) -> None:
        self.open_account_requested.emit(self.counter.text().strip())

    @Slot()
    def _on_split(self) -> None:
        """Expand the row into lines: the other account, if any, becomes the first of them."""
        if self.split.isVisible() or self._account is None:
            return
        debit, _problem = self._debit()
        money = Money.of(-debit, self._account.currency) if debit is not None else None
        name = self.counter.completion()
        focus = self.split.start(self._account.currency, (name, money) if name else None)
        self.counter.clear()
        self.counter.setEnabled(False)
        self.counter.setPlaceholderText("Split: lines below")
        self._on_split_changed()
        focus.setFocus()

    @Slot()
    def _on_split_changed(self) -> None:
        for widget in self.split.widgets():  # new lines take Enter and Escape too
            widget.removeEventFilter(self)
            widget.installEventFilter(self)
        debit, _problem = self._debit()
        account = self._account
        own = Money.of(debit, account.currency) if debit is not None and account else None
        self.split.show_remaining(own)
        self._clear_message()
