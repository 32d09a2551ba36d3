"""One writer per book: the lock file (app.desktop.book_lock), the raise handshake
(app.desktop.raise_socket) and the policy over both (app.desktop.book_claim)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from app.desktop import book_claim, book_lock, raise_socket
from app.desktop.book_claim import ClaimMode

NoNewFiles = Callable[[Path], AbstractContextManager[None]]  # conftest's fixture


@pytest.fixture
def book(tmp_path: Path) -> Path:
    path = tmp_path / "Household.tallybook"
    path.write_bytes(b"SQLite format 3\x00")
    return path


def test_second_lock_on_the_same_book_is_refused_until_released(book: Path) -> None:
    first = book_lock.acquire_book(book)
    assert first is not None and first.held
    assert book_lock.acquire_book(book) is None
    first.release()
    second = book_lock.acquire_book(book)
    assert second is not None
    second.release()


def test_lock_file_sits_beside_the_book_and_names_its_holder(book: Path) -> None:
    lock = book_lock.acquire_book(book)
    assert lock is not None
    with lock:
        assert lock.path == book.with_name("Household.tallybook.lock")
        assert lock.path.exists()
        holder = book_lock.lock_holder(book)
        assert holder is not None and holder.pid == os.getpid()
    assert not book.with_name("Household.tallybook.lock").exists()


def test_a_symlink_and_its_target_share_one_lock(book: Path, tmp_path: Path) -> None:
    link = tmp_path / "alias.tallybook"
    link.symlink_to(book)
    assert raise_socket.server_name(link) == raise_socket.server_name(book)
    lock = book_lock.acquire_book(book)
    assert lock is not None
    with lock:
        assert book_lock.acquire_book(link) is None


def test_lock_left_by_a_dead_process_is_stale_and_taken_over(book: Path) -> None:
    # A child takes the lock and dies without unlocking, like a crash.
    script = (
        "import os, sys\n"
        "from PySide6.QtCore import QLockFile\n"
        "lock = QLockFile(sys.argv[1]); lock.setStaleLockTime(0)\n"
        "assert lock.tryLock(0)\n"
        "os._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", script, str(book_lock.lock_path(book))], check=True)
    assert book_lock.lock_path(book).exists()
    lock = book_lock.acquire_book(book)
    assert lock is not None
    lock.release()


def test_no_lock_file_possible_means_read_only_with_a_reason(tmp_path: Path) -> None:
    # Root may write anywhere, so make the lock uncreatable by its folder being gone.
    book = tmp_path / "gone" / "Household.tallybook"
    with pytest.raises(book_lock.LockUnavailable):
        book_lock.acquire_book(book)
    claim = book_claim.claim_book(book, raise_timeout_ms=100)
    assert claim.mode is ClaimMode.READ_ONLY and claim.lock is None
    assert claim.note == (
        "Opened read-only: Tallybook cannot lock this book for writing: "
        f"its folder {book.parent} is not there."
    )


def test_a_folder_that_takes_no_files_is_named_as_the_reason(
    tmp_path: Path, folder_taking_no_new_files: NoNewFiles
) -> None:
    folder = tmp_path / "share"
    folder.mkdir()
    book = folder / "Household.tallybook"
    book.touch()
    with folder_taking_no_new_files(folder):
        claim = book_claim.claim_book(book, raise_timeout_ms=100)
    assert claim.mode is ClaimMode.READ_ONLY and claim.lock is None
    assert claim.note == (
        "Opened read-only: Tallybook cannot lock this book for writing: the folder "
        f"{folder} takes no new files (it is read-only, or not yours)."
    )


def test_client_raises_the_server_of_the_same_book(qtbot: QtBot, book: Path) -> None:
    raised: list[str] = []
    server = raise_socket.serve_raise_requests(book, lambda: raised.append("raised"))
    assert server is not None
    try:
        assert raise_socket.ask_running_instance_to_raise(book, timeout_ms=3000)
    finally:
        server.close()
    assert raised == ["raised"]


def test_client_gives_up_when_nobody_serves_the_book(qtbot: QtBot, book: Path) -> None:
    assert not raise_socket.ask_running_instance_to_raise(book, timeout_ms=200)


def test_client_waits_for_a_server_that_starts_listening_late(qtbot: QtBot, book: Path) -> None:
    raised: list[bool] = []
    servers: list[raise_socket.RaiseServer | None] = []

    def start_serving() -> None:
        servers.append(raise_socket.serve_raise_requests(book, lambda: raised.append(True)))

    QTimer.singleShot(150, start_serving)
    assert raise_socket.ask_running_instance_to_raise(book, timeout_ms=3000)
    assert raised == [True]
    for server in servers:
        assert server is not None
        server.close()


def test_other_books_have_other_servers(qtbot: QtBot, book: Path, tmp_path: Path) -> None:
    other = tmp_path / "Club.tallybook"
    assert raise_socket.server_name(other) != raise_socket.server_name(book)
    server = raise_socket.serve_raise_requests(other, lambda: None)
    assert server is not None
    try:
        assert not raise_socket.ask_running_instance_to_raise(book, timeout_ms=200)
    finally:
        server.close()


def test_claim_writes_raises_or_falls_back_to_read_only(qtbot: QtBot, book: Path) -> None:
    first = book_claim.claim_book(book)
    assert first.mode is ClaimMode.WRITE and first.lock is not None
    # Held but nobody answers: read-only, naming the holder.
    second = book_claim.claim_book(book, raise_timeout_ms=200)
    assert second.mode is ClaimMode.READ_ONLY and second.lock is None
    assert f"process {os.getpid()}" in second.note and book.name in second.note
    # Held and served: the newcomer only raises the first window.
    raised: list[bool] = []
    server = raise_socket.serve_raise_requests(book, lambda: raised.append(True))
    assert server is not None
    try:
        assert book_claim.claim_book(book).mode is ClaimMode.RAISED
    finally:
        server.close()
        first.lock.release()
    assert raised == [True]


def test_server_removes_a_socket_left_by_a_crashed_holder(qtbot: QtBot, book: Path) -> None:
    crashed = raise_socket.serve_raise_requests(book, lambda: None)
    assert crashed is not None
    # A second listener on the same name only works if the old one is cleared first.
    replacement = raise_socket.serve_raise_requests(book, lambda: None)
    assert replacement is not None
    replacement.close()
    crashed.close()


def test_raise_window_shows_a_minimised_window(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QWidget

    window = QWidget()
    qtbot.addWidget(window)
    window.showMinimized()
    raise_socket.raise_window(window)
    assert window.isVisible() and not window.isMinimized()


_HOLDER = """
import sys
from PySide6.QtCore import QCoreApplication
from app.desktop import book_lock, raise_socket
app = QCoreApplication([])
lock = book_lock.acquire_book(sys.argv[1])
assert lock is not None
def on_raise():
    print("raised", flush=True)
    app.quit()
server = raise_socket.serve_raise_requests(sys.argv[1], on_raise)
assert server is not None
print("ready", flush=True)
sys.exit(app.exec())
"""


def test_second_process_raises_the_first_and_does_not_get_the_lock(
    qtbot: QtBot, book: Path
) -> None:
    root = Path(__file__).resolve().parents[3]
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(book)],
        cwd=root,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "ready"
        assert book_lock.acquire_book(book) is None
        assert book_claim.claim_book(book, raise_timeout_ms=5000).mode is ClaimMode.RAISED
        assert holder.stdout.readline().strip() == "raised"
        assert holder.wait(timeout=10) == 0
    finally:
        holder.kill()
        holder.wait()
    # The holder exited cleanly, so the book is free again.
    lock = book_lock.acquire_book(book)
    assert lock is not None
    lock.release()


def test_guard_holds_a_book_once_and_serves_raises_for_it(qtbot: QtBot, book: Path) -> None:
    raised: list[bool] = []
    guard = book_claim.BookGuard()
    first = guard.claim(book, lambda: raised.append(True))
    assert first.mode is ClaimMode.WRITE and guard.holds(book)
    # Asking again in the same process (File ▸ Open of an open book) is not a conflict.
    assert guard.claim(book, lambda: pytest.fail("second server")).lock is first.lock
    # Another launch on the same book is told to stand down, and this window is raised.
    assert book_claim.claim_book(book).mode is ClaimMode.RAISED
    assert raised == [True]
    guard.release(book)
    assert not guard.holds(book)
    assert not raise_socket.ask_running_instance_to_raise(book, timeout_ms=100)
    lock = book_lock.acquire_book(book)
    assert lock is not None
    lock.release()


def test_guard_release_all_frees_every_book(qtbot: QtBot, book: Path, tmp_path: Path) -> None:
    other = tmp_path / "Club.tallybook"
    guard = book_claim.BookGuard()
    for path in (book, other):
        assert guard.claim(path, lambda: None).mode is ClaimMode.WRITE
    guard.release_all()
    for path in (book, other):
        lock = book_lock.acquire_book(path)
        assert lock is not None
        lock.release()
