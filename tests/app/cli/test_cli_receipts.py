"""``verify --write-receipt`` and ``verify --receipt``: a receipt written by one verify
exposes a chain recomputed with raw SQL afterwards, while a plain verify says OK."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from book_damage import rechain_from

from app.cli.main import main


@pytest.fixture
def book(tmp_path: Path) -> Path:
    path = tmp_path / "book.tallybook"
    assert main(["new", str(path), "--template", "household", "--date", "2026-11-01",
                 "--balance", "Checking=2400"]) == 0  # fmt: skip
    return path


def cli(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, Any, str]:
    capsys.readouterr()
    status = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, json.loads(out) if out else None, err


def test_a_written_receipt_holds_then_exposes_a_recomputed_chain(
    capsys: pytest.CaptureFixture[str], book: Path, tmp_path: Path
) -> None:
    receipt = tmp_path / "receipt.json"
    status, out, _ = cli(capsys, "verify", book, "--write-receipt", receipt)
    assert status == 0 and out["written_to"] == str(receipt)
    saved = json.loads(receipt.read_text())
    assert saved["head_position"] == out["events"] and len(saved["head_hash"]) == 64
    status, out, _ = cli(capsys, "verify", book, "--receipt", receipt)
    assert (status, out["ok"], out["outcome"]) == (0, True, "holds")
    rechain_from(book, 2)
    assert cli(capsys, "verify", book)[1]["ok"] is True  # the chain alone cannot tell
    status, out, _ = cli(capsys, "verify", book, "--receipt", receipt)
    assert (status, out["ok"], out["outcome"]) == (1, False, "differs")
    assert "rewritten" in out["message"]


@pytest.mark.parametrize("text", ["", "{", '{"tallybook_receipt": 1}'])
def test_a_malformed_receipt_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], book: Path, tmp_path: Path, text: str
) -> None:
    receipt = tmp_path / "bad.json"
    receipt.write_text(text)
    status, out, err = cli(capsys, "verify", book, "--receipt", receipt)
    assert (status, out) == (2, None)
    assert err.startswith(f"tallybook-cli: {receipt}: ") and err.count("\n") == 1, err


def test_a_missing_receipt_file_is_named(
    capsys: pytest.CaptureFixture[str], book: Path, tmp_path: Path
) -> None:
    status, _, err = cli(capsys, "verify", book, "--receipt", tmp_path / "none.json")
    assert status == 2 and "cannot read the receipt" in err and "Traceback" not in err
