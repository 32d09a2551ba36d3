"""``diff`` against two plain folds: balances at both points, and differences that are exactly
the sum of the events listed."""

from __future__ import annotations

import json
import random
from decimal import Decimal
from pathlib import Path

import pytest

from app.cli.main import main
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
