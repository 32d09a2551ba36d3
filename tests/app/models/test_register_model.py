"""RegisterModel: an account's entries with running balance, voids struck out."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from app_helpers import DAY
from PySide6.QtCore import Qt

from app.composition import Book
from app.controller import CommandController
from app.models import paged
from app.models import register as register_module
from app.models.register import COL_AMOUNT, COL_BALANCE, COL_PAYEE, RegisterModel
from app.models.sources import AccountRow
from domain.model.commands import Deposit, VoidEntry

DISPLAY = Qt.ItemDataRole.DisplayRole


def account(book: Book, name: str) -> AccountRow:
    return next(a for a in book.read_models.accounts() if a.name == name)


def column(model: RegisterModel, col: int) -> list[str]:
    return [str(model.data(model.index(r, col), DISPLAY)) for r in range(model.rowCount())]


def test_passes_the_model_tester(generated_book: Path, qtmodeltester: Any) -> None:
    with Book.open(generated_book) as book:
        model = RegisterModel(book.read_models)
        model.set_account(account(book, "Checking"))
        assert model.rowCount() > 20
        qtmodeltester.check(model)


def test_shows_entries_with_running_balance(book: Book) -> None:
    model = RegisterModel(book.read_models)
    model.set_account(account(book, "Checking"))
    assert column(model, COL_PAYEE) == ["Opening balance", "Employer", "Market"]
    assert column(model, COL_AMOUNT) == ["€100.00", "€1,000.00", "-€45.50"]
    assert column(model, COL_BALANCE) == ["€100.00", "€1,100.00", "€1,054.50"]


def test_a_voided_entry_is_struck_out_with_a_tooltip_naming_the_void(book: Book) -> None:
    model = RegisterModel(book.read_models)
    controller = CommandController(book.service)
    controller.events_appended.connect(model.on_events_appended)
    model.set_account(account(book, "Checking"))
    entry = model.row_at(2)  # Market
    assert entry is not None
    controller.execute(VoidEntry(entry_id=entry.entry_id, voided_on=DAY, reason="twice"))
    void_position = book.store.head()[0]
    assert model.rowCount() == 4
    struck = model.data(model.index(2, COL_PAYEE), Qt.ItemDataRole.FontRole)
    assert struck.strikeOut()
    assert model.data(model.index(2, COL_PAYEE), Qt.ItemDataRole.ToolTipRole) == (
        f"Voided by event #{void_position} (double-click to show it in the history)"
    )
    assert column(model, COL_BALANCE)[-1] == "€1,100.00"
    model.set_as_of(void_position - 1)  # before the void: not struck out
    assert model.data(model.index(2, COL_PAYEE), Qt.ItemDataRole.FontRole) is None


def test_new_entries_are_inserted_without_a_reset(book: Book, qtbot: Any) -> None:
    model = RegisterModel(book.read_models)
    controller = CommandController(book.service)
    controller.events_appended.connect(model.on_events_appended)
    checking, salary = account(book, "Checking"), account(book, "Salary")
    model.set_account(checking)
    with qtbot.assertNotEmitted(model.modelReset), qtbot.waitSignal(model.rowsInserted):
        controller.execute(Deposit(account_id=checking.account_id,
                                   income_account_id=salary.account_id,
                                   amount=Decimal("1.00"), booking_date=DAY))  # fmt: skip
    assert model.rowCount() == 4


def test_as_of_hides_later_entries(book: Book) -> None:
    model = RegisterModel(book.read_models)
    model.set_account(account(book, "Checking"))
    model.set_as_of(8)  # the deposit, not yet the withdrawal
    assert column(model, COL_PAYEE) == ["Opening balance", "Employer"]
    model.set_as_of(None)
    assert model.rowCount() == 3


def test_no_account_no_rows(book: Book) -> None:
    model = RegisterModel(book.read_models)
    assert model.rowCount() == 0
    model.set_account(account(book, "Checking"))
    model.set_account(None)
    assert model.rowCount() == 0


def test_running_balances_chain_across_pages(
    generated_book: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(paged, "PAGE_SIZE", 7)
    with Book.open(generated_book) as book:
        model = RegisterModel(book.read_models)
        checking = account(book, "Checking")
        model.set_account(checking)
        rows = [model.row_at(r) for r in range(model.rowCount())]
        assert all(row is not None for row in rows)
        balances = [row.running_balance for row in rows if row is not None]
        amounts = [row.amount for row in rows if row is not None]
        assert all(b == a + c for a, b, c in zip(balances, balances[1:], amounts[1:], strict=False))
        assert balances[-1] == checking.balance


def test_headers_name_the_columns_and_align_amounts_right(book: Book) -> None:
    model = RegisterModel(book.read_models)
    horizontal, align = Qt.Orientation.Horizontal, Qt.ItemDataRole.TextAlignmentRole
    assert model.columnCount() == 6
    assert model.headerData(COL_PAYEE, horizontal, DISPLAY) == "Payee"
    assert model.headerData(COL_BALANCE, horizontal, align) & Qt.AlignmentFlag.AlignRight
    assert model.headerData(COL_PAYEE, horizontal, align) & Qt.AlignmentFlag.AlignLeft
    assert model.headerData(6, horizontal, DISPLAY) is None
    assert model.headerData(0, Qt.Orientation.Vertical, DISPLAY) is None


def test_entries_dated_after_today_are_greyed_italic_and_say_so(book: Book) -> None:
    model = RegisterModel(book.read_models, today=lambda: DAY - dt.timedelta(days=1))
    model.set_account(account(book, "Checking"))
    ahead = model.index(1, COL_PAYEE)
    assert model.data(ahead, Qt.ItemDataRole.FontRole).italic()
    assert model.data(ahead, Qt.ItemDataRole.ForegroundRole) is not None
    tip = model.data(ahead, Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("Dated in the future (")
    today = RegisterModel(book.read_models, today=lambda: DAY)
    today.set_account(account(book, "Checking"))
    same_day = today.index(1, COL_PAYEE)
    assert today.data(same_day, Qt.ItemDataRole.FontRole) is None
    assert today.data(same_day, Qt.ItemDataRole.ForegroundRole) is None
    assert not today.data(same_day, Qt.ItemDataRole.ToolTipRole).startswith("Dated")


def test_voided_entries_and_their_voids_can_be_left_out(
    generated_book: Path, qtmodeltester: Any
) -> None:
    with Book.open(generated_book) as book:
        model = RegisterModel(book.read_models)
        model.set_account(account(book, "Checking"))
        everything = [model.row_at(r) for r in range(model.rowCount())]
        kept = [r for r in everything if r and not (r.is_void or r.struck_out)]
        assert 0 < len(kept) < len(everything)  # the generated book voids a few
        paged.PAGE_SIZE, size = 7, paged.PAGE_SIZE  # pages that end among hidden rows
        try:
            model.set_hide_voided(True)
            assert model.rowCount() == len(kept)
            assert [model.row_at(r) for r in range(model.rowCount())] == kept
            # a void cancels its entry: the running balances are those of the whole register
            assert model.row_at(model.rowCount() - 1) == kept[-1]
            qtmodeltester.check(model)
            model.set_hide_voided(False)
            assert model.rowCount() == len(everything)
        finally:
            paged.PAGE_SIZE = size


def test_hiding_follows_a_void_recorded_meanwhile(book: Book) -> None:
    model = RegisterModel(book.read_models)
    controller = CommandController(book.service)
    controller.events_appended.connect(model.on_events_appended)
    model.set_account(account(book, "Checking"))
    model.set_hide_voided(True)
    assert column(model, COL_PAYEE) == ["Opening balance", "Employer", "Market"]
    employer = model.row_at(1)
    assert employer is not None
    controller.execute(VoidEntry(entry_id=employer.entry_id, voided_on=DAY))
    assert column(model, COL_PAYEE) == ["Opening balance", "Market"]
    # the balance after each row shown, as the whole register has it: the void (recorded
    # after Market, on the same day) is what brings it to 54.50
    assert column(model, COL_BALANCE) == ["€100.00", "€1,054.50"]


class CountingReads:
    """The book's reads, counting the walks for hidden rows."""

    def __init__(self, book: Book) -> None:
        self._reads = book.read_models
        self.walks = 0

    def register(self, account_id: str, as_of: int | None = None, offset: int = 0,
                 limit: int = 100) -> list[Any]:  # fmt: skip
        return self._reads.register(account_id, as_of, offset, limit)

    def register_count(self, account_id: str, as_of: int | None = None) -> int:
        return self._reads.register_count(account_id, as_of)

    def register_hidden(self, account_id: str, as_of: int | None = None) -> list[int]:
        self.walks += 1
        return self._reads.register_hidden(account_id, as_of)


def test_hidden_rows_are_looked_for_again_only_when_the_register_changed(book: Book) -> None:
    reads = CountingReads(book)
    model = RegisterModel(reads)
    controller = CommandController(book.service)
    controller.events_appended.connect(model.on_events_appended)
    model.set_account(account(book, "Checking"))
    model.set_hide_voided(True)
    assert reads.walks == 1
    savings, salary = account(book, "Savings"), account(book, "Salary")
    controller.execute(Deposit(account_id=savings.account_id, income_account_id=salary.account_id,
                               amount=Decimal("5"), booking_date=DAY))  # fmt: skip
    assert reads.walks == 1  # another account's entry: Checking's rows are as they were
    entry = model.row_at(2)
    assert entry is not None
    controller.execute(VoidEntry(entry_id=entry.entry_id, voided_on=DAY))
    assert reads.walks == 2 and model.rowCount() == 2


def test_a_long_registers_voids_are_found_off_the_gui_thread(
    generated_book: Path, qtmodeltester: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past SYNC_HIDDEN_ROWS the model asks its reader and shows every row until the answer;
    an answer for a register it no longer shows is dropped."""
    monkeypatch.setattr(register_module, "SYNC_HIDDEN_ROWS", 0)
    with Book.open(generated_book) as book:
        asked: list[tuple[str, int | None, Any]] = []
        model = RegisterModel(book.read_models)
        model.set_hidden_reader(lambda *question: asked.append(question))
        checking = account(book, "Checking")
        model.set_account(checking)
        everything = model.rowCount()
        model.set_hide_voided(True)
        assert model.rowCount() == everything and len(asked) == 1  # nothing walked here
        account_id, as_of, done = asked[0]
        assert (account_id, as_of) == (checking.account_id, None)
        model.set_as_of(book.read_models.event_count() - 1)  # the cursor moved: asked again
        assert len(asked) == 2
        done(book.read_models.register_hidden(account_id))  # the first answer: stale
        assert model.rowCount() == book.read_models.register_count(account_id, as_of=asked[1][1])
        _id, later, answer = asked[1]
        answer(book.read_models.register_hidden(account_id, as_of=later))
        kept = [model.row_at(r) for r in range(model.rowCount())]
        assert kept and not any(r is not None and (r.is_void or r.struck_out) for r in kept)
        assert model.rowCount() < book.read_models.register_count(account_id, as_of=later)
        qtmodeltester.check(model)
