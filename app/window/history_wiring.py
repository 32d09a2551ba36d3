"""The history's search bar and a figure's lineage, wired into the main window (kept out of
``main_window`` so that stays small)."""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import QModelIndex
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractItemView, QWidget

from app.background.history_search import HistorySearcher
from app.formatting import money_text
from app.models.accounts import AccountsLine, AccountsModel, LineKind
from app.models.history import HistoryModel
from app.window.history_dock import HistoryDock
from app.window.history_filter_bar import HistoryFilterBar
from app.window.history_search_link import HistorySearchLink
from app.window.register_filter_bar import RegisterFilterBar, RegisterFilterLink
from app.window.register_view import RegisterPanel
from app.window.time_travel import TimeTravel
from app.window.window_parts import WindowParts
from domain.projections.lineage import lineage_filter


def wire_history(
    window: QWidget,
    parts: WindowParts,
    dock: HistoryDock,
    accounts_view: QAbstractItemView,
    register: RegisterPanel,
) -> HistorySearchLink | None:
    """The history's filter bar and the accounts' lineage action (None: no searcher), and
    the register's filter bar."""
    bar = RegisterFilterBar()
    register.set_filter_bar(bar)
    register_link = RegisterFilterLink(bar, parts.register, parts.path)
    closed = getattr(window, "closed", None)
    if closed is not None:
        closed.connect(register_link.stop)
    if parts.searcher is None:
        return None
    link = wire_history_search(
        window, dock, parts.history, parts.accounts, parts.travel, parts.searcher
    )
    separator = QAction(accounts_view)
    separator.setSeparator(True)
    accounts_view.addAction(separator)
    add_lineage_action(accounts_view, parts.accounts, link, parts.travel)
    return link


def wire_history_search(
    window: QWidget,
    dock: HistoryDock,
    model: HistoryModel,
    accounts: AccountsModel,
    travel: TimeTravel,
    searcher: HistorySearcher,
) -> HistorySearchLink:
    """The filter bar in the history dock, Ctrl+F to its search field."""

    def choices() -> list[tuple[str, str]]:
        rows = sorted(accounts.accounts(), key=lambda a: (a.name.casefold(), a.account_id))
        return [(a.account_id, a.name) for a in rows]

    currencies = Counter(a.currency for a in accounts.accounts())
    currency = currencies.most_common(1)[0][0] if currencies else "EUR"
    bar = HistoryFilterBar(choices, currency)
    # accounts opened or renamed: once a sync (not per changed row: a timeline step changes
    # every balance, and refilling the choice ~60 times a step took 100s of ms)
    accounts.synced.connect(bar.reload_accounts)
    return HistorySearchLink(dock, model, bar, searcher, travel, window)


def figure_accounts(model: AccountsModel, index: QModelIndex) -> list[str]:
    """The accounts whose balances make up the figure of the row at ``index``: the row's
    own account and every account below it."""
    found: list[str] = []
    line = model.value_at(index)
    if line is not None and line.account is not None:
        found.append(line.account.account_id)
    for row in range(model.rowCount(index)):
        found += figure_accounts(model, model.index(row, 0, index))
    return found


def figure_text(line: AccountsLine) -> str:
    """What a figure is, for the filter bar: "Checking's balance €1,234.56"."""
    assert line.balance is not None
    amount = money_text(line.balance, line.currency)
    if line.kind is LineKind.ACCOUNT:
        return f"{line.label}'s balance {amount}"
    return f"the {line.label} total {amount}"


def add_lineage_action(
    view: QAbstractItemView, model: AccountsModel, link: HistorySearchLink, travel: TimeTravel
) -> QAction:
    """Right-click on a balance or subtotal: "Show the Events Behind This Figure"."""
    action = QAction("Show the E&vents Behind This Figure", view)
    action.setObjectName("showLineage")
    action.setToolTip("The history filtered to the events that make up this figure")
    view.addAction(action)

    def show() -> None:
        index = view.currentIndex().siblingAtColumn(0)
        line = model.value_at(index)
        # a net worth adds assets and takes away liabilities: no one sum of events
        if line is None or line.balance is None or line.kind is LineKind.NET_WORTH:
            return
        ids = figure_accounts(model, index)
        if not ids:
            return
        keep = lineage_filter(ids, travel.cursor)
        currency = line.currency
        link.show_lineage(keep, frozenset(ids), figure_text(line),
                          lambda minor: money_text(minor, currency))  # fmt: skip

    action.triggered.connect(show)
    return action
