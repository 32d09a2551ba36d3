"""Edit ▸ Undo and Redo in the real window: every kind of command undone by Ctrl+Z and redone
by Ctrl+Shift+Z, the items' text, the stacks after reopening the book, and refusals."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from app_helpers import DAY, open_account
from PySide6.QtCore import QCoreApplication, QEvent, QModelIndex, Qt

from app.composition import Book
from app.desktop.book_session import BookSession
from app.desktop.launcher import Access, Launcher
from app.models.accounts import COL_BALANCE, COL_NAME
from app.models.history import COL_SUMMARY
from app.window.main_window import MainWindow
from domain.model.commands import (
    CloseAccount,
    Command,
    CorrectEntry,
    Deposit,
    ImportStatement,
    PostSplitEntry,
    Reconcile,
    RenameAccount,
    SplitLine,
    StatementLine,
    Transfer,
    VoidEntry,
    Withdraw,
)
from domain.model.events import AccountType

Window = Callable[[Path], MainWindow]
DISPLAY = Qt.ItemDataRole.DisplayRole
CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier

CHECKING = open_account("Checking", AccountType.ASSET, "100.00")
SALARY = open_account("Salary", AccountType.INCOME)
FOOD = open_account("Groceries", AccountType.EXPENSE)
SAVINGS = open_account("Savings", AccountType.ASSET)
BASE: list[Command] = [CHECKING, SALARY, FOOD, SAVINGS]


def session_of(window: MainWindow) -> BookSession:
    session = window.findChild(BookSession)
    assert session is not None
    return session


def shown(window: MainWindow) -> list[tuple[str, str]]:
    """Every row's name and balance, as the accounts tree shows them (depth first)."""
    model = window.accounts_view.model()
    rows: list[tuple[str, str]] = []

    def walk(parent: QModelIndex) -> None:
        for r in range(model.rowCount(parent)):
            name = model.data(model.index(r, COL_NAME, parent), DISPLAY)
            balance = model.data(model.index(r, COL_BALANCE, parent), DISPLAY)
            rows.append((str(name).strip(), str(balance)))
            walk(model.index(r, 0, parent))

    walk(QModelIndex())
    return rows


def books_state(window: MainWindow) -> tuple[list[tuple[str, str]], set[str]]:
    """The open accounts' rows and Checking's reconciled entries: an undone opening leaves
    its account closed (nothing is deleted), shown as closed at zero."""
    reconciled = session_of(window).book.service.reconciliation(CHECKING.account_id).entries
    rows = [(n, b) for n, b in shown(window) if not (n.endswith("(closed)") and b == "€0.00")]
    return rows, set(reconciled)


def press(window: MainWindow, qtbot: Any, modifiers: Qt.KeyboardModifier) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window.accounts_view, Qt.Key.Key_Z, modifiers)


def withdraw(amount: str, entry_id: str = "") -> Withdraw:
    more = {"entry_id": entry_id} if entry_id else {}
    return Withdraw(
        account_id=CHECKING.account_id,
        expense_account_id=FOOD.account_id,
        amount=Decimal(amount),
        booking_date=DAY,
        **more,
    )  # type: ignore[arg-type]


Build = Callable[[dict[str, str]], Command]


def every_kind() -> list[tuple[Build | Command, str]]:
    """One command of each kind, each building on the ones before, and how Undo names it; a
    command on an entry is built from the entry ids as they are then (a redo posts again
    under a new id)."""
    spent = withdraw("45.00", "w1")
    fixed = withdraw("54.00", "w2")
    row = StatementLine(line=1, booking_date=DAY, amount=Decimal("-7.50"), payee="Cafe",
                        category_id=FOOD.account_id)  # fmt: skip
    return [
        (Deposit(account_id=CHECKING.account_id, income_account_id=SALARY.account_id,
                 amount=Decimal("1000"), booking_date=DAY, entry_id="d1"),
         "Undo Deposit €1,000.00 into Checking from Salary"),
        (spent, "Undo Withdrawal €45.00 from Checking to Groceries"),
        (Transfer(from_account_id=CHECKING.account_id, to_account_id=SAVINGS.account_id,
                  amount=Decimal("200"), booking_date=DAY),
         "Undo Transfer €200.00 from Checking to Savings"),
        (PostSplitEntry(booking_date=DAY, lines=(
            SplitLine(account_id=CHECKING.account_id, amount=Decimal("-30")),
            SplitLine(account_id=FOOD.account_id, amount=Decimal("20")),
            SplitLine(account_id=SAVINGS.account_id, amount=Decimal("10")))),
         "Undo Split €30.00 over Checking, Groceries, Savings"),
        (lambda ids: CorrectEntry(entry_id=ids["w1"], replacement=fixed),
         "Undo Correction: Withdrawal €54.00 from Checking to Groceries"),
        (lambda ids: VoidEntry(entry_id=ids["w2"], voided_on=DAY),
         "Undo Void of entry €54.00 over"),
        (open_account("Car", AccountType.ASSET, "2500"), "Undo Open Account Car"),
        (RenameAccount(account_id=SAVINGS.account_id, new_name="Rainy Day"),
         "Undo Rename Savings to Rainy Day"),
        (ImportStatement(account_id=CHECKING.account_id, file_name="jan.csv", sha256="ab",
                         format="csv", rows=(row,)),
         "Undo Import of jan.csv into Checking"),
        (lambda ids: Reconcile(account_id=CHECKING.account_id, statement_date=DAY,
                               balance=Decimal("1000"), entry_ids=(ids["d1"],)),
         "Undo Reconcile Checking (statement of 2024-03-01)"),
    ]  # fmt: skip


def test_every_kind_of_command_is_undone_by_ctrl_z_and_redone_by_ctrl_shift_z(
    make_book: Callable[[list[Command]], Path], open_window: Window, qtbot: Any
) -> None:
    window = open_window(make_book(list(BASE)))
    controller = session_of(window).controller
    undo, redo = window.actions_.undo, window.actions_.redo
    ids = {"d1": "d1", "w1": "w1", "w2": "w2"}
    for make, words in every_kind():
        command = make if isinstance(make, Command) else make(ids)
        before = books_state(window)
        assert controller.execute(command), command
        after = books_state(window)
        assert undo.text().replace("&", "").startswith(words)
        assert undo.isEnabled() and not redo.isEnabled()
        press(window, qtbot, CTRL)
        assert books_state(window) == before, words
        assert redo.isEnabled()
        assert redo.text().replace("&", "").startswith("Redo")
        with qtbot.waitSignal(controller.events_appended) as redone:
            press(window, qtbot, CTRL | SHIFT)
        assert books_state(window) == after, words
        created = command.replacement if isinstance(command, CorrectEntry) else command
        key = getattr(created, "entry_id", "")
        if key in ids:  # an entry posted again under a new id: what later commands name
            (posted,) = [e for e in redone.args[0] if e.type == "EntryPosted"]
            ids[key] = posted.data["entry_id"]
    # the history shows the undo beside what it undid
    model = window.history_dock.table.model()
    rows = range(model.rowCount())
    summaries = [str(model.data(model.index(r, COL_SUMMARY), DISPLAY)) for r in rows]
    assert any(s.startswith("Undid: Withdrawal 45.00 EUR from Checking") for s in summaries)
    assert any(s.startswith("Redid: Withdrawal 45.00 EUR from Checking") for s in summaries)


def test_closing_an_account_is_undone_and_redone_through_the_menu(
    make_book: Callable[[list[Command]], Path], open_window: Window, qtbot: Any
) -> None:
    window = open_window(make_book([*BASE, CloseAccount(account_id=SAVINGS.account_id,
                                                         closed_on=DAY)]))  # fmt: skip
    service = session_of(window).book.service
    assert window.actions_.undo.text() == "&Undo Close Savings"
    window.actions_.undo.trigger()
    assert not service.account(SAVINGS.account_id).closed
    window.actions_.redo.trigger()
    assert service.account(SAVINGS.account_id).closed


def test_nothing_to_undo_reads_plain_undo_disabled(book_path: Path, open_window: Window) -> None:
    window = open_window(book_path)
    assert (window.actions_.undo.text(), window.actions_.undo.isEnabled()) == ("&Undo", False)
    assert (window.actions_.redo.text(), window.actions_.redo.isEnabled()) == ("&Redo", False)


def test_the_stacks_survive_closing_and_reopening_the_book(
    make_book: Callable[[list[Command]], Path], launcher: Launcher, qtbot: Any
) -> None:
    path = make_book([*BASE, withdraw("45.00"), withdraw("12.00")])
    window = launcher.show_book(path)
    window.actions_.undo.trigger()
    assert window.actions_.undo.text().startswith("&Undo Withdrawal €45.00")
    assert window.actions_.redo.text().startswith("&Redo Withdrawal €12.00")
    QCoreApplication.processEvents()  # the history dock's deferred selection, while it lives
    window.close()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    qtbot.waitUntil(lambda: not launcher.windows)
    again = launcher.show_book(path)
    assert again.actions_.undo.text().startswith("&Undo Withdrawal €45.00")
    assert again.actions_.redo.text().startswith("&Redo Withdrawal €12.00")
    again.actions_.redo.trigger()
    assert again.actions_.undo.text().startswith("&Undo Withdrawal €12.00")


def test_a_change_by_another_program_since_is_refused_with_the_reason(
    make_book: Callable[[list[Command]], Path], open_window: Window, qtbot: Any
) -> None:
    path = make_book([*BASE, withdraw("45.00")])
    window = open_window(path)
    with Book.open(path, app_version="9.9 (cli)") as other:  # as another program would
        other.service.execute(RenameAccount(account_id=CHECKING.account_id, new_name="Giro"))
    qtbot.waitUntil(lambda: "Giro" in [name for name, _ in shown(window)], timeout=5000)
    undo = window.actions_.undo
    assert undo.text().startswith("&Undo Withdrawal €45.00")
    assert "a later change, event" in undo.toolTip() and "touched Giro" in undo.toolTip()
    assert undo.statusTip().startswith("Not possible: a later change, event")
    before = books_state(window)
    with qtbot.waitSignal(session_of(window).controller.command_rejected) as rejected:
        undo.trigger()
    assert "cannot undo Withdrawal" in rejected.args[1]
    assert "Not recorded: cannot undo Withdrawal" in window.statusBar().currentMessage()
    assert books_state(window) == before


def test_undo_is_disabled_in_the_past(
    make_book: Callable[[list[Command]], Path], open_window: Window
) -> None:
    window = open_window(make_book([*BASE, withdraw("45.00")]))
    assert window.actions_.undo.isEnabled()
    session_of(window).travel.move_to(2)
    assert (window.actions_.undo.text(), window.actions_.undo.isEnabled()) == ("&Undo", False)
    session_of(window).travel.return_to_present()
    assert window.actions_.undo.isEnabled()


def test_the_edit_menu_sits_between_file_and_entry(book_path: Path, open_window: Window) -> None:
    window = open_window(book_path)
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles[:3] == ["&File", "&Edit", "E&ntry"]


def test_undo_is_disabled_on_a_read_only_book(
    make_book: Callable[[list[Command]], Path], launcher: Launcher
) -> None:
    path = make_book([*BASE, withdraw("45.00")])
    window = launcher.show_book(path, Access(read_only=True, note="read-only"))
    assert (window.actions_.undo.text(), window.actions_.undo.isEnabled()) == ("&Undo", False)
    assert not window.actions_.redo.isEnabled()


def test_a_big_changes_undo_and_redo_run_in_a_worker(
    make_book: Callable[[list[Command]], Path],
    open_window: Window,
    qtbot: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An undo that voids thousands of entries (a big import's) must not hold the GUI
    thread: past BIG_CHANGE events it is recorded by a worker on its own connection, and
    the views take its events as they take a big import's."""
    window = open_window(make_book([*BASE, withdraw("45.00")]))
    assert window.undo_menu is not None and window.undo_menu._long is not None
    window.undo_menu._long.big = 0  # every change counts as big here
    ran_here: list[Command] = []
    controller = session_of(window).controller
    monkeypatch.setattr(controller, "execute", lambda command: ran_here.append(command))
    before = shown(window)
    window.actions_.undo.trigger()
    qtbot.waitUntil(lambda: window.undo_menu._long.task is None, timeout=10000)
    assert ran_here == []  # nothing went through the GUI thread's service
    assert ("Groceries", "€0.00") in shown(window) and shown(window) != before
    assert window.actions_.redo.text().startswith("&Redo Withdrawal €45.00")
    window.actions_.redo.trigger()
    qtbot.waitUntil(lambda: window.undo_menu._long.task is None, timeout=10000)
    assert shown(window) == before and ran_here == []
