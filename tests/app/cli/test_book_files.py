"""The book file itself: where a book cannot be created, what is not a regular file, a full
disk. Each run is a real ``tallybook-cli`` process with a timeout, so a hang fails the test."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import NoNewFiles, fill

OPEN = {
    "command": "open_account",
    "name": "Checking",
    "account_type": "asset",
    "currency": "EUR",
    "opening_balance": "100.00",
    "opening_date": "2024-01-01",
}
GENERATE = ("--accounts", "8", "--commands", "20", "--seed", "1")


def cli(*argv: object, stdin: str = "", timeout: float = 60) -> tuple[int, str, str]:
    """``tallybook-cli ARGV`` as a process: (exit status, stdout, stderr)."""
    done = subprocess.run(
        [sys.executable, "-m", "app.cli.main", *map(str, argv)],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[3])},
    )
    return done.returncode, done.stdout, done.stderr


def assert_one_line(status: int, out: str, err: str, *words: str) -> None:
    assert (status, out) == (2, ""), err
    assert "Traceback" not in err
    assert len(err.splitlines()) == 1, err
    for word in words:
        assert word in err


def test_no_book_is_created_on_a_full_disk(tiny_disk: Path) -> None:
    fill(tiny_disk)
    book = tiny_disk / "new.tallybook"
    assert_one_line(*cli("apply", book, stdin=json.dumps(OPEN) + "\n"), "the disk is full")
    assert_one_line(*cli("generate", book, *GENERATE), "the disk is full")
    assert sorted(p.name for p in tiny_disk.iterdir()) == ["filler"]  # nothing left behind


def test_no_book_is_created_in_a_folder_that_takes_no_new_files(
    tmp_path: Path, folder_taking_no_new_files: NoNewFiles
) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    with folder_taking_no_new_files(folder):
        book = folder / "new.tallybook"
        assert_one_line(*cli("apply", book, stdin=json.dumps(OPEN) + "\n"), "no new files")
        assert_one_line(*cli("generate", book, *GENERATE), "no new files")
        assert list(folder.iterdir()) == []


@pytest.mark.parametrize("action", ["apply", "generate"])
def test_no_book_is_created_under_a_regular_file(tmp_path: Path, action: str) -> None:
    (tmp_path / "afile").write_text("not a folder")
    book = tmp_path / "afile" / "book.tallybook"
    extra = GENERATE if action == "generate" else ()
    assert_one_line(*cli(action, book, *extra, stdin=json.dumps(OPEN) + "\n"), str(book))


def not_a_file(tmp_path: Path, kind: str) -> Path:
    """Something at a book's path that is not a regular file (a link to one, for "link")."""
    path = tmp_path / f"{kind}.tallybook"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    elif kind == "socket":
        sock = socket.socket(socket.AF_UNIX)
        sock.bind(str(path))  # bound, not listening: it stays there after the socket closes
        sock.close()
    elif kind == "device":
        path.symlink_to("/dev/zero")
    else:  # a symlink to a FIFO: the target is what counts
        os.mkfifo(tmp_path / "target")
        path.symlink_to(tmp_path / "target")
    return path


def release(path: Path) -> None:
    """Let a reader blocked opening the FIFO go (after a failure), so no test run hangs."""
    with contextlib.suppress(OSError):
        os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))


ACTIONS = [("apply",), ("balances",), ("verify",), ("history",), ("generate", *GENERATE)]


@pytest.mark.parametrize("action", ACTIONS, ids=[a[0] for a in ACTIONS])
def test_every_action_refuses_a_fifo_at_once(tmp_path: Path, action: tuple[str, ...]) -> None:
    fifo = not_a_file(tmp_path, "fifo")
    try:
        status, out, err = cli(action[0], fifo, *action[1:], stdin="", timeout=20)
    finally:
        release(fifo)
    assert_one_line(status, out, err, "is a named pipe (FIFO), not a Tallybook book")


@pytest.mark.parametrize(
    ("kind", "says"),
    [
        ("folder", "is a folder"),
        ("socket", "is a socket"),
        ("device", "is a device"),
        ("link", "is a named pipe (FIFO)"),
    ],
)
@pytest.mark.parametrize("action", ["verify", "apply"])
def test_what_is_not_a_regular_file_is_refused(
    tmp_path: Path, kind: str, says: str, action: str
) -> None:
    path = not_a_file(tmp_path, kind)
    try:
        status, out, err = cli(action, path, stdin=json.dumps(OPEN) + "\n", timeout=20)
    finally:
        release(tmp_path / "target")
    assert_one_line(status, out, err, f"{path} {says}, not a Tallybook book")


def test_a_closed_book_on_a_full_disk_reads_as_before(tiny_disk: Path) -> None:
    book = tiny_disk / "home.tallybook"
    assert cli("generate", book, *GENERATE)[0] == 0
    reads = [("verify",), ("balances",), ("history", "--limit", "5")]
    before = [cli(*read[:1], book, *read[1:]) for read in reads]
    for left in ("-wal", "-shm"):  # left empty by those read-only opens (SQLite's way)
        Path(f"{book}{left}").unlink(missing_ok=True)  # closed, as the last writer leaves it
    fill(tiny_disk)
    after = [cli(*read[:1], book, *read[1:]) for read in reads]
    assert after == before and all(status == 0 for status, _, _ in after)
    assert sorted(p.name for p in tiny_disk.iterdir()) == ["filler", "home.tallybook"]


def test_apply_on_a_full_disk_says_so_and_leaves_nothing_behind(tiny_disk: Path) -> None:
    book = tiny_disk / "home.tallybook"
    assert cli("generate", book, *GENERATE)[0] == 0
    content = book.read_bytes()
    fill(tiny_disk)
    assert_one_line(*cli("apply", book, stdin=json.dumps(OPEN) + "\n"), "the disk is full")
    assert sorted(p.name for p in tiny_disk.iterdir()) == ["filler", "home.tallybook"]
    assert book.read_bytes() == content


def test_a_book_whose_name_is_not_utf8_is_created_and_read(tmp_path: Path) -> None:
    # a file name is bytes: Latin-1 "é" alone (0xE9) is no UTF-8, and SQLite's URI took only str
    book = tmp_path / os.fsdecode(b"caf\xe9.tallybook")
    status, out, err = cli("apply", book, stdin=json.dumps(OPEN) + "\n")
    assert (status, "Traceback" in err) == (0, False), err
    assert json.loads(out)["ok"]
    status, out, err = cli("verify", book)
    assert (status, json.loads(out)["ok"]) == (0, True), err
    assert b"caf\xe9.tallybook" in os.listdir(os.fsencode(tmp_path))  # the very bytes


def test_the_cli_records_itself_as_another_program_than_the_app(tmp_path: Path) -> None:
    from app.composition import Book, app_version

    path = tmp_path / "b.tallybook"
    status, _, err = cli("apply", path, stdin=json.dumps(OPEN) + "\n")
    assert status == 0, err
    with Book.open(path) as book:  # as the app opens it
        (event, *_) = book.store.read_all()
        assert event.metadata["app_version"] == f"{app_version()} (cli)".lstrip()
        step = book.service.undo_stacks().undo
        assert step is None  # the CLI's change is not the app's to undo
