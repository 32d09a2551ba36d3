"""AccountsModel: a tree of types, currencies and accounts under their parents, subtotals,
balances as of the cursor, hidden closed accounts, fine-grained updates."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from app_helpers import DAY, open_account, shown_balance, shown_names
from PySide6.QtCore import QPersistentModelIndex, Qt

from app.composition import Book
from app.controller import CommandController
from app.models.accounts import COL_BALANCE, AccountsModel, LineKind
from domain.model.commands import CloseAccount, Command, MoveAccount, RenameAccount, Withdraw
from domain.model.events import AccountType

X, A = AccountType.EXPENSE, AccountType.ASSET
DISPLAY = Qt.ItemDataRole.DisplayRole


def ids(book: Book) -> dict[str, str]:
    return {a.name: a.account_id for a in book.read_models.accounts()}


def run(book: Book, model: AccountsModel, *commands: Command) -> CommandController:
    controller = CommandController(book.service)
    controller.events_appended.connect(model.on_events_appended)
    for command in commands:
        controller.execute(command)
    return controller


def car_book(book: Book, model: AccountsModel) -> dict[str, str]:
    """Car ▸ Fuel ▸ Diesel under Expenses, with 10.00 on Car, 20.00 on Fuel, 40.00 Diesel."""
    car = open_account("Car", X)
    fuel = open_account("Fuel", X, parent=car.account_id)
    diesel = open_account("Diesel", X, parent=fuel.account_id)
    run(book, model, car, fuel, diesel)
    checking = ids(book)["Checking"]
    for account, amount in ((car, "10"), (fuel, "20"), (diesel, "40")):
        run(book, model, Withdraw(account_id=checking, expense_account_id=account.account_id,
                                  amount=Decimal(amount), booking_date=DAY))  # fmt: skip
    return ids(book)


def test_passes_the_model_tester(book: Book, qtmodeltester: Any) -> None:
    model = AccountsModel(book.read_models)
    car_book(book, model)
    qtmodeltester.check(model)


def test_the_model_tester_follows_inserts_moves_hiding_and_time_travel(
    book: Book, qtmodeltester: Any
) -> None:
    # the tester stays attached: it checks every signal of the changes that follow
    model = AccountsModel(book.read_models)
    qtmodeltester.check(model)
    found = car_book(book, model)
    run(book, model, MoveAccount(account_id=found["Diesel"], new_parent_id=found["Groceries"]))
    run(book, model, MoveAccount(account_id=found["Car"], new_parent_id=found["Diesel"]))
    run(book, model, open_account("Wallet", A, "3.00", currency="USD"))
    run(book, model, RenameAccount(account_id=found["Checking"], new_name="Zebra"))
    spare = open_account("Spare", X, parent=found["Car"])
    run(book, model, spare, CloseAccount(account_id=spare.account_id, closed_on=DAY))
    model.set_show_closed(False)
    assert "Spare (closed)" not in [name.strip() for name in shown_names(model)]
    for position in (1, 5, 12, 3, None, 2, None):
        model.set_as_of(position)
    model.set_show_closed(True)
    names = shown_names(model)
    at = names.index("  Groceries")  # Expenses ▸ Groceries ▸ Diesel ▸ Car ▸ Fuel
    assert names[at : at + 5] == [
        "  Groceries", "    Diesel", "      Car", "        Fuel", "        Spare (closed)"
    ]  # fmt: skip


def test_groups_accounts_by_type_with_subtotals_and_net_worth(book: Book) -> None:
    model = AccountsModel(book.read_models)
    assert shown_names(model) == [
        "Assets", "  Checking", "  Savings", "Equity", "  Opening Balances", "Income",
        "  Salary", "Expenses", "  Groceries", "Net worth",
    ]  # fmt: skip
    assert shown_balance(model, "Opening Balances") == "€150.00"  # 100.00 + 50.00
    assert shown_balance(model, "Checking") == "€1,054.50"
    assert shown_balance(model, "Assets") == "€1,104.50"  # 1,054.50 + 50.00
    assert shown_balance(model, "Net worth") == "€1,104.50"
    first = model.value_at(model.index(0, 0))
    assert first is not None and first.kind is LineKind.GROUP


def test_a_type_is_one_group_with_a_row_per_currency_inside(book: Book) -> None:
    # before: "Assets" and "Equity" were repeated once per currency
    model = AccountsModel(book.read_models)
    run(book, model, open_account("Wallet", A, "7.00", currency="USD"))
    assert shown_names(model) == [
        "Assets", "  EUR", "    Checking", "    Savings", "  USD", "    Wallet",
        "Equity", "  EUR", "    Opening Balances", "  USD", "    Opening Balances - USD",
        "Income", "  Salary", "Expenses", "  Groceries", "Net worth", "Net worth",
    ]  # fmt: skip
    assert shown_balance(model, "Assets") == ""  # per currency below it
    assert shown_balance(model, "EUR") == "€1,104.50"
    assert shown_balance(model, "USD") == "$7.00"


def test_a_parent_shows_its_own_balance_plus_its_childrens(book: Book) -> None:
    model = AccountsModel(book.read_models)
    car_book(book, model)
    names = shown_names(model)
    at = names.index("  Car")
    assert names[at : at + 3] == ["  Car", "    Fuel", "      Diesel"]
    assert shown_balance(model, "Car") == "€70.00"  # 10.00 + 20.00 + 40.00
    assert shown_balance(model, "Fuel") == "€60.00"
    assert shown_balance(model, "Diesel") == "€40.00"
    assert shown_balance(model, "Expenses") == "€115.50"  # own balances, nothing twice
    car = model.index_of_account(ids(book)["Car"])
    assert "Its own balance €10.00" in model.data(car, Qt.ItemDataRole.ToolTipRole)


def test_a_move_removes_and_inserts_the_row_without_a_reset(book: Book, qtbot: Any) -> None:
    model = AccountsModel(book.read_models)
    found = car_book(book, model)
    with (
        qtbot.assertNotEmitted(model.modelReset),
        qtbot.waitSignal(model.rowsInserted) as inserted,
    ):
        run(book, model, MoveAccount(account_id=found["Fuel"], new_parent_id=found["Groceries"]))
    parent = model.value_at(inserted.args[0])
    assert parent is not None and parent.label == "Groceries"
    assert shown_balance(model, "Car") == "€10.00"
    assert shown_balance(model, "Groceries") == "€105.50"  # 45.50 + Fuel's 60.00
    moved = model.index_of_account(found["Diesel"])
    assert model.value_at(moved.parent()).label == "Fuel"  # type: ignore[union-attr]


def test_a_child_of_another_currency_starts_its_own_tree_named_by_its_path(book: Book) -> None:
    model = AccountsModel(book.read_models)
    travel = open_account("Travel", X)
    run(book, model, travel, open_account("Abroad", X, currency="USD", parent=travel.account_id))
    assert "    Travel ▸ Abroad" in shown_names(model)


def test_closed_accounts_are_shown_or_hidden(book: Book, qtbot: Any) -> None:
    model = AccountsModel(book.read_models)
    car = open_account("Car", X)
    fuel = open_account("Fuel", X, parent=car.account_id)
    spare = open_account("Spare", X)
    run(book, model, car, fuel, spare, CloseAccount(account_id=car.account_id, closed_on=DAY),
        CloseAccount(account_id=spare.account_id, closed_on=DAY))  # fmt: skip
    assert "  Spare (closed)" in shown_names(model)
    with qtbot.assertNotEmitted(model.modelReset):
        model.set_show_closed(False)
    names = shown_names(model)
    assert "  Spare (closed)" not in names
    # a closed account with an open one below it stays, so its child has a place
    assert names[names.index("  Car (closed)") + 1] == "    Fuel"
    assert len(model.accounts()) == len(book.read_models.accounts())  # dialogs see them all
    model.set_show_closed(True)
    assert "  Spare (closed)" in shown_names(model)


def test_only_account_rows_are_selectable(book: Book) -> None:
    model = AccountsModel(book.read_models)
    assets = model.index(0, 0)
    assert not model.flags(assets) & Qt.ItemFlag.ItemIsSelectable
    assert model.flags(model.index(0, 0, assets)) & Qt.ItemFlag.ItemIsSelectable


def test_negative_balances_are_red_and_right_aligned(book: Book) -> None:
    model = AccountsModel(book.read_models)
    run(book, model, open_account("Card", AccountType.ASSET, "-20.00"))
    index = model.index_of_account(ids(book)["Card"]).siblingAtColumn(COL_BALANCE)
    assert model.data(index, DISPLAY) == "-€20.00"
    assert model.data(index, Qt.ItemDataRole.ForegroundRole).color().name() == "#c0392b"
    assert model.data(index, Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight


def test_a_new_account_is_inserted_without_a_reset(book: Book, qtbot: Any) -> None:
    model = AccountsModel(book.read_models)
    with qtbot.assertNotEmitted(model.modelReset), qtbot.waitSignal(model.rowsInserted) as inserted:
        run(book, model, open_account("Bonus", AccountType.INCOME))
    index = model.index(inserted.args[1], 0, inserted.args[0])
    assert model.data(index, DISPLAY) == "Bonus"
    assert shown_balance(model, "Bonus") == "€0.00"


def test_a_rename_moves_the_row_and_keeps_persistent_indexes(book: Book, qtbot: Any) -> None:
    model = AccountsModel(book.read_models)
    checking = ids(book)["Checking"]
    kept = QPersistentModelIndex(model.index_of_account(checking))
    assert kept.row() == 0
    with qtbot.assertNotEmitted(model.modelReset):
        run(book, model, RenameAccount(account_id=checking, new_name="Wallet"))
    assert shown_names(model)[1:3] == ["  Savings", "  Wallet"]
    assert kept.row() == 1 and model.data(kept, DISPLAY) == "Wallet"


def test_as_of_shows_the_balances_of_that_event(book: Book, qtbot: Any) -> None:
    model = AccountsModel(book.read_models)
    with qtbot.assertNotEmitted(model.modelReset):
        model.set_as_of(8)  # before the grocery withdrawal
    assert shown_balance(model, "Checking") == "€1,100.00"
    model.set_as_of(1)  # only Checking is open, before its opening balance
    assert shown_names(model) == ["Assets", "  Checking", "Net worth"]
    assert shown_balance(model, "Checking") == "€0.00"
    model.set_as_of(None)
    assert shown_balance(model, "Checking") == "€1,054.50"


def test_in_the_past_new_events_do_not_change_what_is_shown(book: Book) -> None:
    model = AccountsModel(book.read_models)
    model.set_as_of(5)
    run(book, model, open_account("Later", AccountType.EXPENSE))
    assert "Later" not in [n.strip() for n in shown_names(model)]
