"""Several writers on one book: store objects in one process, real processes, kill -9."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from domain.model.errors import ConcurrencyError
from domain.store.base import Metadata, NewEvent
from domain.store.sqlite import SqliteEventStore

STRESS = max(1, int(os.environ.get("TALLYBOOK_STRESS", "1")))
WORKER = Path(__file__).with_name("store_worker.py")
ROOT = Path(__file__).resolve().parents[3]

Book = Callable[..., SqliteEventStore]


def worker(*args: object) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, str(WORKER), *map(str, args)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def ev(stream: str, *also: str) -> NewEvent:
    return NewEvent(stream, "Happened", 1, {}, also_in=also)


# ---------------------------------------------------------------- one process, two stores


def test_a_conflict_on_the_second_stream_leaves_the_first_untouched(sqlite_book: Book) -> None:
    mine, theirs = sqlite_book(), sqlite_book()
    theirs.append([ev("account-2")], {"account-2": 0}, Metadata("theirs"))
    head = mine.head()
    with pytest.raises(ConcurrencyError, match="account-2 is at version 1, expected 0"):
        mine.append(
            [ev("account-1"), ev("account-2")], {"account-1": 0, "account-2": 0}, Metadata("mine")
        )
    assert mine.head() == head
    assert mine.stream_version("account-1") == 0
    assert list(mine.read_stream("account-1")) == []
    assert mine.verify().ok


def test_a_writer_waits_for_the_lock_then_gives_up_with_a_concurrency_error(
    sqlite_book: Book,
) -> None:
    holder = sqlite_book()
    waiter = sqlite_book(busy_timeout=0.2)
    with holder.transaction():
        holder.append([ev("a")], {"a": 0}, Metadata("c1"))
        with pytest.raises(ConcurrencyError) as caught:
            waiter.append([ev("b")], {"b": 0}, Metadata("c2"))
        assert "locked" not in str(caught.value)
        # readers are not blocked by the writer (WAL) and see the last committed state
        assert waiter.head()[0] == 0
    assert waiter.head()[0] == 1
    waiter.append([ev("b")], {"b": 0}, Metadata("c2"))
    assert waiter.verify().ok


def test_a_transaction_holds_the_write_lock_from_its_start(sqlite_book: Book) -> None:
    store = sqlite_book()
    with closing(sqlite3.connect(store.path, timeout=0, isolation_level=None)) as other:
        with store.transaction(), pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.execute("BEGIN IMMEDIATE")  # free again once the transaction ended
        other.execute("ROLLBACK")


def test_a_stray_read_transaction_neither_blocks_nor_goes_stale(sqlite_book: Book) -> None:
    reader, writer = sqlite_book(), sqlite_book()
    # a Core query outside transaction() autobegins a read transaction on the connection
    reader.connection.exec_driver_sql("SELECT count(*) FROM events").scalar()
    writer.append([ev("a")], {"a": 0}, Metadata("c1"))
    assert reader.head()[0] == 1
    assert reader.stream_version("a") == 1
    reader.connection.exec_driver_sql("SELECT count(*) FROM events").scalar()
    reader.append([ev("a")], {"a": 1}, Metadata("c2"))
    assert writer.head() == reader.head()


# ---------------------------------------------------------------- processes


def test_two_processes_append_at_once_without_locking_errors(book_path: Path) -> None:
    book_path.parent.mkdir()
    SqliteEventStore.create(book_path).close()
    count = 30 * STRESS
    racers = [worker("race", book_path, name, count) for name in ("p1", "p2")]
    try:
        for racer in racers:
            assert racer.stdout is not None
            assert racer.stdout.readline().strip() == "ready"
        for racer in racers:
            assert racer.stdin is not None
            racer.stdin.write("go\n")
            racer.stdin.flush()
        results = [racer.communicate(timeout=120 * STRESS) for racer in racers]
    finally:
        for racer in racers:
            racer.kill()
            racer.wait()
    for racer, (out, err) in zip(racers, results, strict=True):
        assert racer.returncode == 0, err
        assert "locked" not in err
        assert json.loads(out.splitlines()[-1])["conflicts"] >= 0
    with SqliteEventStore.open(book_path) as store:
        assert store.stream_version("shared") == 2 * count
        assert store.stream_version("own-p1") == store.stream_version("own-p2") == count
        events = list(store.read_all())
        assert [e.position for e in events] == list(range(1, 2 * count + 1))
        assert [e.stream_version for e in events] == list(range(1, 2 * count + 1))
        assert Counter(e.data["by"] for e in events) == {"p1": count, "p2": count}
        report = store.verify()
        assert report.ok and report.events == 2 * count


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_kill_9_keeps_every_acknowledged_command_whole(book_path: Path) -> None:
    book_path.parent.mkdir()
    SqliteEventStore.create(book_path).close()
    wanted = 20 * STRESS
    writer = worker("acks", book_path, 100_000)
    acked: list[str] = []
    try:
        assert writer.stdout is not None
        assert writer.stdout.readline().strip() == "ready"
        while len(acked) < wanted:
            line = writer.stdout.readline()
            assert line, writer.stderr.read() if writer.stderr else "writer ended"
            acked.append(line.strip())
        os.kill(writer.pid, signal.SIGKILL)  # mid-run: it keeps appending until it dies
        acked += [line.strip() for line in writer.stdout]  # printed before it died: acked too
    finally:
        writer.kill()
        writer.wait()
    assert writer.returncode == -signal.SIGKILL
    with SqliteEventStore.open(book_path) as store:
        report = store.verify()
        assert report.ok, report
        per_command = Counter(e.metadata["command_id"] for e in store.read_all())
        assert set(acked) <= set(per_command)
        assert set(per_command.values()) == {3}  # no half command
        # the log is exactly the commands in order, at most one beyond the last ack
        assert list(per_command) == [f"cmd-{i}" for i in range(len(per_command))]
        assert len(acked) <= len(per_command) <= len(acked) + 1
        n = len(per_command)
        assert store.stream_version("account-a") == 2 * n
        assert store.stream_version("account-b") == n
