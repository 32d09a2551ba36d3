"""A command sent again with its command_id answers as it did the first time, even when it
names accounts whose names have changed since (``apply`` on a real book in tmp_path)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from apply_helpers import jsonl, open_account, run_cli


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Any:
    return lambda *argv, stdin="": run_cli(monkeypatch, capsys, *argv, stdin=stdin)


@pytest.fixture
def book(tmp_path: Path, cli: Any) -> Path:
    path = tmp_path / "retry.tallybook"
    status, out, _ = cli(
        "apply", path, stdin=jsonl(open_account("Checking"), open_account("Salary", "income"))
    )
    assert status == 0, out
    return path


RENAME = {
    "command": "rename_account",
    "account": "Checking",
    "new_name": "Current",
    "command_id": "rn-1",
}
DEPOSIT = {
    "command": "deposit",
    "account": "Checking",
    "income_account": "Salary",
    "amount": "10.00",
    "booking_date": "2024-01-05",
    "command_id": "dep-1",
}


def test_a_rename_by_name_resent_after_it_succeeded_answers_as_the_first_time(
    book: Path, cli: Any
) -> None:
    status, out, _ = cli("apply", book, stdin=jsonl(RENAME, RENAME))
    assert status == 0, out
    assert out[1] == {**out[0], "line": 2}
    assert out[0]["positions"] == [3]


def test_a_deposit_by_name_resent_after_its_account_was_renamed_answers_as_the_first_time(
    book: Path, cli: Any
) -> None:
    status, first, _ = cli("apply", book, stdin=jsonl(DEPOSIT, {**RENAME, "command_id": "rn-2"}))
    assert status == 0, first
    status, again, _ = cli("apply", book, stdin=jsonl(DEPOSIT))
    assert status == 0, again
    assert again[0] == first[0]
    _, history, _ = cli("history", book)
    assert len(history) == 4  # nothing more was appended


def test_a_resent_command_id_naming_other_accounts_is_still_refused(book: Path, cli: Any) -> None:
    cli("apply", book, stdin=jsonl(open_account("Savings")))
    status, out, _ = cli("apply", book, stdin=jsonl(DEPOSIT, {**DEPOSIT, "account": "Savings"}))
    assert status == 1
    assert out[1]["error_type"] == "CommandIdReused"


def test_a_resent_command_id_naming_an_account_opened_since_is_refused(
    book: Path, cli: Any
) -> None:
    cli("apply", book, stdin=jsonl(DEPOSIT))
    cli("apply", book, stdin=jsonl(open_account("Later")))
    status, out, _ = cli("apply", book, stdin=jsonl({**DEPOSIT, "account": "Later"}))
    assert status == 1
    assert out[0]["error_type"] == "CommandIdReused"
    assert "Later" in out[0]["error"]
