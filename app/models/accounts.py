"""The chart of accounts with balances, as a tree: type, then currency, then the accounts
under their parents; a "Net worth" row per currency at the end.

A type with accounts in one currency shows its subtotal on its own row; with several, one row
per currency below it carries each subtotal. An account's balance is its own plus that of the
accounts below it in its currency (an account under a parent of another currency sits at the
top of its own currency, its path in its name). Closed accounts may be hidden (an account
stays while anything below it is open). Updated by ``sync`` (inserts, removes, moves,
dataChanged), never reset.

Moving the timeline reads the balances off the GUI thread when the model has an
:data:`AccountsReader` (a million events take longer than a frame): the old figures stay,
greyed, until the read for the latest cursor comes; reads for cursors passed meanwhile are
never started or are dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any

from PySide6.QtCore import QMimeData, QModelIndex, QObject, Qt, Signal, Slot

from app.formatting import money_text
from app.models import style
from app.models.accounts_tree import TYPE_LABEL as TYPE_LABEL
from app.models.accounts_tree import TYPE_ORDER as TYPE_ORDER
from app.models.accounts_tree import AccountsLine as AccountsLine
from app.models.accounts_tree import LineKind as LineKind
from app.models.accounts_tree import build_tree as build_tree
from app.models.columns import ModelIndex
from app.models.hierarchy import can_move_under
from app.models.keyed_tree import KeyedTreeModel
from app.models.sources import AccountRow, AccountsSource
from domain.model.events import AccountType
from domain.store.base import StoredEvent

COL_NAME, COL_TYPE, COL_CURRENCY, COL_BALANCE = range(4)
ACCOUNT_MIME = "application/x-tallybook-account-id"

AccountsReader = Callable[[int | None, Callable[[list[AccountRow] | None], None]], None]
"""Reads the accounts as of a position (the timeline's booking date too) off the GUI thread
and hands them to the callback on the GUI thread; None if the read failed
(``BookSession.read_accounts``)."""


class AccountsModel(KeyedTreeModel[AccountsLine]):
    """Accounts and balances as of the timeline's cursor (``None`` = the present)."""

    _HEADERS = ("Account", "Type", "Currency", "Balance")
    _RIGHT = frozenset({COL_BALANCE})
    # an account dropped on another (or on its type's header: the top); the window sends
    # the MoveAccount through the controller, and the tree follows its events
    move_requested = Signal(str, str)  # account id, new parent id ("" for the top)

    def __init__(
        self,
        source: AccountsSource,
        parent: QObject | None = None,
        *,
        reader: AccountsReader | None = None,
    ) -> None:
        super().__init__(parent)
        self._source = source
        self._reader = reader  # None: timeline moves read on the GUI thread
        self._as_of: int | None = None
        self._show_closed = True
        self._accounts: list[AccountRow] = []
        self._stale = False  # the figures are an earlier cursor's, a read is on its way
        self._generation = 0  # bumped by every change of what the rows should show
        self._reading = False  # one read at a time: the latest cursor's follows it
        self._again = False
        self.reload()

    def _key(self, row: AccountsLine) -> Hashable:
        return row.key

    @property
    def as_of(self) -> int | None:
        return self._as_of

    @property
    def show_closed(self) -> bool:
        return self._show_closed

    def accounts(self) -> list[AccountRow]:
        """Every account as of the cursor (hidden closed ones too), in no particular order."""
        return list(self._accounts)

    def account(self, account_id: str) -> AccountRow | None:
        """The account with this id as of the cursor, if it exists then."""
        return next((a for a in self._accounts if a.account_id == account_id), None)

    def account_at(self, index: ModelIndex) -> AccountRow | None:
        line = self.value_at(index)
        return line.account if line is not None else None

    def index_of_account(self, account_id: str) -> QModelIndex:
        """The row of the account (an invalid index if it is not shown)."""
        return self.index_of_key((LineKind.ACCOUNT, account_id))

    @property
    def stale(self) -> bool:
        """The balances shown are an earlier cursor's (greyed); a read is on its way."""
        return self._stale

    def reload(self) -> None:
        """Read the accounts as of the cursor here, now (a read on its way is dropped)."""
        self._generation += 1
        self._accounts = self._source.accounts(as_of=self._as_of)
        self._show()

    def _show(self) -> None:
        self.sync(build_tree(self._accounts, show_closed=self._show_closed))
        self._set_stale(False)

    @Slot(object)
    def set_as_of(self, as_of: int | None) -> None:
        self._as_of = as_of
        if self._reader is None:
            self.reload()
            return
        self._generation += 1
        self._set_stale(True)
        if self._reading:
            self._again = True  # read when the running one ends: the cursors between, never
        else:
            self._read()

    def _read(self) -> None:
        assert self._reader is not None
        self._reading, self._again = True, False
        generation = self._generation
        self._reader(self._as_of, lambda rows: self._on_read(generation, rows))

    def _on_read(self, generation: int, rows: list[AccountRow] | None) -> None:
        self._reading = False
        if self._again:
            self._read()  # the cursor moved on meanwhile: this result is already stale
        elif generation != self._generation:
            return  # read on the GUI thread since (new events, closed accounts shown)
        elif rows is None:
            self.reload()  # the worker failed: here, a damaged book is reported as one
        else:
            self._accounts = rows
            self._show()

    def _set_stale(self, stale: bool) -> None:
        if stale != self._stale:
            self._stale = stale
            self.changed_column(COL_BALANCE, [Qt.ItemDataRole.ForegroundRole])

    @Slot(bool)
    def set_show_closed(self, show: bool) -> None:
        """Show closed accounts (dimmed), or hide those with nothing open below them."""
        self._show_closed = show
        self.reload()

    @Slot(list)
    def on_events_appended(self, events: Sequence[StoredEvent]) -> None:
        # the past does not change: only the present view takes new events
        if self._as_of is None:
            self.reload()

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        line = self.value_at(index)
        if line is None:
            return Qt.ItemFlag.NoItemFlags
        if line.kind is LineKind.ACCOUNT:
            return (
                Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsDragEnabled | Qt.ItemFlag.ItemIsDropEnabled
            )  # fmt: skip
        if line.kind is LineKind.NET_WORTH:
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsDropEnabled

    # --- drag and drop: an account onto its new parent -------------------------------------

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [ACCOUNT_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        data = QMimeData()
        account = next((a for i in indexes if (a := self.account_at(i)) is not None), None)
        if account is not None:
            data.setData(ACCOUNT_MIME, account.account_id.encode())
        return data

    def drop_target(self, data: QMimeData, row: int, parent: ModelIndex) -> tuple[str, str] | None:
        """(account id, new parent id) a drop on ``parent`` (at ``row`` among its children,
        or on it) asks for, if the books would allow it: on an account, under it; on a
        type's or currency's header, to the top. None for any other drop."""
        if not data.hasFormat(ACCOUNT_MIME):
            return None
        account_id = bytes(data.data(ACCOUNT_MIME).data()).decode()
        line = self.value_at(parent)
        if line is None or line.kind is LineKind.NET_WORTH:
            return None
        new_parent = line.account.account_id if line.account is not None else ""
        if line.account is None:
            moved = self.account(account_id)
            if moved is None or moved.account_type is not line.account_type:
                return None
        if not can_move_under(self._accounts, account_id, new_parent):
            return None
        return account_id, new_parent

    def canDropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: ModelIndex
    ) -> bool:
        moving = action == Qt.DropAction.MoveAction
        return moving and self.drop_target(data, row, parent) is not None

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: ModelIndex
    ) -> bool:
        moving = action == Qt.DropAction.MoveAction
        target = self.drop_target(data, row, parent) if moving else None
        if target is not None:
            self.move_requested.emit(*target)
        # nothing changes here, and the view must remove nothing: the move's events will
        return False

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        line = self.value_at(index)
        if line is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(line, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self.alignment(column)
        if role == Qt.ItemDataRole.DecorationRole:
            kind = line.account_type
            if column == COL_NAME and line.kind is LineKind.ACCOUNT and kind is not None:
                return style.type_icon(kind)
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == COL_BALANCE and self._stale:
                return style.dimmed_brush()  # an earlier cursor's figure, until the read
            if column == COL_BALANCE and line.balance is not None and line.balance < 0:
                return style.negative_brush()
            if line.account is not None and line.account.closed:
                return style.dimmed_brush()
            return None
        if role == Qt.ItemDataRole.FontRole:
            if line.kind is not LineKind.ACCOUNT:
                return style.font(bold=True)
            return style.font(italic=True) if line.account and line.account.closed else None
        if role == Qt.ItemDataRole.BackgroundRole:
            return style.group_brush() if line.kind is not LineKind.ACCOUNT else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(line)
        return None

    def _display(self, line: AccountsLine, column: int) -> str | None:
        if column == COL_NAME:
            if line.kind is LineKind.ACCOUNT:
                closed = " (closed)" if line.account and line.account.closed else ""
                return f"{line.label}{closed}"
            return line.label
        if column == COL_TYPE:
            kind = line.account_type
            return TYPE_LABEL[kind] if kind is not None and line.account is not None else ""
        if column == COL_CURRENCY:
            return line.currency
        if column == COL_BALANCE:
            return "" if line.balance is None else money_text(line.balance, line.currency)
        return None

    def _tooltip(self, line: AccountsLine) -> str | None:
        account = line.account
        if account is None:
            return None
        notes = ["closed"] if account.closed else []
        if account.account_type is AccountType.ASSET and not account.overdraft_allowed:
            notes.append("no overdraft")
        suffix = f" — {', '.join(notes)}" if notes else ""
        text = f"{account.name} ({TYPE_LABEL[account.account_type]}, {account.currency}){suffix}"
        if line.own_balance is not None and line.own_balance != line.balance:
            own = money_text(line.own_balance, account.currency)
            text += f"\nIts own balance {own}; the balance shown adds the accounts below it"
        return text
