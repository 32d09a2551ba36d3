"""Several processes write one book on PostgreSQL at once: nothing lost, one hash chain."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from domain.store.base import Metadata, NewEvent

pytest.importorskip("psycopg")

from domain.store.postgres.store import PostgresEventStore

STRESS = max(1, int(os.environ.get("TALLYBOOK_STRESS", "1")))
WORKER = Path(__file__).with_name("store_worker.py")
ROOT = Path(__file__).resolve().parents[3]


def worker(*args: object) -> subprocess.Popen[str]:
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    return subprocess.Popen(
        [sys.executable, str(WORKER), *map(str, args)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": path},
    )


def test_four_processes_write_one_book_at_once(pg_url: str) -> None:
    PostgresEventStore.create(pg_url).close()
    count, names = 40 * STRESS, ("p1", "p2", "p3", "p4")
    racers = [worker("race", pg_url, name, count) for name in names]
    try:
        for racer in racers:
            assert racer.stdout is not None
            assert racer.stdout.readline().strip() == "ready", racer.stderr
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
        assert json.loads(out.splitlines()[-1])["conflicts"] >= 0
    total = len(names) * count
    with PostgresEventStore.open(pg_url) as store:
        assert store.stream_version("shared") == total  # no lost update
        assert all(store.stream_version(f"own-{n}") == count for n in names)
        events = list(store.read_all())
        assert [e.position for e in events] == list(range(1, total + 1))  # no gap
        assert [e.stream_version for e in events] == list(range(1, total + 1))
        assert Counter(e.data["by"] for e in events) == dict.fromkeys(names, count)
        report = store.verify()
        assert report.ok and report.events == total  # one linear chain


def test_kill_9_of_a_writing_client_loses_no_acknowledged_command(pg_url: str) -> None:
    PostgresEventStore.create(pg_url).close()
    writer = worker("acks", pg_url, 100_000)
    acked: list[str] = []
    try:
        assert writer.stdout is not None
        assert writer.stdout.readline().strip() == "ready"
        while len(acked) < 20 * STRESS:
            line = writer.stdout.readline()
            assert line, writer.stderr.read() if writer.stderr else "writer ended"
            acked.append(line.strip())
        os.kill(writer.pid, signal.SIGKILL)  # mid-run: it keeps appending until it dies
        acked += [line.strip() for line in writer.stdout]  # printed before it died: acked too
    finally:
        writer.kill()
        writer.wait()
    assert writer.returncode == -signal.SIGKILL
    # the server ends the dead client's transaction: the next writer gets the lock
    with PostgresEventStore.open(pg_url, busy_timeout=10) as store:
        store.append([NewEvent("after", "Happened", 1, {})], {"after": 0}, Metadata("after"))
        report = store.verify()
        assert report.ok, report
        events = list(store.read_all())[:-1]
        per_command = Counter(e.metadata["command_id"] for e in events)
        assert set(acked) <= set(per_command)
        assert set(per_command.values()) == {3}  # no half command
        assert list(per_command) == [f"cmd-{i}" for i in range(len(per_command))]
        assert len(acked) <= len(per_command) <= len(acked) + 1
