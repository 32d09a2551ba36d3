"""``tallybook-cli copy`` moves a book between a file and a PostgreSQL server, losslessly."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from test_cli import DEPOSIT, OPEN, RENT, cli, lines

__all__ = ["cli"]  # the fixture, imported


def _rows(path: Path) -> list[list[tuple[object, ...]]]:
    with sqlite3.connect(path) as conn:
        return [
            conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
            for table in ("events", "stream_links", "commands", "book")
        ]


def test_a_file_copied_to_a_file_is_the_same_book(tmp_path: Path, cli: Any) -> None:
    first, second = tmp_path / "a.tallybook", tmp_path / "b.tallybook"
    assert cli("apply", first, stdin=lines(*OPEN, DEPOSIT, RENT))[0] == 0
    status, out, err = cli("copy", first, second)
    assert status == 0, err
    assert out[0]["ok"] and out[0]["verified"] and out[0]["copied"] == len(_rows(first)[0])
    assert _rows(second) == _rows(first)


def test_a_copy_into_something_is_refused(tmp_path: Path, cli: Any) -> None:
    first, second = tmp_path / "a.tallybook", tmp_path / "b.tallybook"
    assert cli("apply", first, stdin=lines(*OPEN))[0] == 0
    second.write_bytes(b"keep me")
    status, out, err = cli("copy", first, second)
    assert status == 2 and out == [] and "a copy goes into a new book only" in err
    assert second.read_bytes() == b"keep me"


def test_sqlite_to_postgres_to_sqlite_is_byte_identical(
    tmp_path: Path, cli: Any, pg_url: str
) -> None:
    pytest.importorskip("psycopg")
    first, back = tmp_path / "a.tallybook", tmp_path / "back.tallybook"
    shared = f"{pg_url}&book=moved"
    assert cli("apply", first, stdin=lines(*OPEN, DEPOSIT, RENT))[0] == 0
    status, there, err = cli("copy", first, shared)
    assert status == 0, err
    status, again, err = cli("copy", shared, back)
    assert status == 0, err
    assert there == again and there[0]["ok"]
    assert _rows(back) == _rows(first)
    status, _, err = cli("copy", first, shared)
    assert status == 2 and "a copy goes into a new book only" in err
    status, report, _ = cli("verify", shared)
    assert status == 0 and report[0]["head"] == there[0]["head"]
