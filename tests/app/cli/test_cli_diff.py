"""``diff`` against two plain folds: balances at both points, and differences that are exactly
the sum of the events listed."""

from __future__ import annotations

import datetime as dt
import json
import random
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from app.cli.main import main
from domain.model.event_schema import from_data
from domain.model.events import AccountOpened
from domain.model.money import decimal_string
from domain.projections.fold import fold
from domain.store.sqlite.store import SqliteEventStore


def run(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, str, str]:
    status = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize("seed", [4, 5])
def test_diff_matches_two_folds_and_sums_to_its_events(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], seed: int
) -> None:
    book = tmp_path / "b.tallybook"
    status, _, _ = run(capsys, "generate", book, "--accounts", 12, "--commands", 300,
                       "--seed", seed, "--batch", 23)  # fmt: skip
    assert status == 0
    with SqliteEventStore.open(book, readonly=True) as store:
        events = list(store.read_all())
    head = len(events)
    rng = random.Random(seed)
    pairs = [(0, head), (0, 0), (head, head)]
    pairs += [tuple(sorted(rng.sample(range(head + 1), 2))) for _ in range(12)]  # type: ignore[misc]
    voids = 0
    for start, end in pairs:
        status, out, err = run(capsys, "diff", book, "--from", start, "--to", end)
        assert status == 0, err
        got = json.loads(out)
        assert (got["from"], got["to"]) == (start, end)
        assert [e["position"] for e in got["events"]] == list(range(start + 1, end + 1))
        voids += sum(e["type"] == "EntryVoided" for e in got["events"])
        old = {a.account_id: a for a in fold(events, start).accounts()}
        new = fold(events, end).accounts()
        assert [a["id"] for a in got["accounts"]] == [a.account_id for a in new]
        sums = {a.account_id: Decimal(0) for a in new}
        for event in got["events"]:
            for account_id, amount in event["changes"].items():
                sums[account_id] += Decimal(amount)
        for shown, row in zip(got["accounts"], new, strict=True):
            before = old[row.account_id].balance if row.account_id in old else 0
            assert shown["name"] == row.name
            assert shown["before"] == decimal_string(before, row.currency)
            assert shown["after"] == decimal_string(row.balance, row.currency)
            assert shown["difference"] == decimal_string(row.balance - before, row.currency)
            assert Decimal(shown["difference"]) == sums[row.account_id], row.name
    assert voids > 0  # the voids' reversals were summed too


@pytest.mark.parametrize("bounds", [("--from", 5, "--to", 4), ("--to", 10_000)])
def test_points_outside_the_book_are_one_line_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], bounds: tuple[object, ...]
) -> None:
    book = tmp_path / "b.tallybook"
    run(capsys, "generate", book, "--accounts", 8, "--commands", 20, "--seed", 1)
    status, out, err = run(capsys, "diff", book, *bounds)
    assert (status, out) == (1, "")
    assert err.count("\n") == 1 and "head" in err


def folded_on(events: list[Any], p: int, day: dt.date) -> dict[str, Decimal]:
    """Balances as of the end of ``day`` from the fold of events 1..p, cut by hand."""
    opened = {}
    for stored in events[:p]:
        if stored.type == "AccountOpened":
            event = from_data(stored.type, stored.schema_version, stored.data)
            assert isinstance(event, AccountOpened)
            opened[event.account_id] = event
    books, out = fold(events, p), {}
    for row in books.accounts():
        event = opened[row.account_id]
        if event.opening_date <= day:
            rows = [r.amount for r in books.register(row.account_id) if r.booking_date <= day]
            out[row.account_id] = Decimal(decimal_string(event.opening_balance + sum(rows),
                                                         row.currency))  # fmt: skip
    return out


def test_diff_takes_dates_and_sums_to_its_events(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = tmp_path / "b.tallybook"
    assert run(capsys, "generate", book, "--accounts", 10, "--commands", 300, "--seed", 7)[0] == 0
    with SqliteEventStore.open(book, readonly=True) as store:
        events = list(store.read_all())
    head, rng = len(events), random.Random(7)
    days = sorted({dt.date.fromisoformat(e.data["booking_date"]) for e in events
                   if "booking_date" in e.data})  # fmt: skip
    for _ in range(6):
        start = rng.randrange(head + 1)
        a, b = rng.choice(days), rng.choice(days)
        status, out, err = run(capsys, "diff", book, "--from", f"{start}@{a}", "--to", b)
        assert status == 0, err
        got = json.loads(out)
        assert (got["from"], got["to"]) == (f"{start}@{a}", f"{head}@{b}")
        old, new = folded_on(events, start, a), folded_on(events, head, b)
        sums: dict[str, Decimal] = {}
        for event in got["events"]:
            for account_id, amount in event["changes"].items():
                sums[account_id] = sums.get(account_id, Decimal(0)) + Decimal(amount)
        assert {s["id"] for s in got["accounts"]} == old.keys() | new.keys()
        for shown in got["accounts"]:
            aid = shown["id"]
            assert Decimal(shown["before"]) == old.get(aid, 0)
            assert Decimal(shown["after"]) == new.get(aid, 0)
            assert Decimal(shown["difference"]) == sums.get(aid, 0), shown["name"]


def test_diff_refuses_a_point_that_is_neither_position_nor_date(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = tmp_path / "b.tallybook"
    run(capsys, "generate", book, "--accounts", 8, "--commands", 10)
    with pytest.raises(SystemExit):
        run(capsys, "diff", book, "--from", "2025-13-01")
    assert "expected a position, a date YYYY-MM-DD" in capsys.readouterr().err
