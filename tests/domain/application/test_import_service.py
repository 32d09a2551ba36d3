"""Imports through the BookService on the in-memory backend: one atomic change, duplicates
known from the account's imported-rows stream, undo; replay equals the live state."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from domain_given import World
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.application.service import BookService
from domain.model.commands import (
    ImportStatement,
    OpenAccount,
    Reconcile,
    StatementLine,
    UndoImport,
    VoidEntry,
)
from domain.model.errors import InsufficientFunds
from domain.model.events import AccountType, ImportUndone, from_data
from domain.store.memory import InMemoryEventStore

DAY = dt.date(2024, 3, 1)


def new_books(*, overdraft: bool = True) -> BookService:
    service = BookService(InMemoryEventStore(), snapshot_every=3)
    service.execute(
        OpenAccount(
            name="Checking", account_type=AccountType.ASSET, currency="EUR", opening_date=DAY,
            opening_balance=Decimal(100), overdraft_allowed=overdraft, account_id="chk",
            opening_entry_id="open-chk", opening_balances_account_id="ob",
        )
    )  # fmt: skip
    service.execute(
        OpenAccount(name="Food", account_type=AccountType.EXPENSE, currency="EUR",
                    opening_date=DAY, account_id="food")
    )  # fmt: skip
    return service


def statement(rows: tuple[StatementLine, ...], import_id: str) -> ImportStatement:
    return ImportStatement(
        account_id="chk", file_name="s.csv", sha256="ab", format="csv", rows=rows,
        import_id=import_id, suspense_account_id="sus",
    )  # fmt: skip


def line(n: int, amount: str, payee: str = "Shop", day: int = 2, **fields: object) -> StatementLine:
    return StatementLine(
        line=n, booking_date=DAY.replace(day=day), amount=Decimal(amount), payee=payee,
        **fields,  # type: ignore[arg-type]
    )  # fmt: skip


def balances(service: BookService) -> dict[str, int]:
    return {name: service.account(a).balance for a, name in service.chart().display.items()}


def replayed(service: BookService) -> World:
    world = World()
    for stored in service.store.read_all():
        world.apply(from_data(stored.type, stored.schema_version, stored.data))
    return world


def test_an_import_is_one_command_with_one_command_id() -> None:
    service = new_books()
    events = service.execute(statement((line(2, "-5"), line(3, "-6", category_id="food")), "i1"))
    assert [e.type for e in events] == [
        "StatementImported", "AccountOpened", "EntryPosted", "EntryPosted",
    ]  # fmt: skip
    assert len({e.metadata["command_id"] for e in events}) == 1
    assert events[0].stream_id == "import-i1"
    assert "statement-rows-chk" in events[0].also_in


def test_each_entry_knows_its_statement_row() -> None:
    service = new_books()
    service.execute(statement((line(2, "-5", bank_id="F1", raw="02.03.;Shop;-5,00"),), "i1"))
    row = service.provenance("i1-1")
    assert row is not None and (row.line, row.bank_id, row.raw) == (2, "F1", "02.03.;Shop;-5,00")
    assert service.provenance("open-chk") is None and service.provenance("i1-9") is None


def test_an_import_that_breaks_a_rule_writes_nothing() -> None:
    service = new_books(overdraft=False)
    head = service.store.head()
    with pytest.raises(InsufficientFunds, match=r"row 2 \(line 3\)"):
        service.execute(statement((line(2, "-50"), line(3, "-60")), "i1"))
    assert service.store.head() == head
    assert not service.statement_import("i1").exists


def test_a_voided_entry_stays_out_and_undo_keeps_it_with_the_reason() -> None:
    service = new_books()
    rows = (line(2, "-5"), line(3, "-6"))
    service.execute(statement(rows, "i1"))
    service.execute(VoidEntry(entry_id="i1-2", voided_on=DAY, reason="twice"))
    assert [e.type for e in service.execute(statement(rows, "i2"))] == ["StatementImported"]
    undone = service.execute(UndoImport(import_id="i1"))
    event = from_data(undone[0].type, undone[0].schema_version, undone[0].data)
    assert isinstance(event, ImportUndone)
    assert [k.entry_id for k in event.kept] == ["i1-2"]
    assert service.account("chk").balance == 10000


def test_replay_and_a_fresh_service_equal_the_live_state() -> None:
    service = new_books()
    for n in range(8):  # past snapshot_every: the rows stream is snapshotted and restored
        service.execute(statement((line(2, "-1", f"p{n}"), line(3, "2", bank_id=f"b{n}")), f"i{n}"))
    service.execute(UndoImport(import_id="i3"))
    service.execute(
        Reconcile(account_id="chk", statement_date=DAY.replace(day=9), balance=Decimal("101"),
                  entry_ids=("open-chk", "i0-1", "i0-2"))
    )  # fmt: skip
    world = replayed(service)
    fresh = BookService(service.store)
    live_rows = service.imported_rows("chk")
    assert fresh.imported_rows("chk") == live_rows == world.imported_rows("chk")
    assert len(live_rows.keys) == 14
    assert fresh.reconciliation("chk") == service.reconciliation("chk")
    assert service.reconciliation("chk") == world.reconciliation("chk")
    assert service.reconciliation("chk").balance == 10100
    for n in range(8):
        assert fresh.statement_import(f"i{n}") == world.statement_import(f"i{n}")
    assert (
        balances(fresh) == balances(service) == {w.name: w.balance for w in world.accounts.values()}
    )


amounts = st.decimals(min_value=-500, max_value=500, places=2).filter(lambda d: d != 0)
rows_strategy = st.lists(
    st.tuples(
        st.integers(1, 5),
        amounts,
        st.sampled_from(["Shop", "shop ", "Rent", ""]),
        st.sampled_from(["", "", "F1", "F2"]),
        st.booleans(),
    ),
    max_size=12,
)


def as_lines(drawn: list[tuple[int, Decimal, str, str, bool]]) -> tuple[StatementLine, ...]:
    return tuple(
        StatementLine(
            line=n,
            booking_date=DAY.replace(day=day),
            amount=amount,
            payee=payee,
            bank_id=bank_id,
            category_id="food" if food else "",
        )
        for n, (day, amount, payee, bank_id, food) in enumerate(drawn, start=2)
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows_strategy)
def test_importing_twice_equals_importing_once(
    drawn: list[tuple[int, Decimal, str, str, bool]],
) -> None:
    rows = as_lines(drawn)
    once, twice = new_books(), new_books()
    once.execute(statement(rows, "i1"))
    twice.execute(statement(rows, "i1"))
    second = twice.execute(statement(rows, "i2"))
    assert [e.type for e in second] == ["StatementImported"]
    assert balances(once) == balances(twice)
    entries = [e.data for e in once.store.read_all() if e.type == "EntryPosted"]
    assert entries == [e.data for e in twice.store.read_all() if e.type == "EntryPosted"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows_strategy)
def test_import_then_undo_leaves_the_balances_as_before(
    drawn: list[tuple[int, Decimal, str, str, bool]],
) -> None:
    service = new_books()
    service.execute(statement((line(1, "-1"),), "i0"))  # Uncategorised exists before
    before = balances(service)
    service.execute(statement(as_lines(drawn), "i1"))
    service.execute(UndoImport(import_id="i1"))
    assert balances(service) == before
    assert service.statement_import("i1").undone


def test_a_big_import_snapshots_the_accounts_imported_rows_at_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from domain.application import loading

    monkeypatch.setattr(loading, "SNAPSHOT_SIZE", 5)  # 10,000 rows, in small
    service = BookService(new_books().store)  # snapshot_every 200: versions alone would wait
    service.execute(statement(tuple(line(n, "-1", f"p{n}") for n in range(6)), "big"))
    snapshot = service.store.load_snapshot("statement-rows-chk")
    assert snapshot is not None and snapshot.version == 1
    service.execute(statement((line(1, "-1", "small"),), "small"))  # grown by 1: no new one
    assert service.store.load_snapshot("statement-rows-chk") == snapshot
    assert BookService(service.store).imported_rows("chk") == service.imported_rows("chk")
