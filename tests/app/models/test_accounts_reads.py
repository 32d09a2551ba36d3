"""AccountsModel with a reader: timeline moves read the balances off the GUI thread, one read
at a time; the figures stay greyed until the latest cursor's read, stale reads are dropped."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app_helpers import shown_balance
from PySide6.QtCore import QPersistentModelIndex, Qt

from app.composition import Book
from app.models import style
from app.models.accounts import COL_BALANCE, AccountsModel
from app.models.sources import AccountRow
from domain.projections.fold import fold

Done = Callable[[list[AccountRow] | None], None]
FOREGROUND = Qt.ItemDataRole.ForegroundRole


class Reader:
    """Records each read asked for; the test answers them when it likes (as a worker would)."""

    def __init__(self, book: Book) -> None:
        self.book = book
        self.asked: list[tuple[int | None, Done]] = []

    def __call__(self, as_of: int | None, done: Done) -> None:
        self.asked.append((as_of, done))

    def answer(self, number: int, rows: list[AccountRow] | None = None) -> None:
        """Answer read ``number`` with the read model's accounts as of what it asked (or
        ``rows``)."""
        as_of, done = self.asked[number]
        done(self.book.read_models.accounts(as_of) if rows is None else rows)


def balances(model: AccountsModel) -> dict[str, int]:
    return {line.account.name: line.balance for _i, line in model.walk()
            if line.account is not None and line.balance is not None}  # fmt: skip


def folded(book: Book, as_of: int) -> dict[str, int]:
    """Each account's balance as of ``as_of`` by a plain fold of the events (no read model);
    the household has no parents, so a row's balance is its account's own."""
    books = fold(book.store.read_all(), as_of)
    return {a.name: a.balance for a in books.accounts()}


def test_a_move_greys_the_figures_until_its_read_comes(
    book: Book, qtmodeltester: Any, qtbot: Any
) -> None:
    reader = Reader(book)
    model = AccountsModel(book.read_models, reader=reader)
    qtmodeltester.check(model)  # stays attached: checks every signal that follows
    assert balances(model) == folded(book, book.store.head()[0])
    checking = QPersistentModelIndex(model.index_of_account(book.read_models.accounts()[0]
                                                            .account_id))  # fmt: skip
    assert model.data(checking.sibling(checking.row(), COL_BALANCE), FOREGROUND) is None
    with qtbot.assertNotEmitted(model.modelReset), qtbot.waitSignal(model.dataChanged):
        model.set_as_of(5)
    assert model.stale and [a for a, _ in reader.asked] == [5]
    cell = checking.sibling(checking.row(), COL_BALANCE)
    assert model.data(cell, FOREGROUND) == style.dimmed_brush()  # greyed: an older cursor's
    assert balances(model) == folded(book, book.store.head()[0])  # not read here
    with qtbot.assertNotEmitted(model.modelReset):
        reader.answer(0)
    assert not model.stale
    assert balances(model) == folded(book, 5)
    assert model.data(checking.sibling(checking.row(), COL_BALANCE), FOREGROUND) is None


def test_a_burst_of_moves_reads_only_the_first_and_the_last_cursor(book: Book) -> None:
    reader = Reader(book)
    model = AccountsModel(book.read_models, reader=reader)
    model.set_as_of(3)
    for as_of in (4, 5, 7):  # while the first read runs: only the last is read after it
        model.set_as_of(as_of)
    assert [a for a, _ in reader.asked] == [3]
    reader.answer(0)  # stale by now: dropped, and the latest cursor's read starts
    assert model.stale and [a for a, _ in reader.asked] == [3, 7]
    assert balances(model) == folded(book, book.store.head()[0])
    reader.answer(1)
    assert not model.stale and balances(model) == folded(book, 7)
    assert shown_balance(model, "Checking") == "€100.00"


def test_a_read_on_the_gui_thread_meanwhile_drops_the_workers_answer(book: Book) -> None:
    reader = Reader(book)
    model = AccountsModel(book.read_models, reader=reader)
    model.set_as_of(3)
    model.set_show_closed(False)  # read here, now, as of 3
    assert not model.stale and balances(model) == folded(book, 3)
    reader.answer(0, rows=book.read_models.accounts(None))  # whatever it says: too late
    assert balances(model) == folded(book, 3)
    assert len(reader.asked) == 1  # nothing more was asked


def test_a_failed_read_is_made_on_the_gui_thread(book: Book) -> None:
    reader = Reader(book)
    model = AccountsModel(book.read_models, reader=reader)
    model.set_as_of(4)
    reader.asked[0][1](None)  # the worker failed
    assert not model.stale and balances(model) == folded(book, 4)


def test_back_to_the_present_reads_the_head(book: Book) -> None:
    reader = Reader(book)
    model = AccountsModel(book.read_models, reader=reader)
    model.set_as_of(3)
    reader.answer(0)
    model.set_as_of(None)
    assert model.stale and reader.asked[1][0] is None
    reader.answer(1)
    assert balances(model) == folded(book, book.store.head()[0])
