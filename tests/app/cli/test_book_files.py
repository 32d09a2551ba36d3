"""The book file itself: where a book cannot be created, what is not a regular file, a full
disk. Each run is a real ``tallybook-cli`` process with a timeout, so a hang fails the test."""

from __future__ import annotations

import json
import os
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
