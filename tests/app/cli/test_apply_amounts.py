"""Amount strings in ``apply``: what extra decimals mean, and one error_type for every amount
that is no decimal (on a real book in tmp_path)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from apply_helpers import jsonl, open_account, run_cli


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Any:
    return lambda *argv, stdin="": run_cli(monkeypatch, capsys, *argv, stdin=stdin)


@pytest.fixture
def book(tmp_path: Path, cli: Any) -> Path:
    path = tmp_path / "amounts.tallybook"
    accounts = [
        open_account("Checking"),
        open_account("Salary", "income"),
        open_account("Yen", currency="JPY"),
        open_account("Yen income", "income", currency="JPY"),
    ]
    status, out, _ = cli("apply", path, stdin=jsonl(*accounts))
    assert status == 0, out
    return path


def deposit(amount: object, account: str = "Checking", income: str = "Salary") -> dict[str, Any]:
    return {
        "command": "deposit",
        "account": account,
        "income_account": income,
        "amount": amount,
        "booking_date": "2024-01-02",
    }


def balance_of(cli: Any, book: Path, name: str) -> str:
    _, out, _ = cli("balances", book)
    return {a["name"]: a["balance"] for a in out[0]["accounts"]}[name]


def test_trailing_zeros_beyond_the_currencys_decimals_are_the_exact_amount(
    book: Path, cli: Any
) -> None:
    status, out, _ = cli(
        "apply", book, stdin=jsonl(deposit("1.000"), deposit("100.0", "Yen", "Yen income"))
    )
    assert status == 0, out
    assert balance_of(cli, book, "Checking") == "1.00"
    assert balance_of(cli, book, "Yen") == "100"


@pytest.mark.parametrize(
    ("amount", "account", "income"),
    [
        ("1.005", "Checking", "Salary"),
        ("100.5", "Yen", "Yen income"),
        ("0.001", "Checking", "Salary"),
    ],
)
def test_a_digit_beyond_the_currencys_decimals_is_refused(
    book: Path, cli: Any, amount: str, account: str, income: str
) -> None:
    status, out, _ = cli("apply", book, stdin=jsonl(deposit(amount, account, income)))
    assert status == 1
    assert out[0]["error_type"] == "InvalidAmount"
    assert "more decimals than" in out[0]["error"]


NOT_DECIMALS = [
    "NaN",
    "nan",
    "1e3",
    "+5",
    "Infinity",
    "-Infinity",
    " 5",
    "5 ",
    "5,00",
    "",
    ".5",
    "5.",
    "1_000",
    "٣",
    "0x10",
    "--5",
    "5-",
]


@pytest.mark.parametrize("amount", NOT_DECIMALS)
def test_an_amount_string_that_is_no_decimal_is_an_invalid_amount(
    book: Path, cli: Any, amount: str
) -> None:
    status, out, _ = cli("apply", book, stdin=jsonl(deposit(amount)))
    assert status == 1
    assert out[0]["error_type"] == "InvalidAmount", out[0]
    assert json.dumps(amount) in out[0]["error"]
    assert balance_of(cli, book, "Checking") == "0.00"


@pytest.mark.parametrize("amount", [12.5, 12, None, ["5"], True])
def test_an_amount_that_is_no_string_is_a_mistyped_field(
    book: Path, cli: Any, amount: object
) -> None:
    status, out, _ = cli("apply", book, stdin=jsonl(deposit(amount)))
    assert status == 1
    assert out[0]["error_type"] == "InvalidCommand"


@pytest.mark.parametrize(
    "amount",
    ["1" * 5000, "-" + "1" * 5000, "0." + "1" * 5000, "1" * 5000 + ".5"],
)
def test_an_amount_thousands_of_digits_long_is_refused_without_quoting_it_back(
    book: Path, cli: Any, amount: str
) -> None:
    status, out, _ = cli("apply", book, stdin=jsonl(deposit(amount)))
    assert status == 1
    assert out[0]["error_type"] == "InvalidAmount"
    assert "characters)" in out[0]["error"] and len(out[0]["error"]) < 200


def test_a_json_number_thousands_of_digits_long_is_refused_without_quoting_it_back(
    book: Path, cli: Any
) -> None:
    line = json.dumps(deposit("1")).replace('"1"', "9" * 4000)
    status, out, _ = cli("apply", book, stdin=jsonl(line))
    assert status == 1
    assert "is a JSON number" in out[0]["error"] and len(out[0]["error"]) < 200
