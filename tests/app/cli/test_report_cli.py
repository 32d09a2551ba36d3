"""``tallybook-cli report`` on real books in tmp_path: the 2015 income statement as known at
the end of January 2016, before a back-dated receipt and a void, next to the one known now."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from apply_helpers import Answer, jsonl, open_account, run_cli

KINDS = ("balance-sheet", "income-statement", "spending", "cash-flow", "net-worth")


def _book(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], path: Path
) -> list[Answer]:
    commands: list[dict[str, Any]] = [
        open_account("Checking", opening_balance="100.00", opening_date="2015-01-01"),
        open_account("Salary", "income", opening_date="2015-01-01"),
        open_account("Rent", "expense", opening_date="2015-01-01"),
        open_account("Card", "liability", opening_date="2015-01-01"),
        {"command": "deposit", "account": "Checking", "income_account": "Salary",
         "amount": "3000.00", "booking_date": "2015-06-30"},
        {"command": "withdraw", "account": "Checking", "expense_account": "Rent",
         "amount": "1200.00", "booking_date": "2015-07-01"},
        {"command": "transfer", "from_account": "Card", "to_account": "Rent",
         "amount": "50.00", "booking_date": "2015-09-01"},
    ]  # fmt: skip
    status, answers, err = run_cli(monkeypatch, capsys, "apply", path, stdin=jsonl(*commands))
    assert status == 0, (answers, err)
    return answers


def _later(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], path: Path, rent_entry: str
) -> None:
    """In 2016: a back-dated 2015 receipt, a 2016 one, and the 2015 rent voided."""
    later: list[dict[str, Any]] = [
        {"command": "deposit", "account": "Checking", "income_account": "Salary",
         "amount": "400.00", "booking_date": "2015-12-20", "payee": "late invoice"},
        {"command": "deposit", "account": "Checking", "income_account": "Salary",
         "amount": "999.00", "booking_date": "2016-02-01"},
        {"command": "void", "entry_id": rent_entry, "voided_on": "2015-07-01"},
    ]  # fmt: skip
    status, answers, err = run_cli(monkeypatch, capsys, "apply", path, stdin=jsonl(*later))
    assert status == 0, (answers, err)


def _lines(report: dict[str, Any]) -> dict[str, str]:
    return {line["name"]: line["amount"] for s in report["sections"] for line in s["lines"]}


def test_income_statement_2015_as_known_before_a_back_dated_entry_next_to_now(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "club.tally"
    answers = _book(monkeypatch, capsys, path)
    then = answers[-1]["positions"][-1]
    rent_entry = answers[5]["ids"]["entry_id"]
    _later(monkeypatch, capsys, path, rent_entry)
    argv = ("report", path, "income-statement", "--from", "2015-01-01", "--to", "2015-12-31")
    status, (out,), _ = run_cli(monkeypatch, capsys, *argv, "--known-at", then, "--compare-now")
    assert status == 0
    assert out["known_at"] == then and out["from"] == "2015-01-01"
    assert _lines(out) == {"Salary": "3000.00", "Rent": "1250.00"}
    assert out["checks"] == {"EUR": "1750.00"}
    assert _lines(out["now"]) == {"Salary": "3400.00", "Rent": "50.00"}
    assert out["now"]["checks"] == {"EUR": "3350.00"}
    diff = {d["id"]: d["difference"] for d in out["difference"]}
    ids = {line["name"]: line["id"] for s in out["sections"] for line in s["lines"]}
    assert diff == {ids["Salary"]: "400.00", ids["Rent"]: "-1200.00"}
    assert {d["name"] for d in out["difference"]} == {"Salary", "Rent"}
    # the 2016 receipt is not behind the 2015 difference; the back-dated one and the void are
    assert [c["type"] for c in out["changes"]] == ["EntryPosted", "EntryVoided"]
    assert out["changes_total"] == 2 and all(c["position"] > then for c in out["changes"])


def test_known_at_takes_a_recording_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "b.tally"
    _book(monkeypatch, capsys, path)
    _, events, _ = run_cli(monkeypatch, capsys, "history", path)
    head = events[-1]["position"]
    middle = events[len(events) // 2]
    distinct = [e for e in events if e["recorded_at"] == middle["recorded_at"]][-1]["position"]
    for when, expected in (
        (middle["recorded_at"], distinct),
        ("2000-01-01", 0),
        ("2999-01-01T00:00", head),
    ):
        status, (out,), _ = run_cli(
            monkeypatch, capsys, "report", path, "balance-sheet", "--known-at", when
        )
        assert status == 0 and out["known_at"] == expected, when
    status, (out,), _ = run_cli(
        monkeypatch, capsys, "report", path, "balance-sheet", "--date", "2015-12-31"
    )
    assert out["balanced"] is True and out["checks"] == {"EUR": "0.00"}
    assert _lines(out)["Checking"] == "1900.00" and _lines(out)["Card"] == "50.00"


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_prints_one_json_object(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    path = tmp_path / "b.tally"
    _book(monkeypatch, capsys, path)
    dates = (
        ("--date", "2015-12-31")
        if kind == "balance-sheet"
        else ("--from", "2015-01-01", "--to", "2015-12-31")
    )
    status, answers, err = run_cli(
        monkeypatch, capsys, "report", path, kind, *dates, "--compare-now"
    )
    assert status == 0 and err == "" and len(answers) == 1
    assert answers[0]["difference"] == [] and answers[0]["changes"] == []


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("balance-sheet", "--from", "2015-01-01"), "balance-sheet takes --date"),
        (("spending", "--date", "2015-01-01"), "spending takes --from/--to"),
        (("cash-flow", "--from", "2016-01-01", "--to", "2015-01-01"), "is after --to"),
        (("balance-sheet", "--known-at", "99"), "--known-at 99 is outside 0..9"),
        (("balance-sheet", "--known-at", "yesterday"), "must be a position or an ISO date-time"),
        (("net-worth", "--compare-previous"), "--compare-previous is for income-statement"),
        (("profit",), "invalid choice"),
        (("cash-flow", "--account", "Nowhere"), "no account has this id or name"),
        (("cash-flow", "--account", "Card"), "is not an asset account"),
        (("spending", "--account", "Checking"), "--account is for cash-flow only"),
        (("balance-sheet", "--step", "day"), "--step is for net-worth only"),
    ],
)
def test_bad_arguments_say_so_in_one_line_and_exit_1(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: tuple[str, ...],
    message: str,
) -> None:
    path = tmp_path / "b.tally"
    _book(monkeypatch, capsys, path)
    try:
        status, answers, err = run_cli(monkeypatch, capsys, "report", path, *argv)
    except SystemExit as exc:  # argparse's own usage errors
        status, answers, err = int(str(exc.code)), [], capsys.readouterr().err
    assert status == 1 and answers == []
    assert message in err and err.strip().splitlines()[-1].count("\n") == 0


def test_a_file_that_is_no_book_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("hello")
    status, answers, err = run_cli(monkeypatch, capsys, "report", notes, "balance-sheet")
    assert status == 2 and answers == [] and len(err.strip().splitlines()) == 1


def _section(report: dict[str, Any], name: str) -> dict[str, str]:
    (section,) = [s for s in report["sections"] if s["name"] == name]
    return {line["name"]: line["amount"] for line in section["lines"]}


def test_net_worth_by_day_has_a_point_on_every_day(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "b.tally"
    _book(monkeypatch, capsys, path)
    status, answers, err = run_cli(monkeypatch, capsys, "report", path, "net-worth", "--from",
                                   "2015-06-29", "--to", "2015-07-01", "--step", "day")  # fmt: skip
    assert status == 0 and err == ""
    (out,) = answers
    assert out["step"] == "day"
    assert [s["name"] for s in out["sections"]] == ["2015-06-29", "2015-06-30", "2015-07-01"]
    assert [s["totals"]["EUR"] for s in out["sections"]] == ["100.00", "3100.00", "1900.00"]
    status, answers, _ = run_cli(monkeypatch, capsys, "report", path, "net-worth", "--from",
                                 "2015-06-01", "--to", "2015-09-30")  # fmt: skip
    assert answers[0]["step"] == "month"
    assert [s["totals"]["EUR"] for s in answers[0]["sections"]] == [
        "3100.00", "1900.00", "1900.00", "1850.00"]  # fmt: skip


def test_cash_flow_of_one_asset_account_by_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "b.tally"
    _book(monkeypatch, capsys, path)
    period = ("--from", "2015-06-01", "--to", "2015-09-30")
    status, answers, err = run_cli(
        monkeypatch, capsys, "report", path, "cash-flow", *period, "--account", "Checking"
    )
    assert status == 0 and err == ""
    (out,) = answers
    assert out["account"] is not None
    assert _section(out, "2015-06") == {"in": "3000.00", "out": "0.00"}
    assert _section(out, "2015-07") == {"in": "0.00", "out": "-1200.00"}
    assert _section(out, "2015-09") == {"in": "0.00", "out": "0.00"}  # the card paid that
