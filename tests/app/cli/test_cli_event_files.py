"""``export --format events`` and ``import-events``: a book as JSON lines and back, losslessly;
a damaged or cut-off file is refused with the line that is wrong, and leaves no book."""

from __future__ import annotations

import io
import json
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from test_cli import DEPOSIT, OPEN, RENT, cli, lines
from test_cli_copy import _rows

from app.cli.main import main

__all__ = ["cli"]  # the fixture, imported


def _export(capsys: pytest.CaptureFixture[str], book: Path | str) -> str:
    assert main(["export", str(book), "--format", "events"]) == 0
    return capsys.readouterr().out


@pytest.fixture
def exported(tmp_path: Path, cli: Any, capsys: pytest.CaptureFixture[str]) -> tuple[Path, str]:
    book = tmp_path / "a.tallybook"
    retried = dict(RENT, command_id="rent-1")  # a fingerprinted command id, kept in the copy
    assert cli("apply", book, stdin=lines(*OPEN, DEPOSIT, retried))[0] == 0
    return book, _export(capsys, book)


def test_an_exported_book_imports_to_the_same_rows_and_head(
    tmp_path: Path, cli: Any, capsys: pytest.CaptureFixture[str], exported: tuple[Path, str]
) -> None:
    book, text = exported
    header = json.loads(text.splitlines()[0])
    status, out, err = cli("import-events", tmp_path / "b.tallybook", stdin=text)
    assert status == 0, err
    assert out == [{"ok": True, "imported": header["head"]["position"],
                    "head": header["head"], "verified": True}]  # fmt: skip
    assert _rows(tmp_path / "b.tallybook") == _rows(book)
    assert _export(capsys, tmp_path / "b.tallybook") == text
    # the command's fingerprint came along: the same id with other content is still refused
    other = dict(RENT, command_id="rent-1", amount="1.00")
    status, out, _ = cli("apply", tmp_path / "b.tallybook", stdin=lines(other))
    assert status == 1 and out[0]["error_type"] == "CommandIdReused"


def _edit(text: str, line: int, old: str, new: str) -> str:
    rows = text.splitlines(keepends=True)
    assert old in rows[line - 1]
    rows[line - 1] = rows[line - 1].replace(old, new, 1)
    return "".join(rows)


@pytest.mark.parametrize(
    ("damage", "says"),
    [
        (lambda t: "".join(t.splitlines(keepends=True)[:4]), "the file ends before event 4"),
        (lambda t: _edit(t, 2, "Checking", "Chequing"), "do not verify at event 1"),
        (lambda t: _edit(t, 3, '"position": 2', '"position": 3'), "line 3: position 3 where 2"),
        (lambda t: _edit(t, 3, "{", "x{"), "line 3: not JSON"),
        (lambda t: _edit(t, 3, '"hash": "', '"hash": "zz'), "line 3: non-hexadecimal"),
        (
            lambda t: _edit(t, 3, '"stream_version": 1', '"stream_version": true'),
            "line 3: stream_version is not a whole number",
        ),
        (lambda t: _edit(t, 3, '"also_in"', '"also"'), "line 3: not an event (missing also_in)"),
        (
            lambda t: _edit(t, 1, '"tallybook_events": 1', '"tallybook_events": 9'),
            "not a Tallybook events file",
        ),
        (lambda t: t.rsplit("\n", 2)[0] + "\n", "the file ends before the closing line"),
        (lambda t: t + '{"end": true}\n', "text after the closing line"),
        (lambda t: "", "the file ends before the first line"),
        (lambda t: "[1, 2]\n", "line 1: not a JSON object"),
    ],
)
def test_a_damaged_export_is_refused_and_leaves_no_book(
    tmp_path: Path, cli: Any, exported: tuple[Path, str], damage: Any, says: str
) -> None:
    target = tmp_path / "b.tallybook"
    status, out, err = cli("import-events", target, stdin=damage(exported[1]))
    assert status == 1 and out == [] and says in err, err
    assert "Traceback" not in err and len(err.splitlines()) == 1
    assert list(tmp_path.glob("b.tallybook*")) == []


def test_import_into_an_existing_book_is_refused(
    tmp_path: Path, cli: Any, exported: tuple[Path, str]
) -> None:
    book, text = exported
    before = book.read_bytes()
    status, out, err = cli("import-events", book, stdin=text)
    assert status == 2 and out == [] and "imported into a new book only" in err
    assert book.read_bytes() == before


def test_export_needs_a_format(
    capsys: pytest.CaptureFixture[str], exported: tuple[Path, str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["export", str(exported[0])])
    assert exit_.value.code == 1  # wrong arguments, as the CLI's epilog says
    assert "required: --format" in capsys.readouterr().err


def test_a_book_goes_to_postgres_and_back_through_json_lines(
    tmp_path: Path,
    cli: Any,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    exported: tuple[Path, str],
    pg_url: str,
) -> None:
    pytest.importorskip("psycopg")
    book, text = exported
    shared = f"{pg_url}&book=from_lines"
    status, out, err = cli("import-events", shared, stdin=text)
    assert status == 0 and out[0]["verified"], err
    again = _export(capsys, shared)
    assert again == text
    monkeypatch.setattr(sys, "stdin", io.StringIO(again))
    assert main(["import-events", str(tmp_path / "back.tallybook")]) == 0
    assert _rows(tmp_path / "back.tallybook") == _rows(book)


def _readme_checker() -> str:
    readme = (Path(__file__).parents[3] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## File formats", 1)[1]
    return section.split("```python\n", 1)[1].split("```", 1)[0]


def test_the_readmes_hash_check_verifies_a_book_and_finds_an_edit(
    tmp_path: Path, exported: tuple[Path, str]
) -> None:
    """The file format is documented well enough to check a book without Tallybook."""
    book, text = exported
    script = tmp_path / "check.py"
    script.write_text(_readme_checker(), encoding="utf-8")
    head = json.loads(text.splitlines()[0])["head"]
    done = subprocess.run([sys.executable, script, book], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [str(head["position"]), head["hash"]]
    copy = tmp_path / "edited.tallybook"
    copy.write_bytes(book.read_bytes())
    with sqlite3.connect(copy) as conn:  # around the append-only trigger, as an attacker would
        conn.execute("DROP TRIGGER events_no_update")
        conn.execute("UPDATE events SET data = replace(data, '250000', '250001')")
    done = subprocess.run([sys.executable, script, copy], capture_output=True, text=True)
    assert done.returncode == 1 and "does not match its hash" in done.stderr
