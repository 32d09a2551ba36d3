"""Text ``apply`` cannot store — lone surrogates, NUL, invisible characters, megabyte ids —
gets one refusal line, and the lines after it are still answered (on a real book)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from apply_helpers import jsonl, open_account, run_cli


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Any:
    return lambda *argv, stdin="": run_cli(monkeypatch, capsys, *argv, stdin=stdin)


@pytest.fixture
def book(tmp_path: Path, cli: Any) -> Path:
    path = tmp_path / "text.tallybook"
    setup = jsonl(open_account("Checking"), open_account("Salary", "income"))
    status, out, _ = cli("apply", path, stdin=setup)
    assert status == 0, out
    return path


DEPOSIT = {
    "command": "deposit",
    "account": "Checking",
    "income_account": "Salary",
    "amount": "1.00",
    "booking_date": "2024-01-02",
}
BAD = ["\ud800", "a\udfffb", "\x00", "a\x00b", "x" * 1_000_000]
FIELDS: list[tuple[str, dict[str, Any]]] = [
    ("command_id", DEPOSIT),
    ("entry_id", DEPOSIT),
    ("payee", DEPOSIT),
    ("memo", DEPOSIT),
    ("account_id", DEPOSIT),
    ("account", {k: v for k, v in DEPOSIT.items() if k != "account"}),
    ("name", open_account("x")),
    ("account_id", open_account("New")),
    ("reason", {"command": "void", "entry_id": "e", "voided_on": "2024-01-02"}),
    ("entry_id", {"command": "void", "voided_on": "2024-01-02"}),
    ("currency", open_account("Other")),
    ("command", DEPOSIT),
]


@pytest.mark.parametrize(
    "bad", BAD, ids=["surrogate", "surrogate-inside", "nul", "nul-inside", "1MB"]
)
@pytest.mark.parametrize(
    ("field", "command"), FIELDS, ids=[f"{c['command']}.{f}" for f, c in FIELDS]
)
def test_a_text_that_cannot_be_stored_is_refused_and_the_run_goes_on(
    book: Path, cli: Any, field: str, command: dict[str, Any], bad: str
) -> None:
    line = json.dumps({**command, field: bad})  # ASCII: the surrogate arrives as \ud800
    status, out, err = cli("apply", book, stdin=jsonl(line, DEPOSIT))
    assert (status, err) == (1, "")
    assert [o["line"] for o in out] == [1, 2]
    assert out[0]["ok"] is False and out[0]["error_type"] in (
        "InvalidCommand",
        "UnknownAccount",
        "UnknownEntry",
        "UnknownCurrency",
    ), out[0]
    assert len(out[0]["error"]) < 1_000  # a megabyte is not quoted back
    assert out[1]["ok"] is True and out[1]["positions"] == [3]  # nothing was appended before


@pytest.mark.parametrize("keys", [1, 1000])
def test_unknown_keys_are_listed_cut_short(book: Path, cli: Any, keys: int) -> None:
    line = {**DEPOSIT, **{f"{n}{'k' * 1_000}": 1 for n in range(keys)}}
    status, out, _ = cli("apply", book, stdin=jsonl(line))
    assert status == 1
    assert "unknown field" in out[0]["error"] and len(out[0]["error"]) < 1_000


def test_a_duplicate_key_a_megabyte_long_is_named_cut_short(book: Path, cli: Any) -> None:
    key = "k" * 1_000_000
    status, out, _ = cli("apply", book, stdin=jsonl(f'{{"{key}": 1, "{key}": 2}}'))
    assert status == 1
    assert "duplicate key" in out[0]["error"] and len(out[0]["error"]) < 200


def test_a_surrogate_quoted_in_a_refusal_is_written_escaped(book: Path, cli: Any) -> None:
    status, out, _ = cli("apply", book, stdin=jsonl('{"command": "deposit", "\\ud800": 1}'))
    assert status == 1
    assert "\ud800" in out[0]["error"]  # the JSON line carried it as \ud800


def test_a_user_name_that_is_no_utf8_is_recorded_replaced_not_crashing(
    tmp_path: Path, cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the login name comes from the environment, where bytes that are no UTF-8 arrive as
    # lone surrogates (LOGNAME=$'\xff'): every command died with UnicodeEncodeError
    monkeypatch.setenv("LOGNAME", "caf\udcff")
    path = tmp_path / "author.tallybook"
    status, out, _ = cli("apply", path, stdin=jsonl(open_account("Checking")))
    assert status == 0, out
    _, history, _ = cli("history", path)
    assert history[0]["metadata"]["author"] == "caf\ufffd"
