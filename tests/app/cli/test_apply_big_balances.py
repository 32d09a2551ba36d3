"""Balances the book cannot hold as 64-bit integers are refused before anything is written
(93 deposits of 10,000,000,000,000 CLF crashed the projector with OverflowError)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from apply_helpers import jsonl, open_account, run_cli

from domain.model.limits import MAX_BALANCE


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Any:
    return lambda *argv, stdin="": run_cli(monkeypatch, capsys, *argv, stdin=stdin)


@pytest.fixture
def book(tmp_path: Path, cli: Any) -> Path:
    path = tmp_path / "big.tallybook"
    accounts = [
        open_account("Vault", currency="CLF"),
        open_account("Mint", "income", currency="CLF"),
    ]
    status, out, _ = cli("apply", path, stdin=jsonl(*accounts))
    assert status == 0, out
    return path


BIG = "10000000000000"  # the largest single amount: 10^13 units, 10^17 minor units of CLF
DEPOSIT = {
    "command": "deposit",
    "account": "Vault",
    "income_account": "Mint",
    "amount": BIG,
    "booking_date": "2024-01-02",
}


def test_the_limit_fits_sqlites_integers_with_room_for_sums() -> None:
    assert MAX_BALANCE == 10**18 and 9 * MAX_BALANCE < 2**63


def test_93_deposits_of_the_largest_amount_stop_at_the_limit_with_one_line_each(
    book: Path, cli: Any
) -> None:
    status, out, err = cli("apply", book, stdin=jsonl(*[DEPOSIT] * 93))
    assert (status, err) == (1, "")
    assert len(out) == 93
    assert [o["ok"] for o in out] == [True] * 10 + [False] * 83
    assert {o["error_type"] for o in out[10:]} == {"BalanceOutOfRange"}
    assert "Vault would hold 110000000000000.0000 CLF" in out[10]["error"]
    assert "±100000000000000.0000 CLF" in out[10]["error"]
    status, answer, _ = cli("balances", book)
    assert status == 0
    assert {a["name"]: a["balance"] for a in answer[0]["accounts"]}["Vault"] == (
        "100000000000000.0000"
    )
    _, history, _ = cli("history", book, "--from", 13)
    assert history == []  # 2 accounts and 10 deposits: nothing of the refused ones


def test_an_entry_moving_more_than_the_limit_on_one_account_is_refused(
    book: Path, cli: Any
) -> None:
    lines = [{"account": "Vault", "amount": BIG}] * 11 + [
        {"account": "Mint", "amount": "-" + BIG}
    ] * 11
    split = {"command": "split", "booking_date": "2024-01-02", "lines": lines}
    status, out, _ = cli("apply", book, stdin=jsonl(split, DEPOSIT))
    assert status == 1
    assert out[0]["error_type"] == "BalanceOutOfRange"
    assert out[1]["ok"] is True and out[1]["positions"] == [3]


def test_a_balance_may_come_back_from_the_limit(book: Path, cli: Any) -> None:
    withdraw = {
        "command": "transfer",
        "from_account": "Vault",
        "to_account": "Mint",
        "amount": BIG,
        "booking_date": "2024-01-03",
    }
    status, out, _ = cli("apply", book, stdin=jsonl(*[DEPOSIT] * 10, withdraw, DEPOSIT))
    assert status == 0, out[-2:]
