"""tallybook-cli on damaged and tampered books: verify names the position, every other
action refuses with one line (exit 2) and leaves the file as it was."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from book_damage import (
    forge_appended,
    forge_chained_insert,
    garble_middle_leaf,
    rechain_from,
    tamper,
)

from app.cli.main import main
from domain.model.chart import STREAM_ID as CHART
from domain.projections.location import ENV_DIR

DEPOSIT = {
    "command": "deposit",
    "account": "Checking",
    "income_account": "Salary",
    "amount": "1.00",
    "booking_date": "2024-05-01",
}
DEPOSIT_LINE = json.dumps(DEPOSIT) + "\n"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("generated") / "base.tallybook"
    assert main(["generate", str(path), "--commands", "600"]) == 0
    return path


@pytest.fixture
def book(generated: Path, tmp_path: Path) -> Path:
    path = tmp_path / "book.tallybook"
    shutil.copyfile(generated, path)
    return path


def run(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    *argv: str | Path,
    stdin: str = "",
) -> tuple[int, list[Any], str]:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode())))
    capsys.readouterr()
    status = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, [json.loads(line) for line in out.splitlines()], err


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Any:
    def call(*argv: str | Path, stdin: str = "") -> tuple[int, list[Any], str]:
        return run(capsys, monkeypatch, *argv, stdin=stdin)

    return call


def assert_refused(cli: Any, book: Path, action: str, position: int | None, problem: str) -> None:
    """``action`` exits 2 with one line naming the break, and leaves the book as it was."""
    before = book.read_bytes()
    status, out, err = cli(action, book, stdin=DEPOSIT_LINE)
    where = "" if position is None else f" at position {position}"
    assert (status, out) == (2, []), err
    assert err.startswith(f"tallybook-cli: the book's history is broken{where}: {problem}"), err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert book.read_bytes() == before


def verify_json(cli: Any, book: Path, *more: str) -> tuple[int, dict[str, Any]]:
    status, out, err = cli("verify", book, *more)
    assert len(out) == 1 and err == ""
    return status, out[0]


# ---------------------------------------------------------------- pages (point 9)


def test_verify_prints_the_head_to_write_down_and_the_page_check(cli: Any, book: Path) -> None:
    status, report = verify_json(cli, book)
    assert status == 0 and report["ok"] is True
    head = report["head"]
    assert report["expect_head"] == f"{head['position']}:{head['hash']}"
    assert report["page_check"] == "PRAGMA integrity_check"


def test_a_garbage_events_page_stops_writes_naming_the_first_bad_position(
    cli: Any, book: Path
) -> None:
    garble_middle_leaf(book)
    status, report = verify_json(cli, book)
    assert (status, report["ok"], report["problem"]) == (1, False, "damaged")
    position = report["first_bad_position"]
    assert 1 < position < 600
    assert_refused(cli, book, "apply", position, "damaged")
    assert_refused(cli, book, "history", position, "damaged")


def test_a_garbage_index_page_fails_verify_and_stops_writes(cli: Any, book: Path) -> None:
    garble_middle_leaf(book, "sqlite_autoindex_events_1")
    status, report = verify_json(cli, book)
    assert (status, report["ok"], report["problem"]) == (1, False, "damaged pages")
    assert report["first_bad_position"] is None
    assert report["page_check"] == "PRAGMA integrity_check"
    assert_refused(cli, book, "apply", None, "damaged pages")


def test_a_damaged_book_refuses_apply_in_a_real_process(book: Path) -> None:
    garble_middle_leaf(book)
    before = book.read_bytes()
    proc = subprocess.run(
        [sys.executable, "-m", "app.cli.main", "apply", str(book)],
        input=DEPOSIT_LINE,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[3])},
    )
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr.startswith("tallybook-cli: the book's history is broken at position ")
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert book.read_bytes() == before


# ---------------------------------------------------------------- invalid UTF-8 (point 10)


def test_invalid_utf8_in_an_event_is_named_by_verify_and_refused_by_the_rest(
    cli: Any, book: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # no read-model cache to answer balances from: they are built from the events
    monkeypatch.setenv(ENV_DIR, str(tmp_path / "fresh-read-models"))
    with tamper(book) as db:  # the second account's opening: every command reads the chart
        db.execute("UPDATE events SET data = CAST(x'7b22ff' AS TEXT) WHERE position = 2")
    status, report = verify_json(cli, book)
    assert (status, report["problem"], report["first_bad_position"]) == (1, "damaged", 2)
    assert "not UTF-8" in report["message"]
    for action in ("apply", "balances", "history"):
        assert_refused(cli, book, action, 2, "damaged")


# ---------------------------------------------------------------- forged inserts (point 11)


def test_a_forged_insert_chained_from_its_predecessor_is_named_where_it_is(
    cli: Any, book: Path
) -> None:
    forge_chained_insert(book, 150)
    status, report = verify_json(cli, book)
    assert (status, report["problem"], report["first_bad_position"]) == (1, "inserted", 150)
    assert report["events"] == 149
    assert_refused(cli, book, "apply", 150, "inserted")


# ---------------------------------------------------------------- broken history (point 12)


def test_a_deleted_middle_event_is_one_line_for_every_action(cli: Any, book: Path) -> None:
    with tamper(book) as db:
        db.execute("DELETE FROM events WHERE position = 150")
    for action in ("apply", "balances", "history"):
        assert_refused(cli, book, action, 150, "removed")


# ---------------------------------------------------------------- --expect-head (point 13)


def test_expect_head_passes_on_the_book_written_down(cli: Any, book: Path) -> None:
    _, noted = verify_json(cli, book)
    status, report = verify_json(cli, book, "--expect-head", noted["expect_head"])
    assert status == 0 and report["ok"] is True


def test_expect_head_exposes_a_chain_recomputed_from_some_point_on(cli: Any, book: Path) -> None:
    _, noted = verify_json(cli, book)
    rechain_from(book, 300)
    assert verify_json(cli, book)[1]["ok"] is True  # the chain alone cannot tell
    status, report = verify_json(cli, book, "--expect-head", noted["expect_head"])
    position = noted["head"]["position"]
    assert (status, report["ok"], report["problem"]) == (1, False, "head differs")
    assert report["first_bad_position"] == position


def test_expect_head_fails_when_the_position_is_gone(cli: Any, book: Path) -> None:
    _, noted = verify_json(cli, book)
    with tamper(book) as db:
        db.execute("DELETE FROM events WHERE position > 500")
    status, report = verify_json(cli, book, "--expect-head", noted["expect_head"])
    assert (status, report["problem"]) == (1, "head missing")
    assert report["events"] == 500


@pytest.mark.parametrize("bad", ["12", "x:ab", "0:" + "a" * 64, "3:" + "a" * 63])
def test_expect_head_takes_only_position_colon_hash(
    capsys: pytest.CaptureFixture[str], book: Path, bad: str
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["verify", str(book), "--expect-head", bad])
    assert exit_.value.code == 1 and "POSITION:HASH" in capsys.readouterr().err


def test_an_event_its_stream_cannot_hold_is_one_line(cli: Any, book: Path) -> None:
    # chained correctly at the end, so the chain verifies; the chart cannot apply it
    position = forge_appended(
        book, CHART, "EntryVoided", '{"entry_id":"x","voided_on":"2024-01-01"}'
    )
    assert_refused(cli, book, "apply", position, "misplaced")
