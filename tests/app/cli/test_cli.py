"""tallybook-cli run for real on books in tmp_path: apply, balances, verify, history, generate."""

from __future__ import annotations

import io
import json
import selectors
import sqlite3
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from app.cli.main import main

OPEN = [
    {
        "command": "open_account",
        "name": "Checking",
        "account_type": "asset",
        "currency": "EUR",
        "opening_balance": "100.00",
        "opening_date": "2024-01-01",
        "overdraft_allowed": False,
    },
    {
        "command": "open_account",
        "name": "Salary",
        "account_type": "income",
        "currency": "EUR",
        "opening_date": "2024-01-01",
    },
    {
        "command": "open_account",
        "name": "Rent",
        "account_type": "expense",
        "currency": "EUR",
        "opening_date": "2024-01-01",
    },
]
DEPOSIT = {
    "command": "deposit",
    "account": "Checking",
    "income_account": "Salary",
    "amount": "2500.00",
    "booking_date": "2024-01-31",
    "payee": "ACME",
}
RENT = {
    "command": "withdraw",
    "account": "checking",
    "expense_account": "rent",
    "amount": "900.50",
    "booking_date": "2024-02-01",
}


def run(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    *argv: str,
    stdin: str | bytes = "",
) -> tuple[int, list[Any], str]:
    """main(argv) with ``stdin``; returns (exit status, stdout JSON lines, stderr)."""
    data = stdin.encode() if isinstance(stdin, str) else stdin
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    status = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, [json.loads(line) for line in out.splitlines()], err


def lines(*commands: dict[str, Any] | str) -> str:
    return "".join((c if isinstance(c, str) else json.dumps(c)) + "\n" for c in commands)


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Any:
    def call(*argv: object, stdin: str | bytes = "") -> tuple[int, list[Any], str]:
        return run(capsys, monkeypatch, *(str(a) for a in argv), stdin=stdin)

    return call


@pytest.fixture
def book(tmp_path: Path, cli: Any) -> Path:
    path = tmp_path / "home.tallybook"
    status, out, _ = cli("apply", path, stdin=lines(*OPEN, DEPOSIT, RENT))
    assert status == 0, out
    return path


def balances(cli: Any, path: Path, *extra: object) -> dict[str, str]:
    status, out, err = cli("balances", path, *extra)
    assert status == 0, err
    return {a["name"]: a["balance"] for a in out[0]["accounts"]}


# --- apply -----------------------------------------------------------------------------------


def test_apply_creates_the_book_and_reports_each_command(tmp_path: Path, cli: Any) -> None:
    path = tmp_path / "new.tallybook"
    status, out, err = cli("apply", path, stdin=lines(*OPEN, DEPOSIT))
    assert (status, err) == (0, "")
    assert [o["ok"] for o in out] == [True] * 4
    # Checking's opening balance: Opening Balances opened for it (2) and its entry (3)
    assert [o["positions"] for o in out] == [[1, 2, 3], [4], [5], [6]]
    assert [o["line"] for o in out] == [1, 2, 3, 4]
    assert set(out[0]["ids"]) == {"account_id", "opening_balances_account_id", "opening_entry_id"}
    assert set(out[1]["ids"]) == {"account_id"}
    assert set(out[3]["ids"]) == {"entry_id"}
    assert balances(cli, path) == {
        "Checking": "2600.00", "Opening Balances": "100.00", "Salary": "2500.00", "Rent": "0.00"
    }  # fmt: skip


def test_apply_bad_lines_are_reported_append_nothing_and_the_run_goes_on(
    book: Path, cli: Any
) -> None:
    before = balances(cli, book)
    float_amount = {**DEPOSIT, "amount": 12.5}
    overdraft = {**RENT, "amount": "99999.00"}
    unknown = {"command": "refund", "amount": "1"}
    extra = {**DEPOSIT, "tip": "1"}
    status, out, _ = cli(
        "apply",
        book,
        stdin=lines('{"command": "deposit",', float_amount, unknown, overdraft, extra, DEPOSIT),
    )
    assert status == 1
    assert [o["ok"] for o in out] == [False, False, False, False, False, True]
    assert "not valid JSON" in out[0]["error"]
    assert "JSON number" in out[1]["error"] and "floats are never money" in out[1]["error"]
    assert "unknown command 'refund'" in out[2]["error"]
    assert out[3]["error_type"] == "InsufficientFunds"
    assert "Checking" in out[3]["error"]
    assert "unknown field tip" in out[4]["error"]
    # only the last, good line appended: right after the seven events of the fixture
    assert out[5]["positions"] == [8]
    after = balances(cli, book)
    assert after["Checking"] == "4199.50" and before["Checking"] == "1699.50"


def test_apply_unknown_account_name(book: Path, cli: Any) -> None:
    status, out, _ = cli("apply", book, stdin=lines({**RENT, "account": "Wallet"}))
    assert status == 1
    assert out[0]["error_type"] == "UnknownAccount"
    assert "'Wallet'" in out[0]["error"]


def test_apply_split_by_name_and_rename_then_new_name(book: Path, cli: Any) -> None:
    split = {
        "command": "split",
        "booking_date": "2024-02-03",
        "payee": "Landlord",
        "lines": [{"account": "Rent", "amount": "50"}, {"account": "Checking", "amount": "-50"}],
    }
    rename = {"command": "rename_account", "account": "Rent", "new_name": "Housing"}
    again = {**RENT, "expense_account": "Housing", "amount": "1.00"}
    status, out, _ = cli("apply", book, stdin=lines(split, rename, again))
    assert status == 0, out
    assert balances(cli, book)["Housing"] == "951.50"


def test_apply_void_by_entry_id(book: Path, cli: Any) -> None:
    status, out, _ = cli("apply", book, stdin=lines({**DEPOSIT, "amount": "10.00"}))
    entry_id = out[0]["ids"]["entry_id"]
    void = {"command": "void", "entry_id": entry_id, "voided_on": "2024-02-05", "reason": "typo"}
    status, out, _ = cli("apply", book, stdin=lines(void, void))
    assert status == 1
    assert out[0]["ok"] is True and out[0]["ids"] == {}
    assert out[1]["error_type"] == "EntryAlreadyVoided"
    assert balances(cli, book)["Checking"] == "1699.50"


def test_apply_correct_replaces_an_entry_and_reports_the_new_one(book: Path, cli: Any) -> None:
    status, out, _ = cli("apply", book, stdin=lines({**DEPOSIT, "amount": "10.00"}))
    old = out[0]["ids"]["entry_id"]
    replacement = {**DEPOSIT, "amount": "12.00"}
    correct = {"command": "correct", "entry_id": old, "replacement": replacement}
    status, out, _ = cli("apply", book, stdin=lines(correct, correct))
    assert status == 1, out
    assert out[0]["ok"] is True and len(out[0]["positions"]) == 2
    new = out[0]["ids"]["entry_id"]
    assert new != old
    assert out[1]["error_type"] == "EntryAlreadyVoided"  # another command id: a new try
    _, history, _ = cli("history", book, "--from", out[0]["positions"][0])
    assert [(e["type"], e["data"]["entry_id"]) for e in history] == [
        ("EntryVoided", old),
        ("EntryPosted", new),
    ]
    assert history[0]["data"]["reason"] == "corrected"
    assert balances(cli, book)["Checking"] == "1711.50"


def test_apply_same_command_id_twice_appends_once(book: Path, cli: Any) -> None:
    command = {**DEPOSIT, "command_id": "retry-1"}
    status, out, _ = cli("apply", book, stdin=lines(command, command))
    assert status == 0
    assert out[0]["positions"] == out[1]["positions"] == [8]
    # the retry would have made another entry id; it answers with the entry the first made
    _, history, _ = cli("history", book, "--from", 8)
    assert out[0]["ids"] == out[1]["ids"] == {"entry_id": history[0]["data"]["entry_id"]}
    assert balances(cli, book)["Checking"] == "4199.50"


def test_apply_an_opening_balance_sent_twice_answers_with_the_same_ids(
    tmp_path: Path, cli: Any
) -> None:
    command = {**OPEN[0], "command_id": "open-1"}
    status, out, _ = cli("apply", tmp_path / "b.tallybook", stdin=lines(command, command))
    assert status == 0
    assert out[0]["positions"] == out[1]["positions"] == [1, 2, 3]
    assert out[0]["ids"] == out[1]["ids"]
    _, history, _ = cli("history", tmp_path / "b.tallybook")
    assert out[0]["ids"] == {
        "account_id": history[0]["data"]["account_id"],
        "opening_balances_account_id": history[1]["data"]["account_id"],
        "opening_entry_id": history[2]["data"]["entry_id"],
    }


def test_apply_refuses_a_command_id_used_by_another_command(book: Path, cli: Any) -> None:
    first = {**DEPOSIT, "command_id": "pay-1"}
    other = {**DEPOSIT, "amount": "99.00", "command_id": "pay-1"}
    status, out, _ = cli("apply", book, stdin=lines(first, other))
    assert status == 1
    assert out[1]["ok"] is False
    assert out[1]["error_type"] == "CommandIdReused"
    assert "'pay-1' was already used, for another command (events 8-8)" in out[1]["error"]
    assert balances(cli, book)["Checking"] == "4199.50"


def test_apply_skips_blank_lines_and_reports_non_utf8(book: Path, cli: Any) -> None:
    status, out, _ = cli("apply", book, stdin="\n   \n" + lines(DEPOSIT))
    assert status == 0
    assert [o["line"] for o in out] == [3]
    status, out, _ = cli("apply", book, stdin=b'{"payee": "Caf\xe9"}\n' + lines(DEPOSIT).encode())
    assert status == 1
    assert "not UTF-8" in out[0]["error"]
    assert out[1]["ok"] is True


def test_apply_streams_each_answer_before_the_next_line(tmp_path: Path) -> None:
    # a pipe: the answer to the first line must arrive while stdin is still open
    proc = subprocess.Popen(
        [sys.executable, "-m", "app.cli.main", "apply", str(tmp_path / "b.tallybook")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdin is not None and proc.stdout is not None
    try:
        proc.stdin.write(lines(OPEN[0]))
        proc.stdin.flush()
        with selectors.DefaultSelector() as sel:
            sel.register(proc.stdout, selectors.EVENT_READ)
            assert sel.select(timeout=30), "no answer while stdin is still open"
        assert json.loads(proc.stdout.readline())["ok"] is True
        proc.stdin.write(lines(OPEN[0]))  # the same name again: refused
        proc.stdin.close()
        assert json.loads(proc.stdout.readline())["error_type"] == "DuplicateAccountName"
        assert proc.wait(timeout=30) == 1
    finally:
        proc.kill()
        proc.wait()


# --- balances --------------------------------------------------------------------------------


def test_balances_lists_every_account(book: Path, cli: Any) -> None:
    status, out, _ = cli("balances", book)
    assert status == 0
    report = out[0]
    assert (report["as_of"], report["head"]) == (7, 7)
    checking = next(a for a in report["accounts"] if a["name"] == "Checking")
    assert checking == {
        "id": checking["id"],
        "name": "Checking",
        "path": "Checking",
        "parent_id": "",
        "type": "asset",
        "currency": "EUR",
        "balance": "1699.50",
        "closed": False,
    }


def test_balances_as_of_a_past_position(book: Path, cli: Any) -> None:
    assert balances(cli, book, "--as-of", 6) == {
        "Checking": "2600.00",
        "Opening Balances": "100.00",
        "Salary": "2500.00",
        "Rent": "0.00",
    }
    assert balances(cli, book, "--as-of", 3) == {"Checking": "100.00", "Opening Balances": "100.00"}
    assert balances(cli, book, "--as-of", 1) == {"Checking": "0.00"}
    assert balances(cli, book, "--as-of", 0) == {}


def test_balances_as_of_beyond_the_head(book: Path, cli: Any) -> None:
    status, out, err = cli("balances", book, "--as-of", 8)
    assert (status, out) == (1, [])
    assert "outside 0..7" in err


def test_balances_shows_closed_accounts(book: Path, cli: Any) -> None:
    empty = {
        "command": "open_account",
        "name": "Old",
        "account_type": "asset",
        "currency": "EUR",
        "opening_date": "2024-01-01",
    }
    close = {"command": "close_account", "account": "Old", "closed_on": "2024-03-01"}
    status, _, _ = cli("apply", book, stdin=lines(empty, close))
    assert status == 0
    _, out, _ = cli("balances", book)
    old = next(a for a in out[0]["accounts"] if a["name"] == "Old")
    assert old["closed"] is True and old["balance"] == "0.00"


# --- verify ----------------------------------------------------------------------------------


def test_verify_a_good_book(book: Path, cli: Any) -> None:
    status, out, err = cli("verify", book)
    assert (status, err) == (0, "")
    assert out[0]["ok"] is True
    assert out[0]["events"] == 7
    assert out[0]["head"]["position"] == 7
    assert len(bytes.fromhex(out[0]["head"]["hash"])) == 32


def test_verify_names_the_first_tampered_event(book: Path, cli: Any) -> None:
    with sqlite3.connect(book) as db:
        for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'"):
            db.execute(f'DROP TRIGGER "{name}"')
        db.execute(
            "UPDATE events SET data = json_set(data, '$.payee', 'Mallory') WHERE position = 6"
        )
    db.close()
    status, out, _ = cli("verify", book)
    assert status == 1
    assert out[0]["ok"] is False
    assert out[0]["first_bad_position"] == 6
    assert out[0]["events"] == 5
    assert out[0]["problem"] == "altered"
    assert out[0]["message"].startswith("position 6: ")


def test_verify_a_text_file_exits_2_and_leaves_it_untouched(tmp_path: Path, cli: Any) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("groceries: 12.50\n" * 100)
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    for action in ("verify", "balances", "history", "apply"):
        status, out, err = cli(action, path)
        assert (status, out) == (2, []), action
        assert err.count("\n") == 1 and str(path) in err, err
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


@pytest.mark.parametrize("harm", ["newer format", "truncated"])
def test_a_newer_or_damaged_book_exits_2_for_every_action_and_stays_byte_identical(
    book: Path, cli: Any, harm: str
) -> None:
    if harm == "newer format":
        with sqlite3.connect(book) as db:
            db.execute("UPDATE book SET value = '99' WHERE key = 'format_version'")
        db.close()
    else:
        book.write_bytes(book.read_bytes()[:-100])
    files = sorted(book.parent.iterdir())
    before = [p.read_bytes() for p in files]
    expected = "newer Tallybook" if harm == "newer format" else "damaged"
    for action in ("verify", "balances", "history", "apply", "generate"):
        status, out, err = cli(action, book, stdin=lines(DEPOSIT))
        assert (status, out) == (2, []), action
        assert err.count("\n") == 1 and str(book) in err and expected in err, (action, err)
    assert sorted(book.parent.iterdir()) == files
    assert [p.read_bytes() for p in files] == before


def test_verify_a_missing_file_exits_2_and_creates_nothing(tmp_path: Path, cli: Any) -> None:
    status, _, err = cli("verify", tmp_path / "missing.tallybook")
    assert status == 2 and "does not exist" in err
    assert list(tmp_path.iterdir()) == []


# --- history ---------------------------------------------------------------------------------


def test_history_prints_events_from_a_position(book: Path, cli: Any) -> None:
    status, out, _ = cli("history", book)
    assert status == 0
    assert [e["position"] for e in out] == [1, 2, 3, 4, 5, 6, 7]
    opened, posted = "AccountOpened", "EntryPosted"
    assert [e["type"] for e in out] == [opened, opened, posted, opened, opened, posted, posted]
    assert out[2]["summary"] == (
        "Transfer 100.00 EUR from Opening Balances to Checking — Opening balance"
    )
    assert out[5]["data"]["payee"] == "ACME"
    assert out[5]["summary"] == "Deposit 2,500.00 EUR into Checking from Salary — ACME"
    _, out, _ = cli("history", book, "--from", 2, "--limit", 2)
    assert [e["position"] for e in out] == [2, 3]


# --- generate --------------------------------------------------------------------------------


def generate(cli: Any, path: Path, seed: int) -> dict[str, Any]:
    status, out, err = cli(
        "generate", path, "--accounts", 18, "--commands", 1500, "--seed", seed, "--batch", 400
    )
    assert status == 0, (out, err)
    assert out[0]["ok"] is True
    result: dict[str, Any] = out[0]
    return result


def test_generate_is_deterministic_and_verifies(tmp_path: Path, cli: Any) -> None:
    first, second, other = (tmp_path / n for n in ("a.tallybook", "b.tallybook", "c.tallybook"))
    summary = generate(cli, first, 11)
    # four opening balances, against Opening Balances and Opening Balances - USD opened for them
    assert (summary["accounts"], summary["commands"], summary["events"]) == (20, 1500, 1524)
    generate(cli, second, 11)
    generate(cli, other, 12)
    _, a, _ = cli("balances", first)
    _, b, _ = cli("balances", second)
    _, c, _ = cli("balances", other)
    assert a == b
    assert a != c
    for path in (first, second):
        status, out, _ = cli("verify", path)
        assert status == 0 and out[0]["events"] == 1524


def test_generated_book_has_voids_back_dated_entries_and_a_closed_account(
    tmp_path: Path, cli: Any
) -> None:
    path = tmp_path / "g.tallybook"
    generate(cli, path, 5)
    _, events, _ = cli("history", path)
    types = [e["type"] for e in events]
    assert types.count("EntryVoided") > 10
    assert {"AccountRenamed", "AccountClosed"} <= set(types)
    dates = [e["data"]["booking_date"] for e in events if e["type"] == "EntryPosted"]
    back_dated = sum(d < max(dates[:i]) for i, d in enumerate(dates) if i)
    assert back_dated > 10
    _, out, _ = cli("balances", path)
    assert {a["type"] for a in out[0]["accounts"]} == {
        "asset",
        "liability",
        "equity",
        "income",
        "expense",
    }
    assert sum(a["closed"] for a in out[0]["accounts"]) == 1
    # double entry, opening balances included: the debits equal the credits per currency
    debits: dict[str, Decimal] = {}
    for a in out[0]["accounts"]:
        sign = 1 if a["type"] in ("asset", "expense") else -1
        debits[a["currency"]] = debits.get(a["currency"], Decimal(0)) + sign * Decimal(a["balance"])
    assert debits == {"EUR": 0, "USD": 0}


def test_generate_refuses_a_book_with_events(book: Path, cli: Any) -> None:
    status, _, err = cli("generate", book, "--accounts", 8, "--commands", 10)
    assert status == 1
    assert "already has 7 events" in err


def test_help_for_every_action(capsys: pytest.CaptureFixture[str]) -> None:
    for action in ("apply", "balances", "verify", "history", "generate"):
        with pytest.raises(SystemExit) as exit_:
            main([action, "--help"])
        assert exit_.value.code == 0
        assert "BOOK" in capsys.readouterr().out


def test_generate_checks_its_arguments_before_creating_the_book(tmp_path: Path, cli: Any) -> None:
    path = tmp_path / "g.tallybook"
    status, _, err = cli("generate", path, "--accounts", 3)
    assert status == 1 and "at least 8 accounts" in err
    status, _, err = cli("generate", path, "--currency", "EURO")
    assert status == 1 and "'EURO' is not an ISO 4217 currency" in err
    assert not path.exists()


def test_apply_to_a_folder_that_does_not_exist_exits_2(tmp_path: Path, cli: Any) -> None:
    status, out, err = cli("apply", tmp_path / "missing" / "b.tallybook", stdin=lines(OPEN[0]))
    assert (status, out) == (2, [])
    assert "no such folder" in err


def test_usage_errors_exit_1_not_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # exit status 2 is kept for "not a usable book"
    with pytest.raises(SystemExit) as exit_:
        main(["balances", str(tmp_path / "b.tallybook"), "--as-of", "-1"])
    assert exit_.value.code == 1
    assert "must be 0 or more" in capsys.readouterr().err


def test_balances_rebuilds_read_models_of_another_version(book: Path, cli: Any) -> None:
    # a book whose read models an older Tallybook wrote: answered after a rebuild, not stale
    cache = read_models_cache(book)
    with sqlite3.connect(cache) as db:
        db.execute("UPDATE rm_checkpoint SET code_version = 'older'")
        db.execute("DELETE FROM rm_register")
    db.close()
    assert balances(cli, book)["Checking"] == "1699.50"
    with sqlite3.connect(cache) as db:
        (version,) = db.execute("SELECT code_version FROM rm_checkpoint").fetchone()
    db.close()
    assert version != "older"


def read_models_cache(book: Path) -> Path:
    """The file holding the book's read models."""
    from domain.projections import ReadModels
    from domain.store.sqlite import SqliteEventStore

    with SqliteEventStore.open(book, readonly=True) as store:
        return ReadModels(store).path


def test_apply_help_lists_every_json_command(capsys: pytest.CaptureFixture[str]) -> None:
    from domain.application.handlers import COMMANDS

    with pytest.raises(SystemExit):
        main(["apply", "--help"])
    text = capsys.readouterr().out
    for name in (spec.name for spec in COMMANDS):
        assert f"  {name}: [command_id], " in text
    assert "deposit: [command_id], account_id|account, income_account_id|income_account" in text
