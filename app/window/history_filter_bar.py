"""The history's search and filter bar: what the user types, read as a :class:`HistoryFilter`.

Free text, event type, account and author on the first row; booking dates, recorded times
and amounts on a second one ("More"). A field that does not read (a date that is no
date) is named in the bar's message and keeps the filter from changing: nothing is guessed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.models.history import humanize_type
from domain.model.events import EVENT_TYPES
from domain.model.money import minor_digits
from domain.projections.history_filter import HistoryFilter

Accounts = Callable[[], list[tuple[str, str]]]
"""-> (account id, name) of every account, to choose one from."""

_DEBOUNCE_MS = 250  # typing a word asks once, not once a letter


class BadField(ValueError):
    """A filter field that does not read; the message names it."""


def parse_day(text: str, what: str) -> dt.date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise BadField(f"{what}: {text!r} is not a date (YYYY-MM-DD)") from None


def parse_moment(text: str, what: str, *, end: bool) -> dt.datetime | None:
    """An ISO time (local time unless it has an offset); a bare date means its start, or
    for ``end`` its last moment."""
    text = text.strip()
    if not text:
        return None
    try:
        if len(text) == 10:
            day = dt.date.fromisoformat(text)
            moment = dt.datetime.combine(day, dt.time.max if end else dt.time.min)
        else:
            moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise BadField(f"{what}: {text!r} is not a time (YYYY-MM-DD or YYYY-MM-DD HH:MM)") from None
    return moment.astimezone(dt.UTC) if moment.tzinfo else moment.astimezone().astimezone(dt.UTC)


def parse_amount(text: str, currency: str, what: str) -> int | None:
    """A decimal amount (``1234.50``, sign ignored) in the currency's minor units."""
    text = text.strip().replace(",", "")
    if not text:
        return None
    try:
        amount = abs(Decimal(text))
    except InvalidOperation:
        raise BadField(f"{what}: {text!r} is not an amount (like 1234.50)") from None
    minor = amount.scaleb(minor_digits(currency))
    if minor != minor.to_integral_value():
        raise BadField(f"{what}: {text!r} has more decimals than {currency} has")
    return int(minor)


class HistoryFilterBar(QWidget):
    """Emits ``changed(filter)`` (a :class:`HistoryFilter`, inactive for none) as the user
    edits; shows "n of N events" and any problem in its message label."""

    changed = Signal(object)

    def __init__(
        self, accounts: Accounts, currency: str = "EUR", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("historyFilterBar")
        self._accounts = accounts
        self._shown_accounts: list[tuple[str, str]] | None = None  # the choice as last filled
        self._currency = currency
        self._lineage: HistoryFilter | None = None  # a figure's events, until edited
        self.search = self._line("historySearch", "Search payee, memo, account, summary, id…")
        self.search.setClearButtonEnabled(True)
        # the dock's narrowest is an 800-px screen's: every field gives a little
        room = self.fontMetrics().horizontalAdvance("Search payee…")
        self.search.setMinimumWidth(room + 30)
        self.search.setToolTip("Text anywhere in an event, ignoring case (Ctrl+F)")
        self.type_box = QComboBox()
        self.type_box.setObjectName("historyTypeFilter")
        self.type_box.addItem("All types", None)
        for name in sorted(EVENT_TYPES, key=humanize_type):
            self.type_box.addItem(humanize_type(name), name)
        self.account_box = QComboBox()
        self.account_box.setObjectName("historyAccountFilter")
        self.account_box.setToolTip("Its own events, and every entry that touched it")
        self.reload_accounts()
        for box in (self.type_box, self.account_box):  # long names elide, not squeeze search
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(9)
        self.author = self._line("historyAuthorFilter", "Author")
        self.author.setMinimumWidth(self.fontMetrics().horizontalAdvance("Author") + 16)
        self.author.setMaximumWidth(self.fontMetrics().horizontalAdvance("Author") * 3)
        self.more = QToolButton()
        self.more.setText("More")
        self.more.setToolTip("Booking dates, recorded times and amounts")
        self.more.setCheckable(True)
        self.count = QLabel()
        self.count.setObjectName("historyFilterCount")
        self.clear_button = QToolButton()
        self.clear_button.setText("Clear")
        self.clear_button.setToolTip("Show every event again")
        self.from_date = self._line("historyFromDate", "Booked from", "Booking date, YYYY-MM-DD")
        self.to_date = self._line("historyToDate", "Booked to", "Booking date, YYYY-MM-DD")
        moment = "Local time: YYYY-MM-DD or YYYY-MM-DD HH:MM (or with a UTC offset)"
        self.recorded_from = self._line("historyRecordedFrom", "Recorded from", moment)
        self.recorded_to = self._line("historyRecordedTo", "Recorded to", moment)
        size = f"What the event moves, in {currency} (like 1234.50)"
        self.amount_min = self._line("historyAmountMin", "Amount from", size)
        self.amount_max = self._line("historyAmountMax", "Amount to", size)
        self.message = QLabel()
        self.message.setObjectName("historyFilterMessage")
        first = QHBoxLayout()
        first.setContentsMargins(0, 0, 0, 0)
        first.addWidget(self.search, stretch=3)
        for widget in (self.type_box, self.account_box, self.author, self.more):
            first.addWidget(widget)
        first.addWidget(self.count, stretch=1, alignment=Qt.AlignmentFlag.AlignRight)
        first.addWidget(self.clear_button)
        self.second = QWidget()
        second = QHBoxLayout(self.second)
        second.setContentsMargins(0, 0, 0, 0)
        for widget in (self.from_date, self.to_date, self.recorded_from, self.recorded_to,
                       self.amount_min, self.amount_max):  # fmt: skip
            second.addWidget(widget)
        self.second.setVisible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.setSpacing(2)
        layout.addLayout(first)
        layout.addWidget(self.second)
        layout.addWidget(self.message)
        self.message.setVisible(False)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(_DEBOUNCE_MS)
        self._timer.timeout.connect(self._emit)
        for line in self._lines():
            line.textChanged.connect(self._edited)
        self.type_box.currentIndexChanged.connect(self._edited)
        self.account_box.currentIndexChanged.connect(self._edited)
        self.more.toggled.connect(self.second.setVisible)
        self.clear_button.clicked.connect(self.clear)

    def _line(self, name: str, placeholder: str, tip: str = "") -> QLineEdit:
        line = QLineEdit()
        line.setObjectName(name)
        line.setPlaceholderText(placeholder)
        line.setToolTip(tip)
        return line

    def _lines(self) -> list[QLineEdit]:
        return [self.search, self.author, self.from_date, self.to_date, self.recorded_from,
                self.recorded_to, self.amount_min, self.amount_max]  # fmt: skip

    def reload_accounts(self) -> None:
        """Fill the account choice again (accounts opened or renamed), keeping the choice."""
        choices = list(self._accounts())
        if choices == self._shown_accounts:
            return  # balances changed, not names
        self._shown_accounts = choices
        chosen = self.account_box.currentData()
        self.account_box.blockSignals(True)
        self.account_box.clear()
        self.account_box.addItem("All accounts", None)
        for account_id, name in choices:
            self.account_box.addItem(name, account_id)
        index = self.account_box.findData(chosen)
        self.account_box.setCurrentIndex(max(0, index))
        self.account_box.blockSignals(False)

    def current_filter(self) -> HistoryFilter:
        """The filter the fields say; raises :class:`BadField` naming one that does not read."""
        account = self.account_box.currentData()
        kind = self.type_box.currentData()
        text = self.search.text().strip()
        author = self.author.text().strip()
        return HistoryFilter(
            search=text.casefold() or None,
            types=frozenset([kind]) if kind else None,
            account_ids=frozenset([account]) if account else None,
            author=author or None,
            from_date=parse_day(self.from_date.text(), "Booked from"),
            to_date=parse_day(self.to_date.text(), "Booked to"),
            recorded_from=parse_moment(self.recorded_from.text(), "Recorded from", end=False),
            recorded_to=parse_moment(self.recorded_to.text(), "Recorded to", end=True),
            amount_min=parse_amount(self.amount_min.text(), self._currency, "Amount from"),
            amount_max=parse_amount(self.amount_max.text(), self._currency, "Amount to"),
        )

    def show_lineage(self, keep: HistoryFilter, text: str) -> None:
        """Show a figure's events (``keep``) with ``text`` saying what they are; any edit of
        the fields goes back to the fields' own filter."""
        self._timer.stop()
        self._set_fields_quietly()
        self._lineage = keep
        self.set_message(text, problem=False)
        self.changed.emit(keep)

    def _set_fields_quietly(self) -> None:
        for widget in [*self._lines(), self.type_box, self.account_box]:
            widget.blockSignals(True)
        for line in self._lines():
            line.clear()
        self.type_box.setCurrentIndex(0)
        self.account_box.setCurrentIndex(0)
        for widget in [*self._lines(), self.type_box, self.account_box]:
            widget.blockSignals(False)

    @Slot()
    def clear(self) -> None:
        """Every event again."""
        self._timer.stop()
        self._set_fields_quietly()
        self._lineage = None
        self.set_message("")
        self.changed.emit(HistoryFilter())

    @Slot()
    def _edited(self) -> None:
        self._lineage = None
        self._timer.start()

    @Slot()
    def _emit(self) -> None:
        try:
            keep = self.current_filter()
        except BadField as problem:
            self.set_message(str(problem), problem=True)
            return
        self.set_message("")
        self.changed.emit(keep)

    def set_message(self, text: str, *, problem: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #b00020;" if problem else "")
        self.message.setVisible(bool(text))

    def set_count(self, text: str) -> None:
        self.count.setText(text)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()
