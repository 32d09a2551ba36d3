"""Voiding a reconciled entry, or posting into a reconciled period, is marked in the history
as reopening that reconciliation, in the same change."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from apply_helpers import jsonl, open_account
from test_cli_import import ROWS, Cli, book, cli, parsers, statement_file

__all__ = ["book", "cli", "parsers"]  # the fixtures


def reconciled(cli: Cli, book: Path, tmp_path: Path) -> str:
    _, [done], _ = cli("import", book, statement_file(tmp_path, *ROWS), "--account", "Checking")
    status, _, _ = cli(
        "reconcile", book, "--account", "Checking", "--date", "2024-03-02", "--balance", "87.50"
    )
    assert status == 0
    return f"{done['import_id']}-1"


def last_change(cli: Cli, book: Path, answer: dict[str, Any]) -> list[dict[str, Any]]:
    _, history, _ = cli("history", book, "--from", answer["positions"][0])
    return history  # type: ignore[no-any-return]


def test_voiding_a_reconciled_entry_reopens_its_reconciliation(
    parsers: None, tmp_path: Path, book: Path, cli: Cli
) -> None:
    entry_id = reconciled(cli, book, tmp_path)
    void = {"command": "void", "entry_id": entry_id, "voided_on": "2024-03-10"}
    status, [answer], _ = cli("apply", book, stdin=jsonl(void))
    assert status == 0
    history = last_change(cli, book, answer)
    assert [h["type"] for h in history] == ["EntryVoided", "ReconciliationReopened"]
    assert history[1]["summary"] == (
        "Reopened the reconciliation of Checking (statement of 2024-03-02): "
        f"entry {entry_id} voided"
    )
    # the reconciled balance no longer holds the voided entry: 100 reconciles again
    status, [again], _ = cli(
        "reconcile", book, "--account", "Checking", "--date", "2024-03-10", "--balance", "87.50",
        "--entries", f"{entry_id[:-2]}-2",
    )  # fmt: skip
    assert status == 0, again


def test_a_back_dated_entry_reopens_and_a_later_one_does_not(
    parsers: None, tmp_path: Path, book: Path, cli: Cli
) -> None:
    reconciled(cli, book, tmp_path)
    food = open_account("Food", "expense")
    spend = {
        "command": "withdraw", "account": "Checking", "expense_account": "Food",
        "amount": "1.00", "booking_date": "2024-03-01", "payee": "Kiosk", "entry_id": "old",
    }  # fmt: skip
    status, answers, _ = cli("apply", book, stdin=jsonl(food, spend))
    assert status == 0
    history = last_change(cli, book, answers[-1])
    assert [h["type"] for h in history] == ["EntryPosted", "ReconciliationReopened"]
    assert "entry old posted into it" in history[1]["summary"]
    later = {**spend, "booking_date": "2024-03-03", "entry_id": "new"}
    status, [answer], _ = cli("apply", book, stdin=jsonl(later))
    assert [h["type"] for h in last_change(cli, book, answer)] == ["EntryPosted"]
