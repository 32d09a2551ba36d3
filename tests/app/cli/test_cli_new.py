"""``tallybook-cli new``: a book from a template, with opening balances, or a clear refusal."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from apply_helpers import run_cli

from app.book_templates import FREELANCER


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Any:
    def call(*argv: object) -> tuple[int, list[Any], str]:
        return run_cli(monkeypatch, capsys, *argv)

    return call


def test_new_opens_the_templates_accounts_with_their_balances(tmp_path: Path, cli: Any) -> None:
    book = tmp_path / "work.tallybook"
    status, out, err = cli("new", book, "--template", "freelancer", "--currency", "CHF",
                           "--date", "2026-01-01", "--balance", "Business Account=1500.25",
                           "--balance", "VAT Payable=300")  # fmt: skip
    assert status == 0, err
    assert out == [{"ok": True, "template": "freelancer",
                    "accounts": len(FREELANCER.accounts) + 1,
                    "events": len(FREELANCER.accounts) + 1 + 2}]  # fmt: skip
    _, out, _ = cli("balances", book)
    balances = {a["name"]: (a["balance"], a["currency"]) for a in out[0]["accounts"]}
    assert balances["Business Account"] == ("1500.25", "CHF")
    assert balances["VAT Payable"] == ("300.00", "CHF")
    assert balances["Opening Balances"] == ("1200.25", "CHF")
    assert balances["Fees"] == ("0.00", "CHF")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--template", "farm"), "there is no template “farm”"),
        (("--template", "club", "--balance", "Rent=5"), "has no account “Rent”"),
        (("--template", "club", "--balance", "Cash Box"), "--balance takes NAME=AMOUNT"),
        (("--template", "club", "--balance", "Cash Box=1,5"), "--balance takes NAME=AMOUNT"),
        (("--template", "club", "--currency", "EURO"), "EURO"),
    ],
)
def test_bad_arguments_are_refused_before_a_file_is_made(
    tmp_path: Path, cli: Any, args: tuple[str, ...], message: str
) -> None:
    book = tmp_path / "club.tallybook"
    status, out, err = cli("new", book, *args)
    assert status == 1 and out == []
    assert message in err and "Traceback" not in err
    assert not book.exists()


def test_new_refuses_a_book_with_events(tmp_path: Path, cli: Any) -> None:
    book = tmp_path / "club.tallybook"
    assert cli("new", book, "--template", "club")[0] == 0
    status, _, err = cli("new", book, "--template", "household")
    assert status == 1
    assert "already has" in err
