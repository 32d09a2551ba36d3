"""``tallybook-cli import`` and ``undo-import`` on real book files in tmp_path.

The parsers (``app.statements``) are replaced here by a stand-in reading ``date;amount;payee;
bank id`` lines, so these tests check the command line and the books, not the formats."""

from __future__ import annotations

import datetime as dt
import json
import sys
import types
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from apply_helpers import jsonl, open_account, run_cli

from domain.model.statements import Balance, RowError, Statement, StatementRow

Cli = Any


class FakeProfile:
    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FakeProfile:
        if "delimiter" not in data:
            raise ValueError("not a CSV profile: no delimiter")
        return cls(data)

    def to_json(self) -> dict[str, Any]:
        return dict(self.data)


def fake_parse(
    data: bytes, *, file_name: str = "", format: str | None = None, profile: Any = None
) -> list[Statement]:
    text = data.decode("utf-8")
    if not text.startswith("date;"):
        raise ValueError("not a statement: no header line")
    rows, errors = [], []
    for number, line in enumerate(text.splitlines()[1:], start=2):
        day, amount, payee, bank_id = line.split(";")
        try:
            rows.append(
                StatementRow(
                    line=number, booking_date=dt.date.fromisoformat(day), amount=Decimal(amount),
                    payee=payee, bank_id=bank_id or None, raw=line,
                )
            )  # fmt: skip
        except ValueError:
            errors.append(RowError(number, f"{day!r} is no date"))
    return [
        Statement(
            format=format or "csv", rows=tuple(rows), errors=tuple(errors), currency="EUR",
            closing=Balance(Decimal("75.00"), dt.date(2024, 3, 5)), notes=("read as UTF-8",),
        )
    ]  # fmt: skip


@pytest.fixture
def parsers(monkeypatch: pytest.MonkeyPatch) -> None:
    module = types.ModuleType("app.statements")
    module.parse_statements = fake_parse  # type: ignore[attr-defined]
    module.CsvProfile = FakeProfile  # type: ignore[attr-defined]
    module.detect_csv_profile = lambda data: (FakeProfile({"delimiter": ";"}), ())  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "app.statements", module)


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Cli:
    def call(*argv: object, stdin: str = "") -> tuple[int, list[Any], str]:
        return run_cli(monkeypatch, capsys, *argv, stdin=stdin)

    return call


@pytest.fixture
def book(tmp_path: Path, cli: Cli) -> Path:
    path = tmp_path / "home.tallybook"
    status, _, _ = cli("apply", path, stdin=jsonl(open_account("Checking", opening_balance="100")))
    assert status == 0
    return path


def statement_file(tmp_path: Path, *rows: str, name: str = "march.csv") -> Path:
    path = tmp_path / name
    path.write_text("date;amount;payee;id\n" + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


ROWS = ("2024-03-02;-12.50;Shop;", "2024-03-03;-12.50;Shop;", "2024-03-04;0.00;Fee waived;")


def balances(cli: Cli, book: Path) -> dict[str, str]:
    status, [answer], _ = cli("balances", book)
    assert status == 0
    return {a["name"]: a["balance"] for a in answer["accounts"]}


def test_import_writes_one_change_and_says_what_it_did(
    parsers: None, tmp_path: Path, book: Path, cli: Cli
) -> None:
    status, [answer], err = cli(
        "import", book, statement_file(tmp_path, *ROWS), "--account", "checking"
    )
    assert (status, err) == (0, "")
    assert answer["ok"] and answer["new"] == 2 and answer["rows"] == 3
    assert answer["skipped"] == [{"line": 4, "reason": "a zero amount: nothing to post"}]
    assert answer["duplicates"] == [] and answer["possible_matches"] == []
    assert answer["account"] == "Checking" and answer["format"] == "csv"
    assert answer["period"] == ["2024-03-02", "2024-03-04"]
    assert answer["balances"] == {"closing": {"amount": "75.00", "on": "2024-03-05"}}
    assert answer["mapping"] == {"delimiter": ";"} and answer["notes"] == ["read as UTF-8"]
    assert len(answer["positions"]) == 4  # the import, Uncategorised, two entries
    assert balances(cli, book)["Checking"] == "75.00"
    assert balances(cli, book)["Uncategorised"] == "-25.00"  # equity, in its natural sign
    status, history, _ = cli("history", book, "--from", answer["positions"][0], "--limit", 1)
    assert history[0]["summary"] == (
        "Imported statement march.csv (csv, 2024-03-02 to 2024-03-04): 2 entries, 1 row "
        "skipped; closing balance 75.00 EUR"
    )
    assert {h["metadata"]["command_id"] for h in history} == {answer["command_id"]}


def test_the_same_file_twice_adds_nothing(
    parsers: None, tmp_path: Path, book: Path, cli: Cli
) -> None:
    path = statement_file(tmp_path, *ROWS)
    cli("import", book, path, "--account", "Checking")
    before = book.read_bytes()
    status, [answer], _ = cli("import", book, path, "--account", "Checking")
    assert status == 0 and answer["new"] == 0 and answer["positions"] == []
    assert [d["line"] for d in answer["duplicates"]] == [2, 3]
    assert answer["import_id"] is None
    assert book.read_bytes() == before


def test_dry_run_writes_nothing(parsers: None, tmp_path: Path, book: Path, cli: Cli) -> None:
    before = book.read_bytes()
    status, [answer], _ = cli(
        "import", book, statement_file(tmp_path, *ROWS), "--account", "Checking", "--dry-run"
    )
    assert status == 0 and answer["dry_run"] and answer["new"] == 2
    assert answer["positions"] == [] and answer["import_id"] is None
    assert book.read_bytes() == before


def test_undo_import_voids_its_entries_and_a_second_undo_is_refused(
    parsers: None, tmp_path: Path, book: Path, cli: Cli
) -> None:
    _, [done], _ = cli("import", book, statement_file(tmp_path, *ROWS), "--account", "Checking")
    status, [undone], _ = cli("undo-import", book, done["import_id"])
    assert status == 0
    assert undone["voided"] == [f"{done['import_id']}-1", f"{done['import_id']}-2"]
    assert undone["kept"] == [] and len(undone["positions"]) == 3
    assert balances(cli, book)["Checking"] == "100.00"
    status, [again], _ = cli("undo-import", book, done["import_id"])
    assert (status, again["ok"], again["error_type"]) == (1, False, "ImportAlreadyUndone")
    status, [unknown], _ = cli("undo-import", book, "nope")
    assert (status, unknown["error_type"]) == (1, "UnknownImport")


def test_rows_that_do_not_parse_write_nothing_unless_skipped(
    parsers: None, tmp_path: Path, book: Path, cli: Cli
) -> None:
    path = statement_file(tmp_path, "2024-03-02;-1;Shop;A", "2024-02-31;-2;Shop;B")
    before = book.read_bytes()
    status, [answer], _ = cli("import", book, path, "--account", "Checking")
    assert (status, answer["ok"], answer["error_type"]) == (1, False, "InvalidStatement")
    assert answer["errors"] == [{"line": 3, "message": "'2024-02-31' is no date"}]
    assert "line 3" in answer["error"] and book.read_bytes() == before
    status, [answer], _ = cli("import", book, path, "--account", "Checking", "--skip-bad-rows")
    assert status == 0 and answer["new"] == 1 and len(answer["errors"]) == 1


def test_bad_input_is_one_line_or_one_json_answer(
    parsers: None, tmp_path: Path, book: Path, cli: Cli
) -> None:
    before = book.read_bytes()
    status, out, err = cli("import", book, tmp_path / "missing.csv", "--account", "Checking")
    assert (status, out) == (1, []) and "missing.csv" in err and len(err.splitlines()) == 1
    (tmp_path / "notes.txt").write_text("hello\n")
    status, out, err = cli("import", book, tmp_path / "notes.txt", "--account", "Checking")
    assert (status, out) == (1, []) and "not a statement" in err
    status, [answer], _ = cli(
        "import", book, statement_file(tmp_path, *ROWS), "--account", "Savings"
    )
    assert (status, answer["error_type"]) == (1, "UnknownAccount")
    profile = tmp_path / "profile.json"
    profile.write_text(json.dumps({"encoding": "utf-8"}))
    status, out, err = cli(
        "import",
        book,
        statement_file(tmp_path, *ROWS),
        "--account",
        "Checking",
        "--profile",
        profile,
    )
    assert (status, out) == (1, []) and "no delimiter" in err
    assert book.read_bytes() == before
    status, out, err = cli(
        "import", tmp_path / "nobook", statement_file(tmp_path, *ROWS), "--account", "x"
    )
    assert (status, out) == (2, [])


def test_without_the_parsers_import_says_so_in_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, book: Path, cli: Cli
) -> None:
    monkeypatch.setitem(sys.modules, "app.statements", None)  # import raises ImportError
    status, out, err = cli("import", book, statement_file(tmp_path, *ROWS), "--account", "Checking")
    assert (status, out) == (1, [])
    assert "not supported yet" in err and len(err.splitlines()) == 1


def typed_by_hand(cli: Cli, book: Path) -> str:
    food = open_account("Food", "expense")
    spend = {
        "command": "withdraw", "account": "Checking", "expense_account": "Food",
        "amount": "12.50", "booking_date": "2024-03-01", "payee": "Shop", "entry_id": "hand",
    }  # fmt: skip
    status, _, _ = cli("apply", book, stdin=jsonl(food, spend))
    assert status == 0
    return "hand"


def test_an_entry_typed_by_hand_is_a_possible_match_and_both_are_kept(
    parsers: None, tmp_path: Path, book: Path, cli: Cli
) -> None:
    typed_by_hand(cli, book)
    status, [answer], _ = cli(
        "import", book, statement_file(tmp_path, *ROWS), "--account", "Checking"
    )
    assert status == 0 and answer["new"] == 2 and answer["linked"] == []
    assert [(m["line"], m["entry_id"]) for m in answer["possible_matches"]] == [
        (2, "hand"), (3, "hand"),
    ]  # fmt: skip
    assert answer["possible_matches"][0]["amount"] == "-12.50"
    assert balances(cli, book)["Checking"] == "62.50"


def test_accept_matches_links_the_closest_row_instead_of_posting_it(
    parsers: None, tmp_path: Path, book: Path, cli: Cli
) -> None:
    typed_by_hand(cli, book)
    path = statement_file(tmp_path, *ROWS)
    status, [answer], _ = cli("import", book, path, "--account", "Checking", "--accept-matches")
    assert status == 0 and answer["new"] == 1
    assert answer["linked"] == [{"line": 2, "entry_id": "hand"}]
    assert answer["possible_matches"] == []
    assert balances(cli, book)["Checking"] == "75.00"
    status, [again], _ = cli("import", book, path, "--account", "Checking", "--accept-matches")
    assert again["new"] == 0 and again["linked"] == [] and again["positions"] == []
    status, _, _ = cli("undo-import", book, answer["import_id"])
    assert balances(cli, book)["Checking"] == "87.50"  # the typed entry stays


def test_apply_takes_an_import_statement_line_and_answers_its_import_id(
    book: Path, cli: Cli
) -> None:
    line = {
        "command": "import_statement", "account": "Checking", "file_name": "by-hand.csv",
        "sha256": "00", "format": "csv", "import_id": "imp-by-hand",
        "rows": [{"line": 2, "booking_date": "2024-03-02", "amount": "-5.00", "payee": "Shop"}],
        "balances": [{"kind": "closing", "amount": "95.00", "on": None}],
    }  # fmt: skip
    status, [answer], _ = cli("apply", book, stdin=jsonl(line))
    assert status == 0 and answer["ids"] == {"import_id": "imp-by-hand"}
    assert balances(cli, book)["Checking"] == "95.00"


def test_reconcile_clears_the_open_entries_and_an_undo_then_keeps_them(
    parsers: None, tmp_path: Path, book: Path, cli: Cli
) -> None:
    _, [done], _ = cli("import", book, statement_file(tmp_path, *ROWS), "--account", "Checking")
    status, [wrong], _ = cli(
        "reconcile", book, "--account", "Checking", "--date", "2024-03-02", "--balance", "80"
    )
    assert (status, wrong["error_type"]) == (1, "ReconciliationMismatch")
    assert "difference of -7.50 EUR" in wrong["error"]
    status, [answer], _ = cli(
        "reconcile", book, "--account", "Checking", "--date", "2024-03-02", "--balance", "87.50"
    )
    assert status == 0 and len(answer["cleared"]) == 2  # the opening balance and line 2
    assert f"{done['import_id']}-1" in answer["cleared"]
    _, [undone], _ = cli("undo-import", book, done["import_id"])
    assert undone["voided"] == [f"{done['import_id']}-2"]
    assert undone["kept"] == [
        {
            "entry_id": f"{done['import_id']}-1",
            "reason": "reconciled with the statement of 2024-03-02",
        }
    ]
    assert balances(cli, book)["Checking"] == "87.50"
