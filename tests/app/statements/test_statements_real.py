"""Every real statement in ../shared/statements parses to exactly its manifest's figures.

The files are other projects' fixtures (see that folder's README); they are read in place, never
copied here. CSV files go through detection: none of them needs a profile.
"""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from app.statements import parse_statements
from domain.model.statements import Balance, Statement

SHARED = Path(__file__).resolve().parents[3] / ".." / "shared" / "statements"
MANIFEST = SHARED / "MANIFEST.json"


def _entries() -> list[dict[str, Any]]:
    if not MANIFEST.is_file():
        return []
    files: list[dict[str, Any]] = json.loads(MANIFEST.read_text(encoding="utf-8"))["files"]
    return files


pytestmark = pytest.mark.skipif(
    not MANIFEST.is_file(), reason=f"no real statements at {SHARED} (a fresh clone has none)"
)


def _manifest_date(text: str | None) -> date | None:
    """``20130525225731.258`` / ``2014-01-05`` / ``20110522`` as a date; prose gives None."""
    if not text:
        return None
    if match := re.match(r"^(\d{4})-?(\d{2})-?(\d{2})", text):
        return date(*map(int, match.groups()))
    return None


def _check_balance(got: Balance | None, amount: str | None, on: str | None, what: str) -> None:
    if amount is None:
        return
    assert got is not None, f"{what}: expected {amount}"
    assert got.amount == Decimal(amount), what
    expected_on = _manifest_date(on)
    if expected_on is not None:
        assert got.on == expected_on, what


def _says_it_does_not_add_up(statement: Statement) -> bool:
    return any(note.startswith("the statement does not add up") for note in statement.notes)


def _total(statements: list[Statement]) -> Decimal:
    return sum((row.amount for s in statements for row in s.rows), Decimal(0))


def test_the_manifest_lists_every_file_in_the_folder() -> None:
    listed = {entry["file"] for entry in _entries()}
    present = {
        str(p.relative_to(SHARED)) for p in SHARED.rglob("*") if p.is_file() and p.parent != SHARED
    }
    assert listed == present


@pytest.mark.parametrize("entry", _entries(), ids=lambda e: e["file"])
def test_a_real_statement_parses_to_its_manifest_figures(entry: dict[str, Any]) -> None:
    path = SHARED / entry["file"]
    statements = parse_statements(path.read_bytes(), file_name=path.name)
    assert all(not s.errors for s in statements), [e.message for s in statements for e in s.errors]
    assert sum(len(s.rows) for s in statements) == entry["transactions"]
    assert _total(statements) == Decimal(entry["sum_of_amounts"])
    parts = entry.get("statements")
    if parts:
        assert len(statements) == len(parts)
        for index, (got, want) in enumerate(zip(statements, parts, strict=True)):
            what = f"statement {index + 1}"
            assert len(got.rows) == want["transactions"], what
            assert _total([got]) == Decimal(want["sum_of_amounts"]), what
            if "currency" in want:
                assert got.currency == want["currency"], what
            if "account" in want:
                assert got.account_hint == want["account"], what
            _check_balance(
                got.opening,
                want.get("opening_balance"),
                want.get("opening_balance_date"),
                what + " opening",
            )
            closing = want.get("closing_balance", want.get("account_B_field"))
            _check_balance(
                got.closing, closing, want.get("closing_balance_date"), what + " closing"
            )
            if "consistent" in want:
                assert _says_it_does_not_add_up(got) == (not want["consistent"]), what
    else:
        assert len(statements) == 1
        _check_balance(
            statements[0].opening,
            entry["opening_balance"],
            entry["opening_balance_date"],
            "opening",
        )
        _check_balance(
            statements[0].closing,
            entry["closing_balance"],
            entry["closing_balance_date"],
            "closing",
        )
        if entry["opening_balance"] is None:
            assert statements[0].opening is None
        if entry["closing_balance"] is None:
            assert statements[0].closing is None
        if statements[0].opening is not None and statements[0].closing is not None:
            inconsistent = entry["balance_check"].startswith("INCONSISTENT")
            assert _says_it_does_not_add_up(statements[0]) == inconsistent
