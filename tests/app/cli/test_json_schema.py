"""The CLI's JSON commands are derived from the registered command dataclasses."""

from __future__ import annotations

import dataclasses
import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli.json_commands import commands_help, json_fields
from domain.application.handlers import COMMANDS
from domain.model.commands import Command, SplitLine


def test_each_command_has_its_dataclass_fields_in_order() -> None:
    for spec in COMMANDS:
        fields = dataclasses.fields(spec.command_type)
        derived = json_fields(spec.command_type)
        assert [f.name for f in derived] == [f.name for f in fields]
        for field, json_field in zip(fields, derived, strict=True):
            has_default = (
                field.default is not dataclasses.MISSING
                or field.default_factory is not dataclasses.MISSING
            )
            assert json_field.required is not has_default, (spec.name, field.name)


def test_account_references_and_only_they_take_a_name() -> None:
    aliases = {
        spec.name: {f.name: f.alias for f in json_fields(spec.command_type) if f.alias}
        for spec in COMMANDS
    }
    assert aliases == {
        # its account_id is the new account's, not a reference; its parent is one
        "open_account": {"parent_id": "parent"},
        "rename_account": {"account_id": "account"},
        "move_account": {"account_id": "account", "new_parent_id": "new_parent"},
        "close_account": {"account_id": "account"},
        "deposit": {"account_id": "account", "income_account_id": "income_account"},
        "withdraw": {"account_id": "account", "expense_account_id": "expense_account"},
        "transfer": {"from_account_id": "from_account", "to_account_id": "to_account"},
        "split": {},
        "void": {},
        "correct": {},
        "import_statement": {"account_id": "account"},
        "undo_import": {},
        "reconcile": {"account_id": "account"},
        "undo": {},
        "redo": {},
    }
    assert [(f.name, f.alias) for f in json_fields(SplitLine)] == [
        ("account_id", "account"),
        ("amount", None),
    ]


def test_help_has_one_line_per_registered_command() -> None:
    lines = commands_help().splitlines()
    assert [line.split(":")[0].strip() for line in lines] == [s.name for s in COMMANDS]
    assert "  void: [command_id], entry_id, voided_on, [reason]" in lines


@dataclasses.dataclass(frozen=True, kw_only=True)
class Reschedule(Command):
    """A command with a field type JSON has no conversion for."""

    at: dt.datetime


def test_a_field_type_without_a_json_conversion_is_named() -> None:
    with pytest.raises(TypeError, match="no JSON conversion for at: "):
        json_fields(Reschedule)


def test_the_cli_loads_no_qt() -> None:
    # the CLI runs where no display (or no Qt at all) is installed: neither importing it nor
    # its --help may import PySide6
    script = (
        "import sys, contextlib, io\n"
        "import app.cli, app.cli.main\n"
        "for name in app.cli.main._ACTIONS:  # each action's module, imported as it runs\n"
        "    app.cli.main.action(name)\n"
        "for argv in (['--help'], ['apply', '--help']):\n"
        "    with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        "        app.cli.main.main(argv)\n"
        "qt = sorted(m for m in sys.modules if m.split('.')[0] == 'PySide6')\n"
        "print(qt or 'no qt')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).parents[3],
    )
    assert done.stdout.strip() == "no qt", done.stdout
