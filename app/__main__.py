"""Start Tallybook: ``python -m app [BOOK]`` or the ``tallybook`` gui-script."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication

from app.cli.arg_types import book_argument
from app.desktop.book_claim import BookGuard
from app.desktop.bundle import apply_desktop_identity
from app.desktop.file_open import FileOpenFilter, wait_for_file_open
from app.desktop.first_start import FirstStart, book_to_open
from app.desktop.launcher import Launcher
from app.desktop.native_dialogs import RoomyQtFileDialogs, prefer_native_file_dialogs
from app.desktop.paths import default_book_path
from app.desktop.settings import APPLICATION, ORGANIZATION


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    """Tallybook's own arguments; pass what is left once Qt has taken its options."""
    parser = argparse.ArgumentParser(prog="tallybook", description="Tallybook bookkeeping")
    parser.add_argument(
        "book", nargs="?", type=book_argument,
        help="the book file to open (default: your own book), or a shared book's "
        "postgresql://…?book=NAME address",
    )  # fmt: skip
    parser.add_argument(
        "--self-test", action="store_true",
        help="check this installation on a temporary book without a display, then exit",
    )  # fmt: skip
    args, _unknown = parser.parse_known_args(argv)
    return args


def create_application(argv: list[str]) -> QApplication:
    prefer_native_file_dialogs()  # read when the QApplication is made
    app = QApplication(argv)
    app.setOrganizationName(ORGANIZATION)
    apply_desktop_identity(app)
    app.setApplicationName(APPLICATION)
    app.installEventFilter(RoomyQtFileDialogs(app))
    return app


def app_arguments(app: QCoreApplication) -> argparse.Namespace:
    """The arguments Qt left: it has removed its own options (``-style fusion``) by now."""
    return parse_args(app.arguments()[1:])


def main(argv: Sequence[str] | None = None) -> int:
    """Open BOOK (or the default book, created on first start) and run the app."""
    argv = list(sys.argv if argv is None else argv)
    # before any QApplication: the self-test picks its own (display-less) platform
    if parse_args(argv[1:]).self_test:  # packaging/smoke.py runs this in the built bundle
        from app.desktop.selftest import run_self_test

        return run_self_test(argv)
    app = create_application(argv)
    args = app_arguments(app)
    # A book double-clicked in the macOS Finder comes as an event, not as an argument
    opened = wait_for_file_open(app) if args.book is None and sys.platform == "darwin" else None
    default = default_book_path()
    launcher = Launcher(guard=BookGuard(app), quit_when_nothing_opens=True, default_book=default)
    # documents opened from the macOS Finder arrive as events, not as arguments
    app.installEventFilter(FileOpenFilter(launcher.open_document, app))
    recent = launcher.settings.recent_books()
    book: Path | str | None = args.book or opened or book_to_open(default, recent)
    if book is None:  # no book yet: the New Book assistant says which to make
        FirstStart(launcher, default).start()
        return app.exec()
    if isinstance(book, str):  # a shared book: no file, no lock (many may write at once)
        launcher.open_shared_book(book)
        return app.exec()
    book.parent.mkdir(parents=True, exist_ok=True)
    if not launcher.open_book(book):
        return 0  # another Tallybook has this book open and was brought to the front
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
