"""``tallybook-cli undo [--redo]``: the CLI's own last change taken back, and given back."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from app.cli.main import main
from app.composition import Book
from domain.model.commands import RenameAccount

OPEN = {"command": "open_account", "name": "Checking", "account_type": "asset",
        "currency": "EUR", "opening_balance": "100.00", "opening_date": "2024-01-01"}  # fmt: skip
RENAME = {"command": "rename_account", "account": "Checking", "new_name": "Giro"}


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Any:
    def call(*argv: object, stdin: str = "") -> tuple[int, list[Any]]:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode())))
        status = main([str(a) for a in argv])
        out, _ = capsys.readouterr()
        return status, [json.loads(line) for line in out.splitlines()]

    return call


def names(path: Path) -> set[str]:
    with Book.open(path, readonly=True) as book:
        return {row.name for row in book.read_models.accounts()}


def test_undo_takes_the_last_change_back_and_redo_gives_it_back(cli: Any, tmp_path: Path) -> None:
    path = tmp_path / "b.tallybook"
    stdin = "".join(json.dumps(c) + "\n" for c in (OPEN, RENAME))
    assert cli("apply", path, stdin=stdin)[0] == 0
    status, (undone,) = cli("undo", path)
    assert status == 0 and undone["undid"] == "Rename Checking to Giro"
    assert "Checking" in names(path)
    status, (redone,) = cli("undo", path, "--redo")
    assert status == 0 and redone["redid"] == "Rename Checking to Giro"
    assert "Giro" in names(path)
    status, (refused,) = cli("undo", path, "--redo")
    assert status == 1 and refused["error_type"] == "UndoRefused"


def test_the_apps_changes_are_not_the_clis_to_undo(cli: Any, tmp_path: Path) -> None:
    path = tmp_path / "b.tallybook"
    assert cli("apply", path, stdin=json.dumps(OPEN) + "\n")[0] == 0
    with Book.open(path) as app:  # the desktop app's change, after the CLI's
        account_id = app.service.chart().id_for("Checking")
        assert account_id is not None
        app.service.execute(RenameAccount(account_id=account_id, new_name="Giro"))
    status, (refused,) = cli("undo", path)
    assert status == 1
    assert "a later change, event 4 by" in refused["error"]
    assert refused["error"].endswith("touched Giro")
    assert "Giro" in names(path)
