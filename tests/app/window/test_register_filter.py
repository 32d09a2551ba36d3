"""The register's filter bar in the real window, against a plain filter over the whole register."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app.composition import Book
from app.desktop.book_session import BookSession
from app.models.register import RegisterModel
from app.models.register_filter import NOT_CLEARED, STATUSES, VOIDED
from app.reconciling import ReconcileReader
from app.window.main_window import MainWindow
from app.window.register_filter_bar import RegisterFilterBar
from domain.model.imports import import_id_of

Window = Callable[[Path], MainWindow]


@pytest.fixture
def window(generated_book: Path, open_window: Window) -> MainWindow:
    return open_window(generated_book)


def bar_of(window: MainWindow) -> RegisterFilterBar:
    bar = window.register_panel.findChild(RegisterFilterBar)
    assert bar is not None
    return bar


def shown(model: RegisterModel) -> list[tuple[int, int]]:
    rows = [model.row_at(r) for r in range(model.rowCount())]
    return [(r.position, r.amount) for r in rows if r is not None]


def test_the_filter_keeps_what_a_plain_filter_keeps(
    window: MainWindow, generated_book: Path, qtbot: Any, qtmodeltester: Any
) -> None:
    session = window.findChild(BookSession)
    assert session is not None
    busiest = max(session.accounts.accounts(),
                  key=lambda a: session.book.read_models.register_count(a.account_id))  # fmt: skip
    window.accounts_view.select_account(busiest.account_id)
    model = window.register_panel.table.model()
    assert isinstance(model, RegisterModel)
    qtbot.waitUntil(lambda: model.account is not None
                    and model.account.account_id == busiest.account_id)  # fmt: skip
    with Book.open(generated_book, readonly=True) as book:
        rows = book.read_models.register(busiest.account_id, None, 0, 100_000)
        known = ReconcileReader(book).statuses(busiest.account_id)
    bar = bar_of(window)
    bar.more.setChecked(True)
    rng = random.Random(5)
    payees = sorted({r.payee for r in rows if r.payee})
    for attempt in range(5):
        bar.clear()
        text = rng.choice(payees)[:3] if attempt % 2 == 0 else ""
        first, last = sorted(rng.sample([r.booking_date for r in rows], 2))
        status = rng.choice([None, *STATUSES])
        bar.search.setText(text.upper())
        bar.from_date.setText(first.isoformat())
        bar.to_date.setText(last.isoformat())
        bar.amount_min.setText("10.00")
        bar.status.setCurrentIndex(bar.status.findData(status) if status else 0)

        def status_of(row: Any) -> str:
            if row.is_void or row.voided_by is not None:
                return VOIDED
            cleared = "cleared" if import_id_of(row.entry_id) else NOT_CLEARED
            return known.get(row.entry_id) or cleared

        expected = [
            (r.position, r.amount) for r in rows
            if first <= r.booking_date <= last and abs(r.amount) >= 1000
            and (not text or any(text.lower() in t.lower() for t in (r.payee, r.memo,
                                                                     r.other_accounts)))
            and (status is None or status_of(r) == status)
        ]  # fmt: skip
        want = f"{len(expected):,} of {len(rows):,} rows"
        qtbot.waitUntil(lambda want=want: bar.count.text() == want, timeout=10_000)
        assert shown(model) == expected
    qtmodeltester.check(model)
    bar.clear()
    qtbot.waitUntil(lambda: not model.filtered)
    assert model.rowCount() == len(rows)


def test_a_bad_amount_is_named_and_filters_nothing(window: MainWindow, qtbot: Any) -> None:
    model = window.register_panel.table.model()
    bar = bar_of(window)
    bar.more.setChecked(True)
    before = model.rowCount()
    qtbot.keyClicks(bar.amount_max, "12,3x")
    qtbot.waitUntil(lambda: bar.message.isVisibleTo(bar))
    assert "Amount to" in bar.message.text() and "not an amount" in bar.message.text()
    assert model.rowCount() == before


def test_the_filter_follows_the_timeline(window: MainWindow, qtbot: Any) -> None:
    session = window.findChild(BookSession)
    assert session is not None
    busiest = max(session.accounts.accounts(),
                  key=lambda a: session.book.read_models.register_count(a.account_id))  # fmt: skip
    window.accounts_view.select_account(busiest.account_id)
    model = window.register_panel.table.model()
    assert isinstance(model, RegisterModel)
    bar = bar_of(window)
    bar.status.setCurrentIndex(bar.status.findData(NOT_CLEARED))
    qtbot.waitUntil(lambda: model.filtered and " of " in bar.count.text(), timeout=10_000)
    now = model.rowCount()
    session.travel.move_to(session.travel.head // 3)
    qtbot.waitUntil(lambda: model.rowCount() < now, timeout=10_000)
    assert all(r is not None and r.position <= session.travel.head // 3
               for r in (model.row_at(i) for i in range(model.rowCount())))  # fmt: skip
