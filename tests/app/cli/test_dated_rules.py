"""`apply` and the dated rules: the issue's back-dated withdrawal and early deposit, refused
with the days named, appending nothing."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from app.cli.main import main


def apply(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, book: Path, *cmds: Any
) -> list[dict[str, Any]]:
    text = "".join(json.dumps(c) + "\n" for c in cmds)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
    main(["apply", str(book)])
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_a_back_dated_withdrawal_and_an_entry_before_the_opening_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    book = tmp_path / "b.tallybook"
    opened = {"currency": "EUR", "opening_date": "2024-01-01"}
    money = {"account": "Checking", "income_account": "Salary", "booking_date": "2024-02-01"}
    out = apply(
        capsys,
        monkeypatch,
        book,
        {"command": "open_account", "name": "Checking", "account_type": "asset", **opened,
         "overdraft_allowed": False},
        {"command": "open_account", "name": "Salary", "account_type": "income", **opened},
        {"command": "open_account", "name": "Food", "account_type": "expense", **opened},
        {"command": "deposit", "amount": "170.50", **money},
        {"command": "withdraw", "account": "Checking", "expense_account": "Food",
         "amount": "100", "booking_date": "2024-01-02"},
        {"command": "deposit", **money, "amount": "5", "booking_date": "2023-12-30"},
        {"command": "withdraw", "account": "Checking", "expense_account": "Food",
         "amount": "100", "booking_date": "2024-02-01"},
    )  # fmt: skip
    assert [o["ok"] for o in out] == [True, True, True, True, False, False, True]
    assert out[4]["error_type"] == "InsufficientFunds"
    assert out[4]["error"] == (
        "Checking would go to -100.00 EUR on 2024-01-02, 100.00 EUR short, but it does not "
        "allow overdraft (balance that day 0.00 EUR, withdrawal 100.00 EUR)"
    )
    assert out[5]["error_type"] == "OutsideOpenPeriod"
    assert "opened on 2024-01-01" in out[5]["error"] and "dated 2023-12-30" in out[5]["error"]
    assert out[6]["positions"] == [out[3]["positions"][-1] + 1]  # the refusals appended nothing
