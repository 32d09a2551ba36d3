"""``history``'s filters against a plain Python filter over the events of generated books."""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.cli.main import main
from domain.projections.fold import fold
from domain.projections.rows import HistoryRow
from domain.store.base import StoredEvent
from domain.store.sqlite.store import SqliteEventStore


def run(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, str, str]:
    status = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


def texts(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from texts(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from texts(item)


def plain(events: list[StoredEvent], rows: dict[int, HistoryRow], f: dict[str, Any]) -> list[int]:
    """The positions a filter keeps, written out the plain way."""
    kept = []
    for e in events:
        row = rows[e.position]
        data = dict(e.data)
        named = {data.get("account_id")} | {p[0] for p in data.get("postings", [])}
        haystack = [row.summary, row.account, row.author, e.metadata["command_id"]]
        if e.position < f.get("from", 1):
            continue
        if "type" in f and e.type != f["type"]:
            continue
        if "account" in f and f["account"] not in named:
            continue
        if "search" in f and not any(
            f["search"].lower() in t.lower() for t in haystack + list(texts(data))
        ):
            continue
        if "from_date" in f and (row.booking_date is None or row.booking_date < f["from_date"]):
            continue
        if "to_date" in f and (row.booking_date is None or row.booking_date > f["to_date"]):
            continue
        if "recorded_from" in f and e.recorded_at < f["recorded_from"]:
            continue
        if "recorded_to" in f and e.recorded_at > f["recorded_to"]:
            continue
        kept.append(e.position)
    return kept[: f["limit"]] if "limit" in f else kept


def options(f: dict[str, Any], names: dict[str, str]) -> list[str]:
    argv: list[str] = []
    for key, value in f.items():
        flag = "--" + key.replace("_", "-")
        if key == "account" and value in names:  # half the time by name
            value = names[value] if len(value) % 2 else value
        argv += [flag, value.isoformat() if hasattr(value, "isoformat") else str(value)]
    return argv


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_history_filters_keep_what_a_plain_filter_keeps(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], seed: int
) -> None:
    book = tmp_path / "b.tallybook"
    status, _, _ = run(capsys, "generate", book, "--accounts", 10, "--commands", 400,
                       "--seed", seed, "--batch", 37)  # fmt: skip
    assert status == 0
    with SqliteEventStore.open(book, readonly=True) as store:
        events = list(store.read_all())
    books = fold(events)
    rows = {r.position: r for r in books.history()}
    names = {a.account_id: a.name for a in books.accounts()}
    rng = random.Random(seed)
    dated = sorted(r.booking_date for r in rows.values() if r.booking_date is not None)
    payees = sorted({str(e.data["payee"]) for e in events if e.data.get("payee")})
    types = sorted({e.type for e in events})
    fewer = 0
    for _ in range(40):
        f: dict[str, Any] = {}
        for key in rng.sample(["type", "account", "search", "dates", "recorded", "from",
                               "limit"], rng.randint(1, 3)):  # fmt: skip
            if key == "type":
                f["type"] = rng.choice(types)
            elif key == "account":
                f["account"] = rng.choice(sorted(names))
            elif key == "search":
                payee = rng.choice(payees)
                start = rng.randrange(len(payee))
                f["search"] = payee[start : start + rng.randint(2, 5)].upper()
            elif key == "dates":
                f["from_date"], f["to_date"] = sorted(rng.sample(dated, 2))
            elif key == "recorded":
                moments = sorted(rng.sample([e.recorded_at for e in events], 2))
                f["recorded_from"], f["recorded_to"] = moments
            elif key == "from":
                f["from"] = rng.randint(1, len(events))
            else:
                f["limit"] = rng.randint(0, 30)
        status, out, err = run(capsys, "history", book, *options(f, names))
        assert status == 0, err
        got = [json.loads(line)["position"] for line in out.splitlines()]
        assert got == plain(events, rows, f), f
        fewer += 0 < len(got) < len(events)
    assert fewer > 10  # the filters were not all trivially empty or everything


def test_an_unknown_account_is_one_line_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = tmp_path / "b.tallybook"
    run(capsys, "generate", book, "--accounts", 8, "--commands", 20, "--seed", 1)
    status, out, err = run(capsys, "history", book, "--account", "Nowhere")
    assert (status, out) == (1, "")
    assert err.count("\n") == 1 and "Nowhere" in err


def test_recorded_times_without_an_offset_are_utc(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = tmp_path / "b.tallybook"
    run(capsys, "generate", book, "--accounts", 8, "--commands", 20, "--seed", 1)
    status, out, _ = run(capsys, "history", book, "--limit", 1)
    first = dt.datetime.fromisoformat(json.loads(out)["recorded_at"])
    naive = first.astimezone(dt.UTC).replace(tzinfo=None).isoformat()
    status, out, _ = run(capsys, "history", book, "--recorded-to", naive)
    assert status == 0 and json.loads(out.splitlines()[0])["recorded_at"] == first.isoformat()
    shifted = (first + dt.timedelta(hours=1)).astimezone(dt.timezone(dt.timedelta(hours=2)))
    status, out, _ = run(capsys, "history", book, "--recorded-from", shifted.isoformat())
    assert all(dt.datetime.fromisoformat(json.loads(x)["recorded_at"]) >= shifted
               for x in out.splitlines())  # fmt: skip
