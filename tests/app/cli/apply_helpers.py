"""Running ``tallybook-cli`` in-process on books in tmp_path, for the apply tests."""

from __future__ import annotations

import io
import json
import sys
from typing import Any

import pytest

from app.cli.main import main

Answer = dict[str, Any]


def run_cli(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    *argv: object,
    stdin: str | bytes = "",
) -> tuple[int, list[Answer], str]:
    """main(argv) with ``stdin``; returns (exit status, stdout JSON lines, stderr)."""
    data = stdin.encode("utf-8", "surrogatepass") if isinstance(stdin, str) else stdin
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    status = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, [json.loads(line) for line in out.splitlines()], err


def jsonl(*commands: dict[str, Any] | str) -> str:
    """One JSON line per command (a str is taken as the line itself)."""
    return "".join((c if isinstance(c, str) else json.dumps(c)) + "\n" for c in commands)


def open_account(
    name: str, account_type: str = "asset", currency: str = "EUR", **more: Any
) -> Answer:
    return {
        "command": "open_account",
        "name": name,
        "account_type": account_type,
        "currency": currency,
        "opening_date": "2024-01-01",
        **more,
    }
