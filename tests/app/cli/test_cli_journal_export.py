"""``tallybook-cli export --format hledger|csv``: the journal's balances equal ``balances``
for every account and currency, at the head and at an earlier point, voids included."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from apply_helpers import jsonl, open_account, run_cli

from app.cli.main import main

# hledger balances are debit-positive; Tallybook's are in each type's natural sign
SIGN = {"asset": 1, "expense": 1, "liability": -1, "equity": -1, "income": -1}


def _book(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], path: Path) -> int:
    """Awkward names, three currencies (JPY, BHD), a split, a void; returns a middle point."""
    commands: list[dict[str, Any]] = [
        open_account("Checking", opening_balance="100.00"),
        open_account("=SUM(A1)", "income"),
        open_account("Food: Out;  late", "expense"),
        open_account("Food - Out - late", "expense"),
        open_account("Yen Wallet", currency="JPY", opening_balance="5000"),
        open_account("Yen Fees", "expense", currency="JPY"),
        open_account("Dinar", currency="BHD", opening_balance="1.250"),
        open_account("Card", "liability"),
        open_account("(Savings)", opening_balance="1.00"),
        {"command": "deposit", "account": "Checking", "income_account": "=SUM(A1)",
         "amount": "1000.00", "booking_date": "2024-02-01", "payee": "=HYPERLINK(\"x\")"},
        {"command": "withdraw", "account": "Checking", "expense_account": "Food: Out;  late",
         "amount": "12.50", "booking_date": "2024-02-02", "payee": "-minus sign",
         "memo": "two  spaces; and a semicolon"},
        {"command": "withdraw", "account": "Yen Wallet", "expense_account": "Yen Fees",
         "amount": "300", "booking_date": "2024-02-03"},
        {"command": "transfer", "from_account": "Card", "to_account": "Food - Out - late",
         "amount": "40.00", "booking_date": "2024-02-04"},
    ]  # fmt: skip
    status, answers, err = run_cli(monkeypatch, capsys, "apply", path, stdin=jsonl(*commands))
    assert status == 0, [a for a in answers if not a["ok"]]
    middle = int(answers[-1]["positions"][-1])
    void = {"command": "void", "entry_id": answers[10]["ids"]["entry_id"],
            "voided_on": "2024-03-01"}  # fmt: skip
    status, answers, err = run_cli(monkeypatch, capsys, "apply", path, stdin=jsonl(void))
    assert status == 0, (answers, err)
    return middle


def _export(capsys: pytest.CaptureFixture[str], *argv: object) -> str:
    status = main(["export", *(str(a) for a in argv)])
    out, err = capsys.readouterr()
    assert status == 0, err
    return out


def _balances(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], path: Path, *more: object
) -> dict[str, tuple[Decimal, str]]:
    """hledger account name -> (debit-positive balance, currency), from ``balances``."""
    status, answers, err = run_cli(monkeypatch, capsys, "balances", path, *more)
    assert status == 0, err
    return {a["id"]: (SIGN[a["type"]] * Decimal(a["balance"]), a["currency"])
            for a in answers[0]["accounts"]}  # fmt: skip


_POSTING = re.compile(r"^    (\S.*?)  +(-?\d+(?:\.\d+)?) ([A-Z]{3})$")
_DECLARED = re.compile(r"^account (\S.*?)  ; id: (\S+)$")


def _parse(journal: str) -> tuple[dict[str, str], dict[str, tuple[Decimal, str]]]:
    """A small journal reader: (account id -> name, name -> summed amount and currency).
    Every transaction must balance per currency."""
    ids: dict[str, str] = {}
    sums: dict[str, tuple[Decimal, str]] = {}
    transaction: dict[str, Decimal] = {}
    for line in [*journal.splitlines(), ""]:
        if declared := _DECLARED.match(line):
            ids[declared.group(2)] = declared.group(1)
        elif posting := _POSTING.match(line):
            name, amount, currency = posting.group(1), Decimal(posting.group(2)), posting.group(3)
            total = sums.get(name, (Decimal(0), currency))[0]
            sums[name] = (total + amount, currency)
            transaction[currency] = transaction.get(currency, Decimal(0)) + amount
        elif not line.strip():
            assert all(v == 0 for v in transaction.values()), transaction
            transaction = {}
    return ids, sums


@pytest.mark.parametrize("at_middle", [False, True])
def test_the_journal_adds_up_to_the_balances_in_every_currency(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    at_middle: bool,
) -> None:  # fmt: skip
    path = tmp_path / "awkward.tallybook"
    middle = _book(monkeypatch, capsys, path)
    more = ("--as-of", middle) if at_middle else ()
    journal = _export(capsys, path, "--format", "hledger", *more)
    expected = _balances(monkeypatch, capsys, path, *more)
    ids, sums = _parse(journal)
    assert set(ids) == set(expected)
    for account_id, (amount, currency) in expected.items():
        assert sums.get(ids[account_id], (Decimal(0), currency)) == (amount, currency)
    assert len(set(ids.values())) == len(ids)  # "Food: Out;  late" is not merged
    assert ("Void: " in journal) is not at_middle


def test_hledger_itself_reads_the_journal_and_agrees(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    hledger = shutil.which("hledger")
    if hledger is None:
        pytest.skip("hledger is not installed (apt-get install hledger)")
    path = tmp_path / "awkward.tallybook"
    _book(monkeypatch, capsys, path)
    journal = tmp_path / "books.journal"
    journal.write_text(_export(capsys, path, "--format", "hledger"), encoding="utf-8")
    expected = _balances(monkeypatch, capsys, path)
    ids, _ = _parse(journal.read_text(encoding="utf-8"))
    run = subprocess.run([hledger, "-f", str(journal), "balance", "--flat", "-E", "-N",
                          "-O", "csv"], capture_output=True, text=True, timeout=60)  # fmt: skip
    assert run.returncode == 0, run.stderr
    shown = {row[0]: row[1] for row in csv.reader(io.StringIO(run.stdout)) if row[0] != "account"}
    for account_id, (amount, currency) in expected.items():
        number, code = shown[ids[account_id]].split(" ") if amount else ("0", currency)
        assert (Decimal(number), code) == (amount, currency), ids[account_id]


def test_the_register_csv_of_one_account_runs_to_its_balance_with_safe_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "awkward.tallybook"
    _book(monkeypatch, capsys, path)
    rows = list(csv.DictReader(io.StringIO(_export(capsys, path, "--format", "csv",
                                                   "--account", "Checking"))))  # fmt: skip
    assert [r["amount"] for r in rows] == ["100.00", "1000.00", "-12.50", "12.50"]
    assert rows[-1]["balance"] == "1100.00" and rows[-1]["void"] == "void"
    assert rows[1]["payee"] == "'=HYPERLINK(\"x\")"
    assert rows[2]["payee"] == "'-minus sign"
    every = list(csv.DictReader(io.StringIO(_export(capsys, path, "--format", "csv"))))
    assert {r["account"] for r in every} >= {"'=SUM(A1)", "Checking", "Card"}
    wallet = [Decimal(r["amount"]) for r in every if r["account"] == "Yen Wallet"]
    assert wallet == [Decimal(5000), Decimal(-300)]  # natural sign, JPY without decimals


def test_bad_export_arguments_say_what_is_wrong(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "awkward.tallybook"
    _book(monkeypatch, capsys, path)
    for argv, message in [
        (("--format", "hledger", "--as-of", "999"), "--as-of 999 is outside 0..21"),
        (("--format", "csv", "--account", "Nope"), "no account 'Nope'"),
        (("--format", "hledger", "--account", "Checking"), "--account is for --format csv"),
        (("--format", "events", "--as-of", "3"), "are for --format hledger and csv"),
    ]:
        assert main(["export", str(path), *argv]) == 1
        assert message in capsys.readouterr().err


def test_report_csv_has_plain_numbers_and_safe_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "awkward.tallybook"
    middle = _book(monkeypatch, capsys, path)
    status = main(["report", str(path), "income-statement", "--from", "2024-01-01",
                   "--to", "2024-12-31", "--known-at", str(middle), "--compare-now", "--csv"])
    out, err = capsys.readouterr()
    assert status == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    food = next(r for r in rows if r["line"] == "Food: Out;  late")
    assert (food["amount"], food["now"], food["difference"]) == ("12.50", "0.00", "-12.50")
    income = next(r for r in rows if r["account_id"] and r["section"] == "Income")
    assert income["line"] == "'=SUM(A1)" and income["amount"] == "1000.00"
    assert [r["kind"] for r in rows].count("check") == 2  # EUR and JPY
