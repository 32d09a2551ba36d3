"""A separate process writing to a book, for the multi-process and kill -9 tests.

    python store_worker.py race BOOK NAME COUNT   # after "go" on stdin, append COUNT events
    python store_worker.py own BOOK NAME COUNT    # the same, each command on streams of its own
    python store_worker.py acks BOOK COUNT        # append COUNT 3-event commands, print each id

BOOK is a book file or a postgresql:// address.

Anything but success or ConcurrencyError ends the process with a traceback and exit code 1.
"""

from __future__ import annotations

import json
import sys

from domain.model.errors import ConcurrencyError
from domain.store.base import Metadata, NewEvent
from domain.store.event_store import BackendEventStore
from domain.store.postgres.url import is_postgres_url
from domain.store.sqlite import SqliteEventStore


def open_store(where: str) -> BackendEventStore:
    """A book file, or a book on a PostgreSQL server (a postgresql:// address)."""
    if is_postgres_url(where):
        from domain.store.postgres.store import PostgresEventStore

        return PostgresEventStore.open(where)
    return SqliteEventStore.open(where)


def race(path: str, name: str, count: int) -> None:
    """Compete with another process on the stream "shared"; retry after each conflict."""
    store = open_store(path)
    own = f"own-{name}"
    print("ready", flush=True)
    if sys.stdin.readline().strip() != "go":
        raise SystemExit("expected go")
    conflicts = done = 0
    while done < count:
        event = NewEvent("shared", "Raced", 1, {"by": name, "n": done}, also_in=(own,))
        command = Metadata(f"{name}-{done}")
        if done % 2:
            # read then write in one transaction: BEGIN IMMEDIATE makes this conflict-free
            with store.transaction():
                versions = {"shared": store.stream_version("shared"), own: done}
                store.append([event], versions, command)
        else:
            versions = {"shared": store.stream_version("shared"), own: done}
            try:
                store.append([event], versions, command)
            except ConcurrencyError:
                conflicts += 1
                continue
        done += 1
    store.close()
    print(json.dumps({"conflicts": conflicts}), flush=True)


def own(path: str, name: str, count: int) -> None:
    """Append ``count`` entries, each a new stream also in this writer's account: writers
    entering different entries in different accounts, sharing only the log."""
    store = open_store(path)
    account = f"account-{name}"
    print("ready", flush=True)
    if sys.stdin.readline().strip() != "go":
        raise SystemExit("expected go")
    for done in range(count):
        entry = f"entry-{name}-{done}"
        event = NewEvent(entry, "Posted", 1, {"by": name, "n": done}, also_in=(account,))
        store.append([event], {entry: 0, account: done}, Metadata(f"{name}-{done}"))
    store.close()
    print(json.dumps({"conflicts": 0}), flush=True)


def acks(path: str, count: int) -> None:
    """Append multi-event commands, printing each command id once it is committed."""
    store = open_store(path)
    print("ready", flush=True)
    for i in range(count):
        entry = f"entry-{i}"
        with store.transaction():
            versions = {s: store.stream_version(s) for s in (entry, "account-a", "account-b")}
            store.append(
                [
                    NewEvent(entry, "EntryPosted", 1, {"i": i, "pad": "x" * 200}, ("account-a",)),
                    NewEvent(entry, "EntryNoted", 1, {"i": i}, ("account-b",)),
                    NewEvent("account-a", "Touched", 1, {"i": i}),
                ],
                versions,
                Metadata(f"cmd-{i}"),
            )
        print(f"cmd-{i}", flush=True)  # only after the commit returned: acknowledged
    store.close()


if __name__ == "__main__":
    mode, *args = sys.argv[1:]
    if mode == "race":
        race(args[0], args[1], int(args[2]))
    elif mode == "own":
        own(args[0], args[1], int(args[2]))
    elif mode == "acks":
        acks(args[0], int(args[1]))
    else:
        raise SystemExit(f"unknown mode {mode}")
