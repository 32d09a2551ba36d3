"""Starting the app: the default book, a named book, and opening through the catch-up worker."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from app_helpers import balance, household

from app.__main__ import parse_args
from app.composition import Book
from app.desktop.launcher import Launcher
from app.desktop.paths import default_book_path
from domain.application.service import BookService
from domain.projections.location import ENV_DIR


def test_the_default_book_lives_in_the_user_data_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    monkeypatch.setenv("HOME", str(tmp_path))
    path = default_book_path()
    assert path.name == "My Books.tallybook"
    assert path.parent.name == "Books" and path.parent.parent.name == "Tallybook"


def test_arguments_name_a_book_or_none() -> None:
    assert parse_args([]).book is None
    assert parse_args(["Club.tallybook"]).book == Path("Club.tallybook")


def test_a_missing_book_is_created_on_first_start(
    launcher: Launcher, qtbot: Any, tmp_path: Path
) -> None:
    path = tmp_path / "Books" / "My Books.tallybook"
    path.parent.mkdir()
    with qtbot.waitSignal(launcher.window_opened, timeout=10_000) as opened:
        assert launcher.open_book(path)
    assert path.exists()
    assert opened.args[0].windowTitle() == "My Books — Tallybook"


def test_opening_catches_the_views_up_in_a_worker(
    launcher: Launcher, qtbot: Any, book_path: Path
) -> None:
    # events written by a service without projectors: the read models are behind
    with Book.create(book_path) as book:
        service = BookService(book.store)
        for command in household():
            service.execute(command)
        assert book.read_models.pending() == 9
    with qtbot.waitSignal(launcher.window_opened, timeout=10_000) as opened:
        launcher.open_book(book_path)
    window = opened.args[0]
    assert window.timeline.slider.maximum() == 9
    assert launcher.open_book(book_path)  # already open: raised, not opened twice
    assert len(launcher.windows) == 1


def test_a_book_opens_even_where_its_views_cannot_be_kept(
    launcher: Launcher, qtbot: Any, book_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Book.create(book_path) as book:
        for command in household():
            book.service.execute(command)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(ENV_DIR, str(blocker / "read-models"))  # the cache folder cannot exist
    with qtbot.waitSignal(launcher.window_opened, timeout=10_000) as opened:
        launcher.open_book(book_path)
    window = opened.args[0]
    assert window.banner.isVisibleTo(window)
    assert "rebuilds them each time the book opens" in window.banner.label.text()
    assert window.actions_.deposit.isEnabled()  # not read-only: only the views are in memory
    assert window.timeline.slider.maximum() == 9
    assert balance(window, "Checking") == "€1,054.50"
