"""Reconcile: entries ticked until they make the statement's balance; an undo keeps them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from domain_given import DAY, World, opened, posted, voided

from domain.model.commands import ImportStatement, Reconcile, StatementLine, UndoImport
from domain.model.errors import InvalidCommand, ReconciliationMismatch
from domain.model.events import AccountReconciled, AccountType, Event, ImportUndone

LATER = DAY + dt.timedelta(days=30)


def books() -> World:
    return World.given(
        opened("chk", "Checking"),
        opened("food", "Food", AccountType.EXPENSE),
        posted("e1", ("chk", -1250), ("food", 1250)),
        posted("e2", ("chk", -500), ("food", 500)),
        posted("late", ("chk", -100), ("food", 100), on=LATER + dt.timedelta(days=1)),
    )


def reconcile(balance: str, *entries: str, on: dt.date = LATER) -> Reconcile:
    return Reconcile(
        account_id="chk", statement_date=on, balance=Decimal(balance), entry_ids=entries
    )


def run(world: World, command: Reconcile | UndoImport | ImportStatement) -> list[Event]:
    events = world.when(command)
    for event in events:
        world.apply(event)
    return events


def test_entries_that_make_the_balance_are_reconciled_and_the_next_builds_on_them() -> None:
    world = books()
    [event] = run(world, reconcile("-12.50", "e1"))
    assert isinstance(event, AccountReconciled)
    assert [(e.entry_id, e.amount) for e in event.entries] == [("e1", -1250)]
    assert world.reconciliation("chk").entries == {"e1": LATER}
    [second] = run(world, reconcile("-18.50", "e2", "late", on=LATER + dt.timedelta(days=2)))
    assert isinstance(second, AccountReconciled) and second.balance == -1850


def test_a_difference_is_refused_naming_it() -> None:
    with pytest.raises(ReconciliationMismatch, match=r"difference of -5\.00 EUR"):
        books().when(reconcile("-17.50", "e1"))


@pytest.mark.parametrize(
    ("entry", "words"),
    [("late", "dated after"), ("nope", "no entry"), ("v", "voided"), ("other", "does not post")],
)
def test_entries_a_statement_cannot_show_are_refused(entry: str, words: str) -> None:
    world = books()
    world.apply(opened("sav", "Savings"))
    gone = posted("v", ("chk", -1), ("food", 1))
    for event in (gone, voided(gone), posted("other", ("sav", -1), ("food", 1))):
        world.apply(event)
    with pytest.raises(Exception, match=words):
        world.when(reconcile("0", entry))


def test_an_entry_is_reconciled_once_and_statements_go_forward() -> None:
    world = books()
    run(world, reconcile("-12.50", "e1"))
    with pytest.raises(InvalidCommand, match="was reconciled on"):
        world.when(reconcile("-25.00", "e1"))
    with pytest.raises(InvalidCommand, match="comes before it"):
        world.when(reconcile("-12.50", on=DAY))


def test_undoing_an_import_keeps_its_reconciled_entries() -> None:
    world = books()
    rows = tuple(
        StatementLine(line=n, booking_date=DAY, amount=Decimal("-1"), payee=f"p{n}") for n in (2, 3)
    )
    run(world, ImportStatement(account_id="chk", file_name="s.csv", sha256="", format="csv",
                               rows=rows, import_id="imp", suspense_account_id="sus"))  # fmt: skip
    run(world, reconcile("-1.00", "imp-1"))
    undone = run(world, UndoImport(import_id="imp"))[0]
    assert isinstance(undone, ImportUndone)
    assert [(k.entry_id, k.reason) for k in undone.kept] == [
        ("imp-1", f"reconciled with the statement of {LATER}")
    ]
    assert [r.entry_id for r in undone.voided] == ["imp-2"]
