"""``import`` proposes each new row's counter-account from the payees of earlier entries,
and books against it with ``--accept-categories``."""

from __future__ import annotations

from pathlib import Path

from apply_helpers import jsonl, open_account
from test_cli_import import Cli, balances, book, cli, parsers, statement_file

__all__ = ["book", "cli", "parsers"]  # the fixtures


def food_and_shop(cli: Cli, book: Path) -> None:
    spend = {
        "command": "withdraw", "account": "Checking", "expense_account": "Food",
        "amount": "3.00", "booking_date": "2024-02-01", "payee": "Shop Berlin", "entry_id": "s",
    }  # fmt: skip
    status, _, _ = cli("apply", book, stdin=jsonl(open_account("Food", "expense"), spend))
    assert status == 0


ROWS = ("2024-03-02;-12.50;SHOP  BERLIN 0042;", "2024-03-03;-7.00;Shop Berlin Mitte;",
        "2024-03-04;-1.00;Bakery;")  # fmt: skip


def test_the_dry_run_proposes_the_counter_account_of_the_same_or_a_similar_payee(
    parsers: None, tmp_path: Path, book: Path, cli: Cli
) -> None:
    food_and_shop(cli, book)
    status, [answer], _ = cli(
        "import", book, statement_file(tmp_path, *ROWS), "--account", "Checking", "--dry-run"
    )
    assert status == 0
    proposed = {p["line"]: p["proposed_category"] for p in answer["proposed_categories"]}
    assert set(proposed) == {2, 3}  # Bakery: nothing like it before
    assert proposed[2]["name"] == "Food" and "'shop berlin'" in proposed[2]["reason"]
    assert proposed[3]["name"] == "Food" and "similar" in proposed[3]["reason"]
    assert not any(p["accepted"] for p in answer["proposed_categories"])


def test_accept_categories_books_against_the_proposals_and_without_it_uncategorised(
    parsers: None, tmp_path: Path, book: Path, cli: Cli
) -> None:
    food_and_shop(cli, book)
    status, [answer], _ = cli(
        "import", book, statement_file(tmp_path, *ROWS), "--account", "Checking",
        "--accept-categories",
    )  # fmt: skip
    assert status == 0 and answer["new"] == 3
    assert all(p["accepted"] for p in answer["proposed_categories"])
    assert balances(cli, book)["Food"] == "22.50"
    assert balances(cli, book)["Uncategorised"] == "-1.00"  # only the bakery
    status, [plain], _ = cli(
        "import", book, statement_file(tmp_path, "2024-03-09;-2.00;Shop Berlin;", name="b.csv"),
        "--account", "Checking",
    )  # fmt: skip
    assert plain["proposed_categories"][0]["proposed_category"]["name"] == "Food"
    assert balances(cli, book)["Uncategorised"] == "-3.00"


def test_an_imported_rows_category_teaches_the_next_import(
    parsers: None, tmp_path: Path, book: Path, cli: Cli
) -> None:
    food_and_shop(cli, book)
    cli("import", book, statement_file(tmp_path, *ROWS), "--account", "Checking")
    # Uncategorised is no category: the latest "shop berlin" entries went there, Food is kept
    _, [answer], _ = cli(
        "import", book, statement_file(tmp_path, "2024-03-09;-2.00;Shop Berlin;", name="b.csv"),
        "--account", "Checking", "--dry-run",
    )  # fmt: skip
    [proposal] = answer["proposed_categories"]
    assert proposal["proposed_category"]["name"] == "Food"
