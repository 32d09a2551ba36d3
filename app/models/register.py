"""The register of one account: its entries with running balance, as of the timeline's cursor.

Voided entries stay, struck out, with a tooltip naming the void; the void's reversing row is
italic, and so are entries dated after today (greyed, with a tooltip that says so). Rows
are paged from the read model so long registers stay cheap.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar

from PySide6.QtCore import QObject, Qt, Signal, Slot

from app.formatting import date_text, money_text
from app.models import style
from app.models.columns import ModelIndex
from app.models.paged import PagedTableModel
from app.models.register_filter import NOT_CLEARED as NOT_CLEARED  # the view's and tests'
from app.models.register_filter import VOIDED, status_of
from app.models.sources import AccountRow, RegisterRow, RegisterSource
from domain.store.base import StoredEvent

COL_DATE, COL_PAYEE, COL_MEMO, COL_OTHER, COL_AMOUNT, COL_BALANCE = range(6)

HiddenKey = tuple[str, int | None, int]  # (account id, as of, row count)
HiddenReader = Callable[[str, int | None, Callable[[list[int]], None]], None]
"""Finds the places of an account's voided rows (as of a position) off the GUI thread and
hands them to the callback, on the GUI thread (``BookSession.read_hidden``)."""

SYNC_HIDDEN_ROWS = 20_000
"""Registers up to this many rows find their voided rows on the GUI thread (about 1 µs a
row: 20 ms); longer ones ask the :data:`HiddenReader`, and show every row meanwhile."""


class RegisterModel(PagedTableModel[RegisterRow]):
    """Entries of the selected account in (booking date, position) order."""

    _HEADERS: ClassVar[tuple[str, ...]] = (
        "Date", "Payee", "Memo", "Other account", "Amount", "Balance",
    )  # fmt: skip
    _RIGHT = frozenset({COL_AMOUNT, COL_BALANCE})
    filter_outdated = Signal()  # the filter's rows no longer match the account or the cursor

    def __init__(
        self,
        source: RegisterSource,
        parent: QObject | None = None,
        *,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        super().__init__(parent)
        self._source = source
        self._today = today  # entries dated after it are marked
        self._account: AccountRow | None = None
        self._as_of: int | None = None
        self._hide_voided = False
        self._hidden: list[int] = []  # the places of the rows left out, while hiding voids
        # what they were read for: a register changes only by gaining rows, so the same
        # account, cursor and count have the same voids (no walk for others' entries)
        self._hidden_for: HiddenKey | None = None
        self._hidden_reader: HiddenReader | None = None
        self._asked: HiddenKey | None = None  # what the reader is looking for now
        self._filtered: list[RegisterRow] | None = None  # a filter's rows (None: all)

    @property
    def filtered(self) -> bool:
        return self._filtered is not None

    def show_rows(self, rows: list[RegisterRow] | None) -> None:
        """Show only these rows of the register (a filter's, found in a worker); None: all."""
        self._filtered = rows
        self._reset_rows()

    def set_hidden_reader(self, reader: HiddenReader) -> None:
        """Find the voided rows of long registers with ``reader``, not on the GUI thread."""
        self._hidden_reader = reader

    @property
    def account(self) -> AccountRow | None:
        return self._account

    def set_account(self, account: AccountRow | None) -> None:
        """Show another account's register (a new set of rows, so the views reset)."""
        if account == self._account:
            return
        same = (
            account is not None
            and self._account is not None
            and account.account_id == self._account.account_id
        )
        self._account = account
        if self._filtered is not None:  # another account's rows are to be found
            self._filtered = [] if not same else self._filtered
            self.filter_outdated.emit()
        if not same:
            self._reset_rows()
        # the same account, renamed or with a new balance: its rows are read again when they
        # change (new events, a move of the cursor), not here (the tree's figures catching up
        # with a timeline step would read them twice)

    @Slot(object)
    def set_as_of(self, as_of: int | None) -> None:
        self._as_of = as_of
        if self._filtered is not None:
            self.filter_outdated.emit()  # the filter asks again; its rows stay till then
            return
        self.refresh()

    @Slot(list)
    def on_events_appended(self, events: Sequence[StoredEvent]) -> None:
        if self._account is not None and self._as_of is None:
            if self._filtered is not None:
                self.filter_outdated.emit()
                return
            self.refresh()

    @property
    def hides_voided(self) -> bool:
        return self._hide_voided

    def set_hide_voided(self, hide: bool) -> None:
        """Leave out voided entries and their voids (which cancel out: the balances stay)."""
        if hide != self._hide_voided:
            self._hide_voided = hide
            self._reset_rows()  # another set of rows

    @property
    def as_of(self) -> int | None:
        return self._as_of

    def _count(self) -> int:
        if self._filtered is not None:
            return len(self._filtered)
        if self._account is None:
            return 0
        account_id = self._account.account_id
        count = self._source.register_count(account_id, as_of=self._as_of)
        if not self._hide_voided:
            self._hidden, self._hidden_for = [], None
        elif self._hidden_for != (key := (account_id, self._as_of, count)):
            if self._hidden_reader is None or count <= SYNC_HIDDEN_ROWS:
                self._hidden = self._source.register_hidden(account_id, as_of=self._as_of)
                self._hidden_for = key
            else:  # every row until the reader answers: never places read for other rows
                self._hidden, self._hidden_for = [], None
                if self._asked != key:
                    self._asked = key
                    self._hidden_reader(*key[:2], lambda hidden: self._on_hidden(key, hidden))
        return count - len(self._hidden)

    def _on_hidden(self, key: HiddenKey, hidden: list[int]) -> None:
        """The reader's answer: taken if the register is still the one it was asked for."""
        if self._asked != key:
            return  # asked since for another account, cursor or count
        self._asked = None
        if not self._hide_voided:
            return
        self._hidden, self._hidden_for = hidden, key
        if hidden:
            self._reset_rows()  # another set of rows, as when hiding was turned on

    def _place(self, row: int) -> int:
        """The place in the whole register of shown row ``row``."""
        place = row
        for hidden in self._hidden:  # in order: each one at or before it pushes it on
            if hidden > place:
                break
            place += 1
        return place

    def _fetch(self, offset: int, limit: int) -> list[RegisterRow]:
        if self._filtered is not None:
            return self._filtered[offset : offset + limit]
        if self._account is None or offset >= self._row_count:
            return []
        start = self._place(offset)
        end = self._place(min(offset + limit, self._row_count) - 1) + 1 if limit else start
        rows = self._source.register(
            self._account.account_id, as_of=self._as_of, offset=start, limit=end - start
        )
        if not self._hidden:
            return rows
        return [row for row in rows if not (row.is_void or row.struck_out)]

    def data(
        self,
        index: ModelIndex,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        row = self.row_at(index.row()) if index.isValid() else None
        if row is None or self._account is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column, self._account.currency)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self.alignment(column)
        ahead = row.booking_date > self._today()
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == COL_AMOUNT:
                return style.amount_brush(row.amount)
            if column == COL_BALANCE:
                return style.amount_brush(row.running_balance)
            return style.dimmed_brush() if ahead else None
        if role == Qt.ItemDataRole.FontRole:
            if row.struck_out:
                return style.font(strike=True, italic=ahead)
            return style.font(italic=True) if row.is_void or ahead else None
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = self._tooltip(row)
            return f"Dated in the future ({date_text(row.booking_date)}). {tip}" if ahead else tip
        return None

    @staticmethod
    def _display(row: RegisterRow, column: int, currency: str) -> str | None:
        if column == COL_DATE:
            return date_text(row.booking_date)
        if column == COL_PAYEE:
            return row.payee
        if column == COL_MEMO:
            return f"Void: {row.memo}" if row.is_void else row.memo
        if column == COL_OTHER:
            return row.other_accounts
        if column == COL_AMOUNT:
            return money_text(row.amount, currency)
        if column == COL_BALANCE:
            return money_text(row.running_balance, currency)
        return None

    @staticmethod
    def _tooltip(row: RegisterRow) -> str:
        if row.voided_by is not None:
            return f"Voided by event #{row.voided_by} (double-click to show it in the history)"
        if row.is_void:
            return f"Void of an earlier entry, recorded as event #{row.position}"
        return f"Event #{row.position} (double-click to show it in the history)"


COL_STATUS = 6


class StatusRegisterModel(RegisterModel):
    """The register with a Status column: — (not cleared), cleared (came from a bank
    statement, or linked to one's row) or reconciled. ``statuses(account_id)`` maps the
    linked and reconciled entries' ids to theirs (two aggregates: no scan of the register)."""

    _HEADERS = (*RegisterModel._HEADERS, "Status")

    def __init__(
        self,
        source: RegisterSource,
        statuses: Callable[[str], Mapping[str, str]],
        parent: QObject | None = None,
        *,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        super().__init__(source, parent, today=today)
        self._statuses = statuses
        self._known: Mapping[str, str] | None = None  # the account's, until it changes

    def refresh(self) -> None:
        self._known = None
        super().refresh()

    def _reset_rows(self) -> None:
        self._known = None
        super()._reset_rows()

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and index.column() == COL_STATUS:
            row = self.row_at(index.row())
            if row is None or self._account is None:
                return None
            if role == Qt.ItemDataRole.DisplayRole:
                if self._known is None:
                    self._known = self._statuses(self._account.account_id)
                status = status_of(row, self._known)  # the filter's words too
                return "" if status == VOIDED else status
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return self.alignment(COL_STATUS)
            return None
        return super().data(index, role)
