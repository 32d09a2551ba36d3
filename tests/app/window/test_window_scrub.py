"""Scrubbing the timeline in the real main window: the accounts tree's figures come from a
worker (greyed until then), a burst of moves ends on the last cursor's, and the caption and
banner name the event at the cursor."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.composition import Book
from app.desktop.book_session import BookSession
from app.formatting import local_time_text
from app.models.history import humanize_type
from app.window.main_window import MainWindow
from domain.projections.fold import fold
from domain.store.base import StoredEvent

Window = Callable[[Path], MainWindow]


def session_of(window: MainWindow) -> BookSession:
    session = window.findChild(BookSession)
    assert session is not None
    return session


def shown(session: BookSession) -> dict[str, int]:
    """Each account's own balance as the tree holds it."""
    return {line.account.account_id: line.own_balance for _i, line in session.accounts.walk()
            if line.account is not None and line.own_balance is not None}  # fmt: skip


def folded(events: list[StoredEvent], cursor: int) -> dict[str, int]:
    """The same by a plain fold of the events up to the cursor (no read model)."""
    return {a.account_id: a.balance for a in fold(events, cursor).accounts()}


def caption_of(event: StoredEvent) -> str:
    return f"{local_time_text(event.recorded_at)} · {humanize_type(event.type)}"


def test_moves_show_the_cursors_figures_and_caption_once_read(
    generated_book: Path, open_window: Window, qtbot: Any
) -> None:
    with Book.open(generated_book, readonly=True) as book:
        events = list(book.store.read_all())
    window = open_window(generated_book)
    session = session_of(window)
    rng = random.Random(14)
    for cursor in rng.sample(range(1, len(events)), 6):
        window.timeline.slider.setValue(cursor)
        qtbot.waitUntil(lambda c=cursor: session.travel.cursor == c)  # type: ignore[misc]
        label = window.timeline.label.text()
        assert label == f"Event #{cursor} of {len(events)} · {caption_of(events[cursor - 1])}"
        assert local_time_text(events[cursor - 1].recorded_at) in window.banner.label.text()
        qtbot.waitUntil(lambda: not session.accounts.stale, timeout=10_000)
        assert shown(session) == folded(events, cursor)


def test_a_burst_of_moves_ends_on_the_last_cursors_figures(
    generated_book: Path, open_window: Window, qtbot: Any
) -> None:
    with Book.open(generated_book, readonly=True) as book:
        events = list(book.store.read_all())
    window = open_window(generated_book)
    session = session_of(window)
    asked: list[int | None] = []
    real = session.read_accounts

    def counting(as_of: int | None, done: Any) -> None:
        asked.append(as_of)
        real(as_of, done)

    session.accounts._reader = counting  # the same worker, counted
    travel = session.travel
    targets = [len(events) // 5 * k for k in (1, 4, 2, 3)]
    for cursor in targets:  # each applied at once: no event loop between them
        travel.move_to(cursor)
    assert session.accounts.stale  # the figures shown are the present's, greyed
    qtbot.waitUntil(lambda: not session.accounts.stale, timeout=10_000)
    assert shown(session) == folded(events, targets[-1])
    # the first move's read, then only the last cursor's: the ones between were never read
    assert asked == [targets[0], targets[-1]]
    travel.return_to_present()
    qtbot.waitUntil(lambda: not session.accounts.stale, timeout=10_000)
    assert shown(session) == folded(events, len(events))
