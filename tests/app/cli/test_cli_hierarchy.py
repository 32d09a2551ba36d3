"""tallybook-cli and the account hierarchy: a parent by name, move_account, paths listed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from test_cli import cli, lines  # noqa: F401  (the fixture)

HOUSING = {"command": "open_account", "name": "Housing", "account_type": "expense",
           "currency": "EUR", "opening_date": "2024-01-01"}  # fmt: skip
RENT = {**HOUSING, "name": "Rent", "parent": "Housing"}
POWER = {**HOUSING, "name": "Power", "parent": "Rent"}


def test_apply_opens_under_a_parent_by_name_and_balances_list_the_paths(
    tmp_path: Path, cli: Any  # noqa: F811
) -> None:
    book = tmp_path / "home.tallybook"
    status, out, err = cli("apply", book, stdin=lines(HOUSING, RENT, POWER))
    assert status == 0, (out, err)
    move = {"command": "move_account", "account": "Power", "new_parent": "Housing"}
    status, out, err = cli("apply", book, stdin=lines(move))
    assert status == 0, (out, err)
    status, out, _ = cli("balances", book)
    paths = {a["name"]: a["path"] for a in out[0]["accounts"]}
    assert paths == {"Housing": "Housing", "Rent": "Housing ▸ Rent", "Power": "Housing ▸ Power"}
    status, out, _ = cli("diff", book, "--from", 3)  # Power was under Rent then
    assert {a["name"]: a["path"] for a in out[0]["accounts"]}["Power"] == "Housing ▸ Power"


def test_a_move_that_makes_a_cycle_is_refused_with_its_reason(
    tmp_path: Path, cli: Any  # noqa: F811
) -> None:
    book = tmp_path / "home.tallybook"
    cli("apply", book, stdin=lines(HOUSING, RENT))
    move = {"command": "move_account", "account": "Housing", "new_parent": "Rent"}
    status, out, err = cli("apply", book, stdin=lines(move))
    assert status != 0
    assert "Housing cannot be put under Rent, which is below it" in str(out) + err
