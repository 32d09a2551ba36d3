"""The rows of the accounts view, built from the accounts as of a cursor: type, then
currency, then the accounts under their parents; a "Net worth" row per currency at the end
(see :mod:`app.models.accounts`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from enum import Enum

from app.models.keyed_tree import TreeRow
from app.models.sources import AccountRow
from domain.model.events import AccountType
from domain.projections.rows import PATH_SEPARATOR

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
