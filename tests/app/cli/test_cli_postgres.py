"""Every tallybook-cli action takes a postgresql:// address where it takes a book file."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from test_cli import DEPOSIT, OPEN, RENT, balances, cli, lines

from app.composition import default_author

pytest.importorskip("psycopg")
__all__ = ["cli"]  # the fixture, imported


def test_apply_balances_history_verify_on_a_shared_book(pg_url: str, cli: Any) -> None:
    book = f"{pg_url}&book=household"
    status, out, err = cli("apply", book, stdin=lines(*OPEN, DEPOSIT))
    assert status == 0, err
    assert all(line["ok"] for line in out)
    first = balances(cli, book)
    # a second client writes; the first one's local read models catch up on the next open
    status, _, err = cli("apply", book, stdin=lines(RENT))
    assert status == 0, err
    after = balances(cli, book)
    assert Decimal(first["Checking"]) - Decimal(after["Checking"]) == Decimal("900.50")
    assert after["Rent"] == "900.50" and first["Rent"] == "0.00"
    status, history, err = cli("history", book)
    assert status == 0, err
    assert [e["position"] for e in history] == list(range(1, len(history) + 1))
    assert history[-1]["summary"]
    author = history[-1]["metadata"]["author"]  # the database role and the OS user
    assert author == f"postgres ({default_author()})"
    status, report, err = cli("verify", book)
    assert status == 0, err
    assert report[0]["ok"] and report[0]["events"] == len(history)
    status, old, _ = cli("balances", book, "--as-of", 1)
    assert status == 0 and old[0]["as_of"] == 1


def test_a_shared_book_that_is_not_there_is_unusable(pg_url: str, cli: Any) -> None:
    status, out, err = cli("balances", f"{pg_url}&book=missing")
    assert status == 2 and out == []
    assert "holds no Tallybook book" in err and err.count("\n") == 1


def test_an_unreachable_server_is_one_line(cli: Any, tmp_path: Any) -> None:
    status, out, err = cli("balances", f"postgresql://nobody@/db?host={tmp_path}")
    assert status == 2 and out == []
    assert "cannot be reached" in err and err.count("\n") == 1


def test_a_bad_book_name_is_one_line(pg_url: str, cli: Any) -> None:
    status, _, err = cli("verify", f"{pg_url}&book=Bad-Name")
    assert status == 2
    assert "book='Bad-Name'" in err and err.count("\n") == 1


def test_generate_on_a_shared_book_counts_its_accounts(pg_url: str, cli: Any) -> None:
    book = f"{pg_url}&book=sample"
    args = ("generate", book, "--accounts", 8, "--commands", 20, "--seed", 1)
    status, out, err = cli(*args)
    assert status == 0, err
    assert out[0]["accounts"] == 9 and out[0]["commands"] == 20  # Opening Balances too
