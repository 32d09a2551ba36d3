"""An import checks the statement's closing balance against the books, and says so."""

from __future__ import annotations

from pathlib import Path

from test_cli_import import Cli, book, cli, parsers, statement_file

__all__ = ["book", "cli", "parsers"]  # the fixtures


def test_a_closing_balance_the_books_do_not_reach_is_named_with_its_date_and_difference(
    parsers: None, tmp_path: Path, book: Path, cli: Cli
) -> None:
    # the fake statement closes at 75.00 on 2024-03-05: 100 - 10 leaves 90
    path = statement_file(tmp_path, "2024-03-02;-10.00;Shop;")
    status, [answer], _ = cli("import", book, path, "--account", "Checking")
    assert status == 0 and answer["new"] == 1
    assert answer["balance_mismatches"] == [
        {"on": "2024-03-05", "statement": "75.00", "books": "90.00", "difference": "-15.00"}
    ]
    _, history, _ = cli("history", book, "--from", answer["positions"][0], "--limit", 1)
    assert (
        "MISMATCH on 2024-03-05: the books say 90.00 EUR, a difference of -15.00 EUR"
        in (history[0]["summary"])
    )


def test_a_closing_balance_the_books_reach_is_no_mismatch(
    parsers: None, tmp_path: Path, book: Path, cli: Cli
) -> None:
    path = statement_file(tmp_path, "2024-03-02;-25.00;Shop;")
    status, [answer], _ = cli("import", book, path, "--account", "Checking", "--dry-run")
    assert status == 0 and answer["balance_mismatches"] == []
