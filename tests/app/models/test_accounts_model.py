"""AccountsModel: groups with subtotals, balances as of the cursor, fine-grained updates."""

from __future__ import annotations

from typing import Any

from app_helpers import open_account
from PySide6.QtCore import Qt

from app.composition import Book
from app.controller import CommandController
from app.models.accounts import COL_BALANCE, COL_NAME, AccountsModel, LineKind
from domain.model.commands import RenameAccount
from domain.model.events import AccountType

DISPLAY = Qt.ItemDataRole.DisplayRole


def names(model: AccountsModel) -> list[str]:
    return [
        str(model.data(model.index(r, COL_NAME), DISPLAY)).strip() for r in range(model.rowCount())
    ]


def balance_of(model: AccountsModel, name: str) -> str:
    for row in range(model.rowCount()):
        if str(model.data(model.index(row, COL_NAME), DISPLAY)).strip() == name:
            return str(model.data(model.index(row, COL_BALANCE), DISPLAY))
    raise KeyError(name)


def test_passes_the_model_tester(book: Book, qtmodeltester: Any) -> None:
    qtmodeltester.check(AccountsModel(book.read_models))


def test_groups_accounts_by_type_with_subtotals_and_net_worth(book: Book) -> None:
    model = AccountsModel(book.read_models)
    assert names(model) == [
        "Assets", "Checking", "Savings", "Equity", "Opening Balances", "Income", "Salary",
        "Expenses", "Groceries", "Net worth",
    ]  # fmt: skip
    assert balance_of(model, "Opening Balances") == "€150.00"  # 100.00 + 50.00
    assert balance_of(model, "Checking") == "€1,054.50"
    assert balance_of(model, "Assets") == "€1,104.50"  # 1,054.50 + 50.00
    assert balance_of(model, "Net worth") == "€1,104.50"
    assert model.row_at(0) is not None and model.row_at(0).kind is LineKind.GROUP  # type: ignore[union-attr]


def test_only_account_rows_are_selectable(book: Book) -> None:
    model = AccountsModel(book.read_models)
    assert not model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsSelectable
    assert model.flags(model.index(1, 0)) & Qt.ItemFlag.ItemIsSelectable


def test_negative_balances_are_red_and_right_aligned(book: Book) -> None:
    controller = CommandController(book.service)
    controller.execute(open_account("Card", AccountType.ASSET, "-20.00"))
    model = AccountsModel(book.read_models)
    row = next(r for r in range(model.rowCount()) if names(model)[r] == "Card")
    index = model.index(row, COL_BALANCE)
    assert model.data(index, DISPLAY) == "-€20.00"
    assert model.data(index, Qt.ItemDataRole.ForegroundRole).color().name() == "#c0392b"
    assert model.data(index, Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight


def test_a_new_account_is_inserted_without_a_reset(book: Book, qtbot: Any) -> None:
    model = AccountsModel(book.read_models)
    controller = CommandController(book.service)
    controller.events_appended.connect(model.on_events_appended)
    with qtbot.assertNotEmitted(model.modelReset), qtbot.waitSignal(model.rowsInserted) as inserted:
        controller.execute(open_account("Bonus", AccountType.INCOME))
    assert inserted.args[1] == inserted.args[2] == names(model).index("Bonus")
    assert balance_of(model, "Bonus") == "€0.00"


def test_a_rename_reorders_rows_and_keeps_persistent_indexes(book: Book, qtbot: Any) -> None:
    model = AccountsModel(book.read_models)
    controller = CommandController(book.service)
    controller.events_appended.connect(model.on_events_appended)
    checking = model.account_at(names(model).index("Checking"))
    assert checking is not None
    from PySide6.QtCore import QPersistentModelIndex

    kept = QPersistentModelIndex(model.index(names(model).index("Checking"), 0))
    with qtbot.assertNotEmitted(model.modelReset):
        controller.execute(RenameAccount(account_id=checking.account_id, new_name="Wallet"))
    assert names(model)[1:3] == ["Savings", "Wallet"]
    assert kept.row() == 2


def test_as_of_shows_the_balances_of_that_event(book: Book, qtbot: Any) -> None:
    model = AccountsModel(book.read_models)
    with qtbot.assertNotEmitted(model.modelReset):
        model.set_as_of(8)  # before the grocery withdrawal
    assert balance_of(model, "Checking") == "€1,100.00"
    model.set_as_of(1)  # only Checking is open, before its opening balance
    assert names(model) == ["Assets", "Checking", "Net worth"]
    assert balance_of(model, "Checking") == "€0.00"
    model.set_as_of(None)
    assert balance_of(model, "Checking") == "€1,054.50"


def test_in_the_past_new_events_do_not_change_what_is_shown(book: Book) -> None:
    model = AccountsModel(book.read_models)
    model.set_as_of(5)
    controller = CommandController(book.service)
    controller.events_appended.connect(model.on_events_appended)
    controller.execute(open_account("Later", AccountType.EXPENSE))
    assert "Later" not in names(model)
