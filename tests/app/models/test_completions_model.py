"""The entry row's completion lists change in place: moves and inserts, not resets."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex

from app.models.completions import NamesModel


def test_to_front_moves_a_known_name_and_inserts_a_new_one(
    qtmodeltester: Any, qtbot: Any
) -> None:
    model = NamesModel()
    model.fill(["Bakery", "ACME", "Market"])
    qtmodeltester.check(model)
    resets: list[None] = []
    model.modelReset.connect(lambda: resets.append(None))
    moved: list[tuple[int, int]] = []
    model.rowsMoved.connect(lambda _p, first, last, _d, _r: moved.append((first, last)))
    model.to_front(["market", "Vet"])  # a payee's case is not a new payee
    assert model.names() == ["Vet", "market", "Bakery", "ACME"]
    assert moved == [(2, 2)] and not resets
    qtmodeltester.check(model)


def test_sync_keeps_the_order_given_by_removing_moving_and_inserting(
    qtmodeltester: Any,
) -> None:
    model = NamesModel()
    model.fill(["Cash", "Checking", "Food"])
    inserted: list[int] = []
    model.rowsInserted.connect(lambda _p, first, _last: inserted.append(first))
    model.sync(["Checking", "Food", "Pets", "Savings"])
    assert model.names() == ["Checking", "Food", "Pets", "Savings"]
    assert inserted == [2, 3]
    assert model.rowCount(QModelIndex()) == 4
    qtmodeltester.check(model)
