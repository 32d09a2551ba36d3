"""``import`` finds the other side of a transfer imported from another account's statement,
and ``--accept-matches`` makes the two one transfer instead of posting a second entry."""

from __future__ import annotations

from pathlib import Path

from apply_helpers import jsonl, open_account
from test_cli_import import Cli, balances, book, cli, parsers, statement_file

__all__ = ["book", "cli", "parsers"]  # the fixtures


def checking_side(cli: Cli, book: Path, tmp_path: Path) -> dict[str, object]:
    status, _, _ = cli("apply", book, stdin=jsonl(open_account("Savings")))
    assert status == 0
    path = statement_file(tmp_path, "2024-03-02;-40.00;To savings;C1", name="checking.csv")
    status, [answer], _ = cli("import", book, path, "--account", "Checking")
    assert status == 0 and answer["new"] == 1
    return answer  # type: ignore[no-any-return]


def savings_file(tmp_path: Path) -> Path:
    return statement_file(tmp_path, "2024-03-04;40.00;From checking;S1", name="savings.csv")


def test_the_other_side_is_listed_and_kept_apart_without_accept(
    parsers: None, tmp_path: Path, book: Path, cli: Cli
) -> None:
    first = checking_side(cli, book, tmp_path)
    status, [answer], _ = cli("import", book, savings_file(tmp_path), "--account", "Savings")
    assert status == 0 and answer["new"] == 1
    [match] = answer["possible_matches"]
    assert (match["line"], match["entry_id"]) == (2, f"{first['import_id']}-1")
    assert match["kind"] == "other side of a transfer" and match["amount"] == "-40.00"
    assert balances(cli, book)["Uncategorised"] == "0.00"  # 40 in, 40 out: two entries


def test_accept_matches_makes_one_transfer_and_undo_keeps_it(
    parsers: None, tmp_path: Path, book: Path, cli: Cli
) -> None:
    first = checking_side(cli, book, tmp_path)
    status, [answer], _ = cli(
        "import", book, savings_file(tmp_path), "--account", "Savings", "--accept-matches"
    )
    assert status == 0 and answer["new"] == 1 and answer["possible_matches"] == []
    assert answer["replaced"] == [
        {"entry_id": f"{first['import_id']}-1", "by": f"{answer['import_id']}-1"}
    ]
    money = balances(cli, book)
    assert (money["Checking"], money["Savings"], money["Uncategorised"]) == (
        "60.00", "40.00", "0.00",
    )  # fmt: skip
    _, history, _ = cli("history", book, "--from", answer["positions"][0])
    assert [h["type"] for h in history] == ["StatementImported", "EntryVoided", "EntryPosted"]
    status, [again], _ = cli("import", book, savings_file(tmp_path), "--account", "Savings")
    assert again["new"] == 0 and again["positions"] == []
    status, [undone], _ = cli("undo-import", book, answer["import_id"])
    assert status == 0 and undone["voided"] == []
    assert "correct it by hand" in undone["kept"][0]["reason"]
    assert balances(cli, book)["Savings"] == "40.00"
