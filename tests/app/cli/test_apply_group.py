"""Group commit in ``apply``: the lines waiting are committed together, each still atomic, and
no line is answered before the commit that stores it (kill -9 at random moments proves it)."""

from __future__ import annotations

import contextlib
import io
import json
import os
import random
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.cli.apply import apply_lines
from app.composition import Book
from domain.application.service import BookService
from domain.model.errors import ConcurrencyError
from domain.store.sqlite import SqliteEventStore
from tests.conftest import fill

ROOT = Path(__file__).parents[3]
OPEN = [
    {"command": "open_account", "name": "Checking", "account_type": "asset", "currency": "EUR",
     "opening_balance": "100.00", "opening_date": "2024-01-01", "overdraft_allowed": False,
     "command_id": "o1"},
    {"command": "open_account", "name": "Salary", "account_type": "income", "currency": "EUR",
     "opening_date": "2024-01-01", "command_id": "o2"},
    {"command": "open_account", "name": "Rent", "account_type": "expense", "currency": "EUR",
     "opening_date": "2024-01-01", "command_id": "o3"},
]  # fmt: skip


def deposit(command_id: str, amount: str = "10.00", account: str = "Checking") -> dict[str, Any]:
    return {"command": "deposit", "account": account, "income_account": "Salary",
            "amount": amount, "booking_date": "2024-02-01", "command_id": command_id}  # fmt: skip


def rent(command_id: str, amount: str, account: str = "Checking") -> dict[str, Any]:
    return {"command": "withdraw", "account": account, "expense_account": "Rent",
            "amount": amount, "booking_date": "2024-02-02", "command_id": command_id}  # fmt: skip


MIXED = [
    *OPEN,
    deposit("d1"),
    rent("w1", "500.00"),  # refused: 110 there
    deposit("d1"),  # sent again: answers as the first time
    {"command": "rename_account", "account": "Checking", "new_name": "Current", "command_id": "r1"},
    deposit("d2", account="Current"),  # by the name the line before gave it
    "not json",
    "",
    rent("w2", "120.00", "Current"),
    rent("w3", "0.01", "Current"),  # refused: nothing left
]


class Writes(io.StringIO):
    """An output that counts its writes (one per group of answers)."""

    def __init__(self) -> None:
        super().__init__()
        self.writes = 0

    def write(self, text: str) -> int:
        self.writes += 1
        return super().write(text)


def run_lines(path: Path, lines: list[Any], **grouping: Any) -> tuple[bool, list[Any], int]:
    text = [line if isinstance(line, str) else json.dumps(line) for line in lines]
    out = Writes()
    with Book.open(path, create_if_missing=True) as book:
        ok = apply_lines(book, [t + "\n" for t in text], out, **grouping)
    return ok, [json.loads(a) for a in out.getvalue().splitlines()], out.writes


def essentials(answers: list[Any]) -> list[tuple[Any, ...]]:
    """What a line's answer says, but the ids new entries and accounts got at random."""
    return [
        (a["line"], a["ok"], a.get("command_id"), a.get("positions"), a.get("error_type"))
        for a in answers
    ]


def test_grouped_lines_answer_as_lines_committed_one_by_one(tmp_path: Path) -> None:
    # (no time cap: the first group of a process, under load, took more than 50 ms once)
    ok, grouped, writes = run_lines(tmp_path / "grouped.tallybook", MIXED, group_seconds=60)
    assert writes == 1  # every line was waiting: one group, one commit
    alone_ok, alone, alone_writes = run_lines(tmp_path / "alone.tallybook", MIXED, group_lines=1)
    assert alone_writes == len(alone)
    assert essentials(grouped) == essentials(alone)
    assert ok is alone_ok is False
    by_line = {a["line"]: a for a in grouped}
    assert by_line[5]["error_type"] == "InsufficientFunds"
    assert by_line[6]["positions"] == by_line[4]["positions"]
    assert by_line[8]["ok"] and by_line[11]["ok"]
    assert by_line[12]["error_type"] == "InsufficientFunds"
    with SqliteEventStore.open(tmp_path / "grouped.tallybook", readonly=True) as store:
        assert store.verify().ok
        assert store.head()[0] == by_line[11]["positions"][-1]


def test_groups_are_capped_in_lines_and_in_time(tmp_path: Path) -> None:
    lines = [*OPEN, *(deposit(f"d{i}") for i in range(7))]
    assert run_lines(tmp_path / "a.tallybook", lines, group_lines=4)[2] == 3  # 4 + 4 + 2
    # no time to gather: each line is its own commit
    assert run_lines(tmp_path / "b.tallybook", lines, group_seconds=0)[2] == len(lines)


def test_no_answer_is_written_before_its_group_is_committed(tmp_path: Path) -> None:
    path = tmp_path / "b.tallybook"
    seen: list[int] = []

    class Checked(io.StringIO):
        def write(self, text: str) -> int:
            # another connection, as the reader of the answers would have
            with SqliteEventStore.open(path, readonly=True) as other:
                head = other.head()[0]
            for answer in map(json.loads, text.splitlines()):
                assert all(p <= head for p in answer.get("positions", [])), (answer, head)
                seen.append(answer["line"])
            return len(text)

    with Book.open(path, create_if_missing=True) as book:
        lines = [json.dumps(x) + "\n" for x in [*OPEN, *(deposit(f"d{i}") for i in range(50))]]
        assert apply_lines(book, lines, Checked(), group_lines=10)
    assert seen == list(range(1, 54))


def test_a_disk_filling_up_fails_the_lines_it_cannot_store_and_loses_none_it_answered(
    tiny_disk: Path,
) -> None:
    book = tiny_disk / "b.tallybook"
    opening = [json.dumps(x) for x in OPEN]
    deposits = [json.dumps(deposit(f"d{i}")) for i in range(3000)]
    lines = [*opening, *deposits]
    # the accounts first, answered before the deposits come: a first group holding them and
    # more deposits than the disk takes would fail them too (and every deposit after them)
    with subprocess.Popen(
        [sys.executable, "-m", "app.cli.main", "apply", str(book)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    ) as child:
        assert child.stdin is not None and child.stdout is not None
        child.stdin.write("\n".join(opening) + "\n")
        child.stdin.flush()
        first = [child.stdout.readline() for _ in opening]
        assert all(json.loads(answer)["ok"] for answer in first), first
        out, err = child.communicate("\n".join(deposits) + "\n", timeout=300)
    done = subprocess.CompletedProcess(child.args, child.returncode, "".join(first) + out, err)
    answers = [json.loads(a) for a in done.stdout.splitlines()]
    assert (done.returncode, done.stderr) == (1, "")
    assert len(answers) == len(lines)
    failed = [a for a in answers if not a["ok"]]
    assert failed and {a["error_type"] for a in failed} == {"DiskError"}
    assert all("the disk is full" in a["error"] for a in failed)
    assert_stored([a for a in answers if a["ok"]], book)


def assert_stored(acknowledged: list[Any], path: Path) -> None:
    """Every acknowledged answer's events are in the book under its command id; it verifies."""
    with SqliteEventStore.open(path) as store:
        assert store.verify().ok
        stored = {e.position: e.metadata["command_id"] for e in store.read_all()}
    for answer in acknowledged:
        for position in answer["positions"]:
            assert stored.get(position) == answer["command_id"], answer


class Answers:
    """The complete answer lines read so far, and a way to wait until there are enough."""

    def __init__(self) -> None:
        self.lines: list[Any] = []
        self.ended = False
        self._changed = threading.Condition()

    def read(self, stream: Any) -> None:
        """Collect complete lines until the stream ends (a line cut by the kill is not one:
        it has no newline)."""
        for line in iter(stream.readline, b""):
            if line.endswith(b"\n"):
                with self._changed:
                    self.lines.append(json.loads(line))
                    self._changed.notify_all()
        with self._changed:
            self.ended = True
            self._changed.notify_all()

    def wait_for(self, count: int, timeout: float) -> None:
        """Until ``count`` answers have come (or the stream ended, or ``timeout`` passed)."""
        with self._changed:
            self._changed.wait_for(lambda: len(self.lines) >= count or self.ended, timeout)


def feed(stream: Any, lines: list[bytes]) -> None:
    try:
        stream.write(b"".join(lines))
        stream.close()
    except (BrokenPipeError, OSError):
        pass  # killed meanwhile


def test_every_acknowledged_line_survives_kill_9_while_lines_are_grouped(tmp_path: Path) -> None:
    kills = int(os.environ.get("TALLYBOOK_APPLY_KILLS", "30"))
    rng = random.Random(int(os.environ.get("TALLYBOOK_APPLY_KILL_SEED", "17")))
    path = tmp_path / "b.tallybook"
    run_lines(path, OPEN)
    acknowledged: list[Any] = []
    killed_mid_stream = 0
    for round_ in range(kills):
        lines = [
            (json.dumps(deposit(f"k{round_}-{i}", amount=f"{1 + i % 7}.00")) + "\n").encode()
            for i in range(4000)
        ]
        proc = subprocess.Popen(
            [sys.executable, "-m", "app.cli.main", "apply", str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        received = Answers()
        reader = threading.Thread(target=received.read, args=(proc.stdout,))
        writer = threading.Thread(target=feed, args=(proc.stdin, lines))
        reader.start()
        writer.start()
        # kill as soon as some groups are answered: the next group is being run then, and
        # a group answered before its commit would be caught uncommitted
        received.wait_for(rng.randint(1, len(lines) * 3 // 4), timeout=60)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        reader.join(timeout=30)
        writer.join(timeout=30)
        answers = received.lines
        assert answers, "apply answered nothing before it was killed"
        killed_mid_stream += len(answers) < len(lines)
        acknowledged.extend(a for a in answers if a["ok"])
        assert all(a["ok"] for a in answers), [a for a in answers if not a["ok"]][:1]
        assert_stored(acknowledged, path)
    assert killed_mid_stream >= kills * 2 // 3  # most kills landed while lines were streaming


@pytest.mark.parametrize("count", [1, 3])
def test_lines_for_a_book_open_on_a_disk_that_filled_up_each_answer_so(
    tiny_disk: Path, count: int
) -> None:
    with Book.open(tiny_disk / "b.tallybook", create_if_missing=True) as book:
        assert apply_lines(book, [json.dumps(x) for x in OPEN], io.StringIO())
        fill(tiny_disk)
        out = io.StringIO()
        lines = [json.dumps(deposit(f"d{i}")) for i in range(count)]
        assert not apply_lines(book, lines, out)
        head = book.store.head()[0]
    answers = [json.loads(a) for a in out.getvalue().splitlines()]
    assert [a["line"] for a in answers] == list(range(1, count + 1))
    assert {a["error_type"] for a in answers} == {"DiskError"}
    assert head == 5


def test_a_group_that_cannot_begin_loses_no_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    @contextlib.contextmanager
    def busy(_self: BookService) -> Iterator[None]:
        raise ConcurrencyError("another writer held the book for too long")
        yield

    monkeypatch.setattr(BookService, "group", busy)  # each line then runs on its own
    ok, answers, _ = run_lines(tmp_path / "b.tallybook", [*OPEN, deposit("d1")])
    assert ok and [a["line"] for a in answers] == [1, 2, 3, 4]
