"""The Diff window in the real main window: opened from the history's context menu and from
the timeline (its cursor and date as one point), every account's balance at the two points,
the lines of each summing to its difference, double-clicked to the history and timeline."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from app_helpers import DAY, household
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QToolButton

from app.background.diff_jobs import DiffAccount, DiffSource
from app.composition import Book
from app.desktop.book_session import BookSession
from app.formatting import money_text
from app.models import diff_rows as cols
from app.models.diff_rows import DiffAccountsModel, DiffLinesModel
from app.window.diff_window import DiffWindow
from app.window.main_window import MainWindow
from domain.model.commands import Command, Deposit, OpenAccount, Withdraw
from domain.projections.diff import DiffColumns, DiffLine, Moment

Window = Callable[[Path], MainWindow]
APRIL_END = dt.date(2024, 4, 30)


def dated_book() -> list[Command]:
    """The household (Checking 100.00, +1,000.00 and -45.50 on 1 Mar 2024, events #8 and
    #9), +200.00 on 10 Apr (#10), -30.00 on 10 May (#11), and last +7.25 back-dated to
    15 Mar (#12): recorded after everything, counted before most of it."""
    commands = household()
    checking, salary, groceries = (c for c in commands[:3] if isinstance(c, OpenAccount))

    def deposit(amount: str, day: dt.date) -> Deposit:
        return Deposit(account_id=checking.account_id, income_account_id=salary.account_id,
                       amount=Decimal(amount), booking_date=day)  # fmt: skip

    return [
        *commands,
        deposit("200.00", dt.date(2024, 4, 10)),
        Withdraw(account_id=checking.account_id, expense_account_id=groceries.account_id,
                 amount=Decimal("30.00"), booking_date=dt.date(2024, 5, 10)),
        deposit("7.25", dt.date(2024, 3, 15)),
    ]  # fmt: skip


@pytest.fixture
def book_file(make_book: Callable[[list[Command]], Path]) -> Path:
    return make_book(dated_book())


@pytest.fixture
def window(book_file: Path, open_window: Window) -> MainWindow:
    return open_window(book_file)


def session_of(window: MainWindow) -> BookSession:
    session = window.findChild(BookSession)
    assert session is not None
    return session


def history_action(window: MainWindow, text: str) -> QAction:
    """The item of the history's context menu (its actions, shown on right-click)."""
    table = window.history_dock.table
    assert table.contextMenuPolicy() == Qt.ContextMenuPolicy.ActionsContextMenu
    return next(a for a in table.actions() if a.text() == text)


def wait(diff: DiffWindow, qtbot: Any) -> None:
    qtbot.waitUntil(lambda: diff.idle and diff.result is not None, timeout=10000)
    qtbot.waitUntil(lambda: diff.idle, timeout=10000)


def shown_accounts(diff: DiffWindow) -> dict[str, DiffAccount]:
    rows = (diff.accounts.row_at(r) for r in range(diff.accounts.rowCount()))
    return {row.path: row for row in rows if row is not None}


def lines_of(diff: DiffWindow, qtbot: Any, path: str) -> list[DiffLine]:
    account_id = shown_accounts(diff)[path].account_id
    diff.select_account(account_id)
    qtbot.waitUntil(lambda: diff.idle and diff.lines_result is not None
                    and diff.lines_result.account_id == account_id, timeout=10000)  # fmt: skip
    lines = [diff.lines.line_at(r) for r in range(diff.lines.rowCount())]
    return [line for line in lines if line is not None]


def plain_balances(book_file: Path, position: int) -> dict[str, int]:
    """Every account's balance as of ``position``, from the read models' own answer."""
    with Book.open(book_file, readonly=True) as book:
        return {a.name: a.balance for a in book.read_models.accounts(position)}


def test_diff_from_this_event_in_the_history_shows_balances_and_the_lines_between(
    window: MainWindow, book_file: Path, qtbot: Any, qtmodeltester: Any
) -> None:
    window.history_dock.select_position(8)  # the salary
    history_action(window, "Diff &From This Event").trigger()
    diff = window.diffs.window
    assert diff is not None and diff.isVisible()
    wait(diff, qtbot)
    head = session_of(window).travel.head
    assert diff.points() == (Moment(8), Moment(head))
    old, new = plain_balances(book_file, 8), plain_balances(book_file, head)
    shown = shown_accounts(diff)
    assert set(shown) == {n for n in new if new[n] != old.get(n, 0)}  # only those that changed
    for path, account in shown.items():
        assert (account.before, account.after) == (old.get(path, 0), new[path])
        lines = lines_of(diff, qtbot, path)
        assert sum(line.amount for line in lines) == account.difference
        assert all(8 < line.position <= head for line in lines)
        assert diff.lines.total == account.difference
        assert "its difference ✓" in diff.lines_label.text()
    checking = shown["Checking"]
    assert (checking.before, checking.after) == (110000, 123175)
    row = list(shown).index("Checking")
    cell = diff.accounts.index(row, cols.COL_DIFFERENCE)
    assert diff.accounts.data(cell) == "+" + money_text(123175 - 110000, "EUR")
    assert "€1,100.00 → €1,231.75" in str(diff.accounts.data(cell, Qt.ItemDataRole.ToolTipRole))
    qtmodeltester.check(diff.accounts)
    qtmodeltester.check(diff.lines)


def test_diff_to_this_event_and_compare_with_now(window: MainWindow, qtbot: Any) -> None:
    dock = window.history_dock
    dock.select_position(8)
    history_action(window, "Diff &From This Event").trigger()
    diff = window.diffs.window
    assert diff is not None
    wait(diff, qtbot)
    dock.select_position(10)
    history_action(window, "Diff &To This Event").trigger()
    wait(diff, qtbot)
    assert diff.points() == (Moment(8), Moment(10))
    assert [a.path for a in shown_accounts(diff).values()] == ["Checking", "Salary", "Groceries"]
    assert [(line.position, line.amount) for line in lines_of(diff, qtbot, "Checking")] == [
        (9, -4550), (10, 20000)]  # fmt: skip
    assert diff.lines.data(diff.lines.index(0, cols.COL_EVENT)).startswith("Withdraw")
    assert diff.lines.data(diff.lines.index(1, cols.COL_RUNNING)) == "+" + money_text(15450, "EUR")
    dock.select_position(9)
    history_action(window, "Compare With &Now…").trigger()
    wait(diff, qtbot)
    assert diff.points() == (Moment(9), Moment(session_of(window).travel.head))


def test_compare_from_the_timeline_takes_its_cursor_and_date(
    window: MainWindow, qtbot: Any
) -> None:
    travel = session_of(window).travel
    travel.move_to(11)  # before the back-dated deposit was recorded
    travel.set_day(APRIL_END)
    compare = window.diffs.compare
    assert compare.shortcut().toString() == "Ctrl+Shift+D"
    view = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    timeline_menu = next(a.menu() for a in view.actions() if a.text() == "&Timeline")  # type: ignore[attr-defined]
    assert compare in timeline_menu.actions()
    window.activateWindow()
    QTest.keyClick(window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)  # fmt: skip
    diff = window.diffs.window
    assert diff is not None
    wait(diff, qtbot)
    assert diff.points() == (Moment(11, APRIL_END), Moment(travel.head))
    checking = shown_accounts(diff)["Checking"]
    assert (checking.before, checking.after) == (125450, 123175)
    lines = lines_of(diff, qtbot, "Checking")  # May's withdrawal, and the back-dated one
    assert [(line.position, line.amount) for line in lines] == [(12, 725), (11, -3000)]
    assert sum(line.amount for line in lines) == checking.difference
    # the other point dated too: the same date, one event later, only the back-dated deposit
    diff.second.set_moment(Moment(12, APRIL_END))
    diff.refresh()
    wait(diff, qtbot)
    assert [(line.position, line.amount) for line in lines_of(diff, qtbot, "Checking")] == [
        (12, 725)]  # fmt: skip


def test_the_timelines_compare_button_takes_the_cursor_as_the_first_point(
    window: MainWindow, qtbot: Any
) -> None:
    travel = session_of(window).travel
    travel.move_to(9)
    button = next(b for b in window.timeline.findChildren(QToolButton)
                  if b.defaultAction() is window.diffs.compare)  # fmt: skip
    assert button.isVisible() and button.text() == "Compare…"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    diff = window.diffs.window
    assert diff is not None
    wait(diff, qtbot)
    assert diff.points() == (Moment(9), Moment(travel.head))
    # the user picks the other point by hand: an event number typed in the To field
    diff.second.position.setValue(10)
    qtbot.waitUntil(lambda: diff.points()[1] == Moment(10) and diff.idle
                    and diff.result is not None and diff.result.second == Moment(10),
                    timeout=10000)  # fmt: skip
    assert [(a.path, a.difference) for a in shown_accounts(diff).values()] == [
        ("Checking", 20000), ("Salary", 20000)]  # fmt: skip
    diff.swap.click()
    wait(diff, qtbot)
    assert diff.points() == (Moment(10), Moment(9))
    assert shown_accounts(diff)["Checking"].difference == -20000


def test_double_clicking_a_line_selects_its_event_and_moves_the_timeline(
    window: MainWindow, qtbot: Any
) -> None:
    window.history_dock.select_position(8)
    history_action(window, "Diff &From This Event").trigger()
    diff = window.diffs.window
    assert diff is not None
    wait(diff, qtbot)
    row = next(r for r, line in enumerate(lines_of(diff, qtbot, "Checking")) if line.position == 10)
    view = diff.lines_table
    rect = view.visualRect(diff.lines.index(row, cols.COL_EVENT))
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    QTest.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert session_of(window).travel.cursor == 10
    assert window.history_dock.selected_position() == 10


def test_the_figures_grey_while_a_newer_diff_is_computed(
    window: MainWindow, book_file: Path, qtbot: Any
) -> None:
    diff = window.diffs.open(Moment(0), Moment(9))
    wait(diff, qtbot)
    lines_of(diff, qtbot, "Checking")
    diff.refresh()
    grey = diff.accounts.data(diff.accounts.index(0, 1), Qt.ItemDataRole.ForegroundRole)
    assert grey is not None and grey == diff.lines.data(diff.lines.index(0, 1),
                                                        Qt.ItemDataRole.ForegroundRole)  # fmt: skip
    assert diff.status.text() == "Computing…"
    wait(diff, qtbot)
    assert diff.accounts.data(diff.accounts.index(0, 1), Qt.ItemDataRole.ForegroundRole) != grey
    diff.only_changed.setChecked(False)  # every account open at either point
    assert len(shown_accounts(diff)) == len(plain_balances(book_file, 9)) > 4


def test_random_moments_sum_to_each_difference(book_file: Path) -> None:
    """Against the plain answers: each balance is the read models' own at that point (cut
    by date by DatedReads), each account's lines sum to its difference."""
    from domain.projections.dated_reads import DatedReads

    source = DiffSource(book_file)
    rng = random.Random(15)
    with Book.open(book_file, readonly=True) as book:
        reads = DatedReads(book.read_models)
        head = book.store.head()[0]

        def balances(moment: Moment) -> dict[str, int]:
            reads.day = moment.day
            return {a.account_id: a.balance for a in reads.accounts(moment.position)}

        for _ in range(25):
            first, second = (Moment(rng.randint(0, head), rng.choice(
                [None, DAY, APRIL_END, dt.date(2024, 3, 20)])) for _ in range(2))  # fmt: skip
            result = source.balances(first, second)
            old, new = balances(first), balances(second)
            for account in result.accounts:
                assert account.before == old.get(account.account_id, 0)
                assert account.after == new.get(account.account_id, 0)
                found = source.lines(first, second, account)
                assert sum(line.amount for line in found.lines) == account.difference
                shown = {ln.position for ln in found.lines if not ln.opening}
                assert set(found.described) == shown  # a short list: all of it described
                assert list(found.running[-1:]) == ([account.difference] if found.lines else [])


def columns(*lines: DiffLine) -> DiffColumns:
    out = DiffColumns()
    for line in lines:
        out.positions.append(line.position)
        out.days.append(int(line.booking_date.strftime("%Y%m%d")))
        out.amounts.append(line.amount)
    return out


def test_the_models_on_their_own(qtmodeltester: Any) -> None:
    accounts = DiffAccountsModel()
    from domain.model.events import AccountType

    rows = [DiffAccount("a", "Checking", AccountType.ASSET, "EUR", 1, 100, 250),
            DiffAccount("b", "Salary", AccountType.INCOME, "EUR", 2, 0, 150)]  # fmt: skip
    accounts.set_accounts(rows)
    qtmodeltester.check(accounts)
    accounts.set_accounts(rows[1:])
    assert accounts.rowCount() == 1
    lines = DiffLinesModel(lambda p: f"event {p}")
    lines.set_lines(columns(DiffLine(3, DAY, 100), DiffLine(5, DAY, -30)), [100, 70], "EUR")
    qtmodeltester.check(lines)
    assert lines.total == 70
    assert lines.data(lines.index(1, cols.COL_EVENT)) == "event 5"
    asked: list[int] = []
    lines = DiffLinesModel(lambda p: asked.append(p) or f"read {p}")
    lines.set_lines(columns(DiffLine(3, DAY, 100), DiffLine(5, DAY, -30)), [100, 70], "EUR",
                    {3: "described by the worker"})  # fmt: skip
    assert [lines.data(lines.index(r, cols.COL_EVENT)) for r in range(2)] == [
        "described by the worker", "read 5"]  # fmt: skip
    assert asked == [5]
