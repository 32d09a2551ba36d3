"""The chart of accounts with balances: group rows per account type and currency, then accounts.

A flat table: each group row carries its subtotal; a "Net worth" row per currency ends the
table. Updated by ``sync`` (inserts, removes, dataChanged), never reset.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from PySide6.QtCore import QObject, Qt, Slot

from app.formatting import money_text
from app.models import style
from app.models.columns import ModelIndex
from app.models.keyed import KeyedTableModel
from app.models.sources import AccountRow, AccountsSource
from domain.model.events import AccountType
from domain.store.base import StoredEvent

COL_NAME, COL_TYPE, COL_CURRENCY, COL_BALANCE = range(4)

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
    GROUP = "group"
    ACCOUNT = "account"
    NET_WORTH = "net worth"


@dataclass(frozen=True, slots=True)
class AccountsLine:
    """One row of the table: a group header, an account, or a net-worth total."""

    kind: LineKind
    label: str
    currency: str
    balance: int
    account_type: AccountType | None = None
    account: AccountRow | None = None


def build_lines(accounts: Sequence[AccountRow]) -> list[AccountsLine]:
    """Group the accounts by type and currency, with subtotals and net worth per currency."""
    lines: list[AccountsLine] = []
    net: dict[str, int] = {}
    for kind in TYPE_ORDER:
        of_kind = [a for a in accounts if a.account_type is kind]
        for currency in sorted({a.currency for a in of_kind}):
            members = sorted(
                (a for a in of_kind if a.currency == currency), key=lambda a: a.name.casefold()
            )
            total = sum(a.balance for a in members)
            lines.append(AccountsLine(LineKind.GROUP, GROUP_LABEL[kind], currency, total, kind))
            lines.extend(
                AccountsLine(LineKind.ACCOUNT, a.name, currency, a.balance, kind, a)
                for a in members
            )
            if kind is AccountType.ASSET:
                net[currency] = net.get(currency, 0) + total
            elif kind is AccountType.LIABILITY:
                net[currency] = net.get(currency, 0) - total
    lines.extend(
        AccountsLine(LineKind.NET_WORTH, "Net worth", currency, total)
        for currency, total in sorted(net.items())
    )
    return lines


class AccountsModel(KeyedTableModel[AccountsLine]):
    """Accounts and balances as of the timeline's cursor (``None`` = the present)."""

    _HEADERS = ("Account", "Type", "Currency", "Balance")
    _RIGHT = frozenset({COL_BALANCE})

    def __init__(self, source: AccountsSource, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._source = source
        self._as_of: int | None = None
        self._accounts: list[AccountRow] = []
        self.reload()

    def _key(self, row: AccountsLine) -> Hashable:
        if row.account is not None:
            return (row.kind, row.account.account_id)
        return (row.kind, row.account_type, row.currency)

    @property
    def as_of(self) -> int | None:
        return self._as_of

    def accounts(self) -> list[AccountRow]:
        """The accounts shown (as of the cursor), in no particular order."""
        return list(self._accounts)

    def account_at(self, row: int) -> AccountRow | None:
        line = self.row_at(row)
        return line.account if line is not None else None

    def row_of(self, account_id: str) -> int:
        for i, line in enumerate(self._rows):
            if line.account is not None and line.account.account_id == account_id:
                return i
        return -1

    def reload(self) -> None:
        self._accounts = self._source.accounts(as_of=self._as_of)
        self.sync(build_lines(self._accounts))

    @Slot(object)
    def set_as_of(self, as_of: int | None) -> None:
        self._as_of = as_of
        self.reload()

    @Slot(list)
    def on_events_appended(self, events: Sequence[StoredEvent]) -> None:
        # the past does not change: only the present view takes new events
        if self._as_of is None:
            self.reload()

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        line = self.row_at(index.row()) if index.isValid() else None
        if line is None:
            return Qt.ItemFlag.NoItemFlags
        if line.kind is LineKind.ACCOUNT:
            return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return Qt.ItemFlag.ItemIsEnabled

    def data(
        self,
        index: ModelIndex,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        line = self.row_at(index.row()) if index.isValid() else None
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
            if column == COL_BALANCE and line.balance < 0:
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
            return money_text(line.balance, line.currency)
        return None

    def _tooltip(self, line: AccountsLine) -> str | None:
        account = line.account
        if account is None:
            return None
        notes = ["closed"] if account.closed else []
        if account.account_type is AccountType.ASSET and not account.overdraft_allowed:
            notes.append("no overdraft")
        suffix = f" — {', '.join(notes)}" if notes else ""
        return f"{account.name} ({TYPE_LABEL[account.account_type]}, {account.currency}){suffix}"
