"""Import Statement and Undo Import: given events, when the command, then its events or error."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from domain_given import World, opened, posted, voided

from domain.model.commands import ImportStatement, StatementBalanceLine, StatementLine, UndoImport
from domain.model.errors import (
    CurrencyMismatch,
    ImportAlreadyUndone,
    InsufficientFunds,
    InvalidCommand,
    UnknownAccount,
    UnknownImport,
    WrongAccountType,
)
from domain.model.events import (
    AccountOpened,
    AccountType,
    EntryKind,
    EntryPosted,
    EntryVoided,
    Event,
    ImportUndone,
    StatementImported,
)

DAY = dt.date(2024, 3, 2)


def row(line: int, amount: str, payee: str = "Shop", **fields: Any) -> StatementLine:
    fields.setdefault("booking_date", DAY)
    return StatementLine(line=line, amount=Decimal(amount), payee=payee, **fields)


def statement(*rows: StatementLine, import_id: str = "imp", **fields: Any) -> ImportStatement:
    fields.setdefault("account_id", "chk")
    return ImportStatement(
        file_name="jan.csv", sha256="00ff", format="csv", rows=rows, import_id=import_id,
        suspense_account_id=f"sus-{import_id}", **fields,
    )  # fmt: skip


def books(overdraft: bool = True) -> World:
    return World.given(
        opened("chk", "Checking", overdraft=overdraft, opening=0),
        opened("food", "Food", AccountType.EXPENSE),
        opened("pay", "Salary", AccountType.INCOME),
    )


def run(world: World, command: ImportStatement | UndoImport) -> list[Event]:
    events = world.when(command)
    for event in events:
        world.apply(event)
    return events


def test_an_import_is_one_change_recording_the_file_and_its_entries() -> None:
    world = books()
    events = run(
        world,
        statement(
            row(2, "-12.50", category_id="food", raw="2024-03-02;Shop;-12,50"),
            row(3, "2500", "ACME", category_id="pay", bank_id="T-1"),
            balances=(StatementBalanceLine(kind="closing", amount=Decimal("2487.50"), on=DAY),),
        ),
    )
    header, *entries = events
    assert isinstance(header, StatementImported)
    assert (header.file_name, header.sha256, header.format, header.row_count) == (
        "jan.csv", "00ff", "csv", 2,
    )  # fmt: skip
    assert (header.first_date, header.last_date) == ("2024-03-02", "2024-03-02")
    balances = [(b.kind, b.on, b.amount) for b in header.balances]
    assert balances == [("closing", "2024-03-02", 248750)]
    assert [(r.entry_id, r.line, r.bank_id, r.raw) for r in header.rows] == [
        ("imp-1", 2, "", "2024-03-02;Shop;-12,50"),
        ("imp-2", 3, "T-1", ""),
    ]
    assert [type(e) for e in entries] == [EntryPosted, EntryPosted]
    first, second = entries
    assert isinstance(first, EntryPosted) and isinstance(second, EntryPosted)
    assert first.kind is EntryKind.WITHDRAWAL and second.kind is EntryKind.DEPOSIT
    assert world.account("chk").balance == 248750
    assert world.account("food").balance == 1250


def test_rows_without_category_go_to_uncategorised_opened_once() -> None:
    world = books()
    events = run(world, statement(row(2, "-5"), row(3, "7")))
    opened_accounts = [e for e in events if isinstance(e, AccountOpened)]
    assert [(e.name, e.account_type) for e in opened_accounts] == [
        ("Uncategorised", AccountType.EQUITY)
    ]
    assert world.account("sus-imp").balance == -200
    again = run(world, statement(row(2, "-9", "Other"), import_id="imp2"))
    assert not any(isinstance(e, AccountOpened) for e in again)
    assert world.account("sus-imp").balance == 700  # debit-positive: -2.00 + 9.00


def test_the_same_file_twice_adds_nothing() -> None:
    world = books()
    rows = (row(2, "-3", "Coffee"), row(3, "-3", "Coffee"), row(4, "1", bank_id="X"))
    run(world, statement(*rows))
    events = run(world, statement(*rows, import_id="imp2"))
    assert len(events) == 1
    header = events[0]
    assert isinstance(header, StatementImported)
    assert header.rows == () and [s.line for s in header.skipped] == [2, 3, 4]
    assert world.account("chk").balance == -500


def test_two_equal_rows_in_one_file_are_two_entries_and_a_third_one_comes_in_later() -> None:
    world = books()
    run(world, statement(row(2, "-3", "Coffee"), row(3, "-3", "Coffee")))
    events = run(
        world,
        statement(row(5, "-3", "Coffee"), row(6, "-3", "coffee "), row(7, "-3", "Coffee"),
                  import_id="imp2"),
    )  # fmt: skip
    header = events[0]
    assert isinstance(header, StatementImported)
    assert [r.line for r in header.rows] == [7]  # text compares trimmed and in any case
    assert world.account("chk").balance == -900


def test_a_bank_id_repeated_within_the_file_is_two_rows_both_known_next_time() -> None:
    world = books()
    rows = (row(2, "-3", bank_id="A"), row(3, "-4", bank_id="A"), row(4, "-5", bank_id="B"))
    events = run(world, statement(*rows))
    header = events[0]
    assert isinstance(header, StatementImported)
    assert [r.line for r in header.rows] == [2, 3, 4]  # some banks repeat an id
    again = run(world, statement(*rows, import_id="imp2"))[0]
    assert isinstance(again, StatementImported)
    assert again.rows == () and [s.kind for s in again.skipped] == ["duplicate"] * 3


def test_long_bank_texts_are_cut_to_the_books_limit_and_kept_whole_as_provenance() -> None:
    world = books()
    memo = "SEPA " * 200
    events = run(world, statement(row(2, "-3", memo=memo, raw=f"x;{memo}")))
    header, posted = events[0], events[-1]
    assert isinstance(header, StatementImported) and isinstance(posted, EntryPosted)
    assert len(posted.memo) == 500 and posted.memo.endswith("…")
    assert header.rows[0].raw == f"x;{memo}".strip()


def test_a_statement_in_no_currency_xxx_goes_into_the_account_as_its_own() -> None:
    assert len(books().when(statement(row(2, "-3"), currency="XXX"))) == 3


def test_the_bank_id_decides_for_that_account_only() -> None:
    world = books()
    world.apply(opened("card", "Card", AccountType.LIABILITY))
    run(world, statement(row(2, "-3", bank_id="A")))
    events = run(world, statement(row(2, "-3", bank_id="A"), account_id="card", import_id="i2"))
    header = events[0]
    assert isinstance(header, StatementImported) and len(header.rows) == 1


def test_a_voided_entry_does_not_come_back() -> None:
    world = books()
    events = run(world, statement(row(2, "-3")))
    posted = events[-1]
    assert isinstance(posted, EntryPosted)
    world.apply(voided(posted))
    again = run(world, statement(row(2, "-3"), import_id="imp2"))
    assert len(again) == 1 and world.account("chk").balance == 0


def test_pending_and_zero_rows_are_skipped_with_their_reason() -> None:
    world = books()
    events = run(world, statement(row(2, "-3", pending=True), row(3, "0")))
    header = events[0]
    assert isinstance(header, StatementImported)
    assert [s.reason.split(":")[0] for s in header.skipped] == ["pending", "a zero amount"]


@pytest.mark.parametrize(
    ("command", "error", "words"),
    [
        (statement(row(2, "-3"), account_id="nope"), UnknownAccount, "no account"),
        (statement(row(2, "-3"), account_id="food"), WrongAccountType, "expense"),
        (statement(row(2, "-3"), currency="USD"), CurrencyMismatch, "USD"),
        (statement(row(2, "1"), row(9, "-3", category_id="gone")), UnknownAccount, "line 9"),
    ],
)
def test_a_bad_import_is_refused_naming_the_row(
    command: ImportStatement, error: type[Exception], words: str
) -> None:
    with pytest.raises(error, match=words):
        books().when(command)


def test_the_overdraft_rule_sees_each_rows_balance() -> None:
    world = books(overdraft=False)
    with pytest.raises(InsufficientFunds, match="line 3"):
        world.when(statement(row(2, "5"), row(3, "-6"), row(4, "10")))
    assert len(world.when(statement(row(2, "5"), row(3, "-5")))) == 4


def test_undo_voids_every_entry_and_releases_the_rows() -> None:
    world = books()
    run(world, statement(row(2, "-3", category_id="food"), row(3, "8")))
    events = run(world, UndoImport(import_id="imp"))
    undone, *voids = events
    assert isinstance(undone, ImportUndone) and undone.kept == ()
    assert [type(e) for e in voids] == [EntryVoided, EntryVoided]
    assert world.account("chk").balance == 0 and world.account("food").balance == 0
    again = run(world, statement(row(2, "-3", category_id="food"), import_id="imp2"))
    assert len(again) == 2  # undone rows may be imported again (another mapping, say)


def test_undo_keeps_entries_already_voided_and_says_why() -> None:
    world = books()
    events = run(world, statement(row(2, "-3"), row(3, "-4")))
    world.apply(voided(events[-1]))  # type: ignore[arg-type]
    undone = run(world, UndoImport(import_id="imp"))[0]
    assert isinstance(undone, ImportUndone)
    kept = [(k.entry_id, k.reason) for k in undone.kept]
    assert kept == [("imp-2", "already voided on 2024-03-01")]
    assert [r.entry_id for r in undone.voided] == ["imp-1"]


def test_a_row_linked_to_an_entry_typed_by_hand_posts_nothing_and_undo_unlinks_it() -> None:
    world = books()
    typed = posted("hand", ("chk", -1250), ("food", 1250), on=dt.date(2024, 3, 1))
    world.apply(typed)
    events = run(world, statement(row(2, "-12.50", match_entry_id="hand"), row(3, "-1")))
    header = events[0]
    assert isinstance(header, StatementImported)
    assert [(r.entry_id, r.line) for r in header.linked] == [("hand", 2)]
    assert [r.line for r in header.rows] == [3]
    assert world.account("chk").balance == -1350  # the typed entry and one new entry
    assert world.imported_rows("chk").linked == {"hand": "imp"}
    again = run(world, statement(row(2, "-12.50"), import_id="imp2"))[0]
    assert isinstance(again, StatementImported) and again.rows == ()  # known: no new entry
    undone = run(world, UndoImport(import_id="imp"))[0]
    assert isinstance(undone, ImportUndone) and [r.entry_id for r in undone.unlinked] == ["hand"]
    assert world.account("chk").balance == -1250 and not world.entry("hand").voided
    assert world.imported_rows("chk").linked == {}


@pytest.mark.parametrize(
    ("amount", "day", "words"),
    [("-12.00", 2, "moves -12.50"), ("-12.50", 20, "more than 7 days")],
)
def test_a_link_must_be_the_same_amount_within_a_week(amount: str, day: int, words: str) -> None:
    world = books()
    world.apply(posted("hand", ("chk", -1250), ("food", 1250)))
    link = row(2, amount, match_entry_id="hand", booking_date=dt.date(2024, 3, day))
    with pytest.raises(InvalidCommand, match=words):
        world.when(statement(link))
    with pytest.raises(InvalidCommand, match="linked to another"):
        world.when(statement(row(2, "-12.50", match_entry_id="hand"),
                             row(3, "-12.50", "Other", match_entry_id="hand")))  # fmt: skip


def test_undo_twice_or_of_no_import_is_refused() -> None:
    world = books()
    run(world, statement(row(2, "-3")))
    run(world, UndoImport(import_id="imp"))
    with pytest.raises(ImportAlreadyUndone):
        world.when(UndoImport(import_id="imp"))
    with pytest.raises(UnknownImport):
        world.when(UndoImport(import_id="other"))
