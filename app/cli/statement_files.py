"""Reading a statement file for ``tallybook-cli import``: the one place the CLI meets the
parsers (``app.statements``), imported lazily so that a Tallybook without them still runs
every other action and says plainly that it cannot read statements yet."""

from __future__ import annotations

import importlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from domain.model.statements import Statement


class StatementUnreadable(Exception):
    """The file cannot be read as a statement (one line saying why: exit status 1)."""


@dataclass(frozen=True)
class ReadStatements:
    """What a file held, and the CSV mapping it was read with (as ``--profile`` takes it)."""

    statements: list[Statement]
    mapping: dict[str, Any] | None = None
    notes: list[str] = field(default_factory=list)


def read_profile(path: Path) -> dict[str, Any]:
    """A CSV mapping saved as JSON (the ``mapping`` of an earlier answer)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise StatementUnreadable(f"{path}: {exc.strerror or exc}") from exc
    except (UnicodeDecodeError, ValueError) as exc:
        raise StatementUnreadable(f"{path}: not a JSON CSV profile: {exc}") from exc
    if not isinstance(data, dict):
        raise StatementUnreadable(f"{path}: a CSV profile is a JSON object")
    return data


def read_statements(
    data: bytes, *, file_name: str, format: str | None, profile: dict[str, Any] | None
) -> ReadStatements:
    """The statements in ``data``, by the parsers; StatementUnreadable for a file they refuse
    (or when this Tallybook has no parsers)."""
    try:
        parsers: Any = importlib.import_module("app.statements")  # the parsers' entry point
    except ImportError:
        raise StatementUnreadable(
            "reading statement files is not supported yet in this Tallybook (no app.statements)"
        ) from None
    try:
        chosen = parsers.CsvProfile.from_json(profile) if profile is not None else None
        statements = parsers.parse_statements(
            data, file_name=file_name, format=format, profile=chosen
        )
    except ValueError as exc:  # StatementFileError, and a profile that is none
        raise StatementUnreadable(str(exc)) from exc
    notes = [note for statement in statements for note in statement.notes]
    mapping = None
    if statements and statements[0].format == "csv":
        mapping = chosen.to_json() if chosen is not None else _detected(parsers, data)
    return ReadStatements(statements, mapping, notes)


def _detected(parsers: Any, data: bytes) -> dict[str, Any] | None:
    """The mapping the parsers detect for a CSV file (None if they cannot say)."""
    detect = getattr(parsers, "detect_csv_profile", None)  # -> (profile, notes)
    if detect is None:
        return None
    try:
        mapping: dict[str, Any] = detect(data)[0].to_json()
    except ValueError:  # read as a CSV, yet no mapping to show: say none rather than fail
        return None
    return mapping
