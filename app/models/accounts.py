"""The chart of accounts with balances, as a tree: type, then currency, then the accounts
under their parents; a "Net worth" row per currency at the end.

A type with accounts in one currency shows its subtotal on its own row; with several, one row
per currency below it carries each subtotal. An account's balance is its own plus that of the
accounts below it in its currency (an account under a parent of another currency sits at the
top of its own currency, its path in its name). Closed accounts may be hidden (an account
stays while anything below it is open). Updated by ``sync`` (inserts, removes, moves,
dataChanged), never reset.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from PySide6.QtCore import QMimeData, QModelIndex, QObject, Qt, Signal, Slot

from app.formatting import money_text
from app.models import style
from app.models.columns import ModelIndex
from app.models.hierarchy import can_move_under
from app.models.keyed_tree import KeyedTreeModel, TreeRow
from app.models.sources import AccountRow, AccountsSource
from domain.model.events import AccountType
from domain.projections.rows import PATH_SEPARATOR
from domain.store.base import StoredEvent

COL_NAME, COL_TYPE, COL_CURRENCY, COL_BALANCE = range(4)
ACCOUNT_MIME = "application/x-tallybook-account-id"

TYPE_ORDER = (
    AccountType.ASSET,
    AccountType.LIABILITY,
    AccountType.EQUITY,
    AccountType.INCOME,
    AccountType.EXPENSE,
)
TYPE_LABEL = {
    AccountType.ASSET: "Asset",
    AccountType.LIABILITY: "Liability",
    AccountType.EQUITY: "Equity",
    AccountType.INCOME: "Income",
    AccountType.EXPENSE: "Expense",
}
GROUP_LABEL = {
    AccountType.ASSET: "Assets",
    AccountType.LIABILITY: "Liabilities",
    AccountType.EQUITY: "Equity",
    AccountType.INCOME: "Income",
    AccountType.EXPENSE: "Expenses",
}


class LineKind(Enum):
    GROUP = "group"  # an account type
    CURRENCY = "currency"  # one currency of a type that has several
    ACCOUNT = "account"
    NET_WORTH = "net worth"


@dataclass(frozen=True, slots=True)
class AccountsLine:
    """One row: a group header, a currency within it, an account, or a net-worth total.
    ``balance`` is None on a group row whose currencies have rows of their own."""

    kind: LineKind
    label: str
    currency: str
    balance: int | None
    account_type: AccountType | None = None
    account: AccountRow | None = None
    own_balance: int | None = None  # an account's without what is below it

    @property
    def key(self) -> Hashable:
        if self.account is not None:
            return (self.kind, self.account.account_id)
        return (self.kind, self.account_type, self.currency)


Tree = list[TreeRow[AccountsLine]]


def build_tree(accounts: Sequence[AccountRow], *, show_closed: bool = True) -> Tree:
    """The rows of the accounts view (see the module's doc)."""
    rows: Tree = []
    net: dict[str, int] = defaultdict(int)
    everyone = {a.account_id: a for a in accounts}
    for kind in TYPE_ORDER:
        of_kind = [a for a in accounts if a.account_type is kind]
        currencies = sorted({a.currency for a in of_kind})
        if not currencies:
            continue
        group = TreeRow(AccountsLine(LineKind.GROUP, GROUP_LABEL[kind], "", None, kind))
        for currency in currencies:
            members = [a for a in of_kind if a.currency == currency]
            total = sum(a.balance for a in members)
            below = _account_rows(members, everyone, show_closed)
            if len(currencies) == 1:
                group.value = AccountsLine(LineKind.GROUP, GROUP_LABEL[kind], currency, total, kind)
                group.children = below
            else:
                line = AccountsLine(LineKind.CURRENCY, currency, currency, total, kind)
                group.children.append(TreeRow(line, below))
            if kind is AccountType.ASSET:
                net[currency] += total
            elif kind is AccountType.LIABILITY:
                net[currency] -= total
        rows.append(group)
    rows.extend(
        TreeRow(AccountsLine(LineKind.NET_WORTH, "Net worth", currency, total))
        for currency, total in sorted(net.items())
    )
    return rows


def _account_rows(
    members: Sequence[AccountRow], everyone: dict[str, AccountRow], show_closed: bool
) -> Tree:
    """The accounts of one type and currency as a tree under their nearest parent among them,
    siblings by name, each with its subtotal (``everyone``: all accounts, by id)."""
    by_id = {a.account_id: a for a in members}
    children: dict[str, list[AccountRow]] = defaultdict(list)
    between: dict[str, list[str]] = {}  # names of the parents skipped (another currency)
    for account in members:
        parent, skipped = _tree_parent(account, by_id, everyone)
        children[parent].append(account)
        between[account.account_id] = skipped

    subtotals: dict[str, int] = {}

    def subtotal(account: AccountRow) -> int:  # once per account: rows() asks at each level
        found = subtotals.get(account.account_id)
        if found is None:
            below = children.get(account.account_id, ())
            found = subtotals[account.account_id] = account.balance + sum(map(subtotal, below))
        return found

    def hidden(account: AccountRow) -> bool:
        return account.closed and all(hidden(c) for c in children[account.account_id])

    def rows(parent_id: str) -> Tree:
        out: Tree = []
        for account in sorted(children[parent_id], key=lambda a: (a.name.casefold(), a.account_id)):
            if not show_closed and hidden(account):
                continue
            label = PATH_SEPARATOR.join([*between[account.account_id], account.name])
            line = AccountsLine(
                LineKind.ACCOUNT, label, account.currency, subtotal(account),
                account.account_type, account, account.balance,
            )  # fmt: skip
            out.append(TreeRow(line, rows(account.account_id)))
        return out

    return rows("")


def _tree_parent(
    account: AccountRow, members: dict[str, AccountRow], everyone: dict[str, AccountRow]
) -> tuple[str, list[str]]:
    """The nearest of the account's parents among ``members`` ("" for none), and the names
    of the parents on the way there, top first."""
    skipped: list[str] = []
    seen: set[str] = set()
    above = account.parent_id
    while above and above not in members and above in everyone and above not in seen:
        seen.add(above)  # seen: a book written around the parent rules
        skipped.append(everyone[above].name)
        above = everyone[above].parent_id
    return (above if above in members else ""), skipped[::-1]


class AccountsModel(KeyedTreeModel[AccountsLine]):
    """Accounts and balances as of the timeline's cursor (``None`` = the present)."""

    _HEADERS = ("Account", "Type", "Currency", "Balance")
    _RIGHT = frozenset({COL_BALANCE})
    # an account dropped on another (or on its type's header: the top); the window sends
    # the MoveAccount through the controller, and the tree follows its events
    move_requested = Signal(str, str)  # account id, new parent id ("" for the top)

    def __init__(self, source: AccountsSource, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._source = source
        self._as_of: int | None = None
        self._show_closed = True
        self._accounts: list[AccountRow] = []
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

    def reload(self) -> None:
        self._accounts = self._source.accounts(as_of=self._as_of)
        self.sync(build_tree(self._accounts, show_closed=self._show_closed))

    @Slot(object)
    def set_as_of(self, as_of: int | None) -> None:
        self._as_of = as_of
        self.reload()

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
