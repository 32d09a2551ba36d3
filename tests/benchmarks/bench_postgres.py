"""PostgreSQL books: one command through the service, 4 writers at once, copying a book.

    python tests/benchmarks/bench_postgres.py [COMMANDS]

Starts a throwaway server of its own (tests/pg_server.py; fsync on, as a real server, unless
TALLYBOOK_BENCH_NO_FSYNC=1), over a Unix socket. Prints one JSON object: per command median and
p95 in ms on PostgreSQL and, side by side, on a book file (which also projects the read
models inside the command); 4 processes writing one book (commands/s); SQLite -> PostgreSQL
copy (events/s).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import pg_server  # noqa: E402

from app.composition import Book  # noqa: E402
from domain.model.commands import Deposit, OpenAccount  # noqa: E402
from domain.model.events import AccountType  # noqa: E402
from domain.store.postgres.store import PostgresEventStore  # noqa: E402
from domain.store.sqlite import SqliteEventStore  # noqa: E402

DAY = dt.date(2024, 1, 1)


def commands_ms(where: Path | str, count: int) -> dict[str, Any]:
    """Open two accounts, then time ``count`` deposits one by one through the service."""
    with Book.open(where, create_if_missing=True) as book:
        service = book.service
        asset, income = AccountType.ASSET, AccountType.INCOME
        bank = OpenAccount(name="Bank", account_type=asset, currency="EUR", opening_date=DAY)
        pay = OpenAccount(name="Pay", account_type=income, currency="EUR", opening_date=DAY)
        service.execute(bank)
        service.execute(pay)
        bank_id, pay_id = bank.account_id, pay.account_id
        times = []
        for n in range(count):
            command = Deposit(
                account_id=bank_id,
                income_account_id=pay_id,
                amount=Decimal(n % 97 + 1),
                booking_date=DAY,
                payee=f"p{n}",
            )
            start = time.perf_counter()
            service.execute(command)
            times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {
        "commands": count,
        "median_ms": round(statistics.median(times), 3),
        "p95_ms": round(times[int(len(times) * 0.95) - 1], 3),
        "max_ms": round(times[-1], 3),
    }


def four_writers(url: str, count: int, mode: str = "race") -> dict[str, Any]:
    """4 processes appending ``count`` commands each (tests' worker): ``race``, every command
    on one shared stream (the worst case); ``own``, each writer on streams of its own."""
    PostgresEventStore.create(url).close()
    worker = ROOT / "tests" / "domain" / "store" / "store_worker.py"
    paths = (str(ROOT), os.environ.get("PYTHONPATH", ""))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in paths if p)}
    racers = [
        subprocess.Popen(
            [sys.executable, str(worker), mode, url, f"p{i}", str(count)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        for i in range(4)
    ]
    for racer in racers:
        assert racer.stdout is not None and racer.stdout.readline().strip() == "ready"
    start = time.perf_counter()
    for racer in racers:
        assert racer.stdin is not None
        racer.stdin.write("go\n")
        racer.stdin.flush()
    outs = [racer.communicate(timeout=600)[0] for racer in racers]
    elapsed = time.perf_counter() - start
    conflicts = sum(json.loads(out.splitlines()[-1])["conflicts"] for out in outs)
    with PostgresEventStore.open(url) as store:
        if mode == "race":
            lost = 4 * count - store.stream_version("shared")
        else:
            lost = 4 * count - sum(store.stream_version(f"account-p{i}") for i in range(4))
        ok = store.verify().ok and store.head()[0] == 4 * count
    return {
        "commands": 4 * count,
        "commands_per_s": round(4 * count / elapsed),
        "conflicts_retried": conflicts,
        "lost": lost,
        "verified": ok,
    }


def _generated(folder: Path, events: int) -> Path:
    """A book file of ``events`` events: entries of two events posted to one account."""
    from domain.store.base import Metadata, NewEvent

    path = folder / f"generated-{events}.tallybook"
    with SqliteEventStore.create(path) as source, source.transaction():
        for n in range(events // 2):
            stream = f"entry-{n}"
            source.append(
                [NewEvent(stream, "EntryPosted", 1, {"n": n, "amount": 1234}, ("acct",)),
                 NewEvent(stream, "Noted", 1, {"memo": "x" * 40})],
                {stream: 0, "acct": n},
                Metadata(f"c{n}"),
            )  # fmt: skip
    return path


def copy_speed(url: str, source_path: Path, events: int) -> dict[str, Any]:
    """Copy the first ``events`` events of a book file into a new book on the server."""
    with SqliteEventStore.open(source_path, readonly=True) as source:
        target = PostgresEventStore.create(url, like=source.info())
        try:
            start = time.perf_counter()
            target.copy_from(source, events)
            elapsed = time.perf_counter() - start
            ok = target.verify().ok and target.head()[0] == events
        finally:
            target.close()
    return {"events": events, "seconds": round(elapsed, 2), "events_per_s": round(events / elapsed),
            "verified": ok}  # fmt: skip


def catch_up_speed(url: str, folder: Path) -> dict[str, Any]:
    """A new client opens the shared book: its local copy of the log and read models are made
    from nothing (a fresh cache folder), as ``Book.open`` does for a ``postgresql://`` book."""
    from app import shared_books
    from domain.projections import ReadModels

    cache = folder / f"cache-{time.monotonic_ns()}"
    os.environ["TALLYBOOK_READ_MODELS_DIR"] = str(cache)
    start = time.perf_counter()
    with PostgresEventStore.open(url, readonly=True) as shared:
        events = shared.head()[0]
        local = shared_books.open_local_copy(shared)
        copied = time.perf_counter()
        try:
            models = ReadModels(local)
            models.catch_up()
            assert models.checkpoint() == events
        finally:
            local.close()
    end = time.perf_counter()
    return {
        "events": events,
        "events_per_s": round(events / (end - start)),
        "log_copy_s": round(copied - start, 2),
        "read_models_s": round(end - copied, 2),
    }


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    # TALLYBOOK_BENCH_BOOK: a book file to copy from (say a generated 1M-event book; opened
    # read-only), TALLYBOOK_BENCH_COPY the event counts to copy ("20000,200000")
    given = os.environ.get("TALLYBOOK_BENCH_BOOK")
    sizes = [int(n) for n in os.environ.get("TALLYBOOK_BENCH_COPY", "20000").split(",")]
    only = set(os.environ.get("TALLYBOOK_BENCH_ONLY", "command,writers,copy").split(","))
    durable = os.environ.get("TALLYBOOK_BENCH_NO_FSYNC") != "1"
    started = pg_server.start(durable=durable)
    server = next(started)
    if isinstance(server, str):
        raise SystemExit(server)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            os.environ.setdefault("TALLYBOOK_READ_MODELS_DIR", tmp)
            folder = Path(tmp)
            report: dict[str, Any] = {"server": {"fsync": durable, "socket": "unix"}}
            if "command" in only:
                report["command_postgres"] = commands_ms(server.new_database(), count)
                report["command_sqlite_file"] = commands_ms(folder / "b.tallybook", count)
                report["command_postgres_again"] = commands_ms(server.new_database(), count)
            if "writers" in only:
                report["four_writers_one_stream"] = four_writers(server.new_database(), count // 2)
                report["four_writers_own_streams"] = four_writers(
                    server.new_database(), count // 2, "own"
                )
            if "copy" in only:
                source = Path(given) if given else _generated(folder, max(sizes))
                copies = []
                for size in sizes:
                    url = server.new_database()
                    copies.append(copy_speed(url, source, size))
                    print(json.dumps(copies[-1]), file=sys.stderr, flush=True)
                report["copy_sqlite_to_postgres"] = copies
                report["new_client_catch_up"] = catch_up_speed(url, folder)
    finally:
        for _ in started:
            pass
    report["load_average"] = os.getloadavg()
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
