"""Undo and redo through the BookService: given changes, when undone or redone, then the
compensating events and the mark naming the change, the state as before, and refusals with
their reasons (another author's change since, nothing to undo, a stale request)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from domain.application.service import BookService
from domain.model.commands import (
    CloseAccount,
    Command,
    CorrectEntry,
    Deposit,
    ImportStatement,
    MoveAccount,
    OpenAccount,
    PostSplitEntry,
    Reconcile,
    RedoChange,
    RenameAccount,
    SplitLine,
    StatementLine,
    Transfer,
    UndoChange,
    UndoImport,
    VoidEntry,
    Withdraw,
)
from domain.model.errors import UndoRefused
from domain.model.events import AccountType, CommandRedone, CommandUndone, from_data
from domain.projections import ReadModels
from domain.store.base import StoredEvent
from domain.store.memory import InMemoryEventStore
from domain.store.sqlite import SqliteEventStore

DAY = dt.date(2024, 3, 1)


def account(account_id: str, kind: AccountType, opening: str = "0", **more: object) -> OpenAccount:
    return OpenAccount(
        name=account_id.title(), account_type=kind, currency="EUR", opening_date=DAY,
        opening_balance=Decimal(opening), account_id=account_id,
        opening_entry_id=f"open-{account_id}", opening_balances_account_id="ob",
        **more,  # type: ignore[arg-type]
    )  # fmt: skip


@pytest.fixture
def books() -> BookService:
    service = BookService(InMemoryEventStore(), author="ann", app_version="1.0")
    service.execute(account("chk", AccountType.ASSET, "100"))
    service.execute(account("sav", AccountType.ASSET))
    service.execute(account("food", AccountType.EXPENSE))
    service.execute(account("pay", AccountType.INCOME))
    return service


def state(books: BookService) -> dict[str, tuple[str, int, bool]]:
    """Each account's (name, balance, closed): what an undo must bring back."""
    ids = ("chk", "sav", "food", "pay", "ob")
    return {i: (a.name, a.balance, a.closed) for i in ids for a in [books.account(i)]}


def undo(books: BookService) -> list[StoredEvent]:
    step = books.undo_stacks().undo
    assert step is not None and not step.refusal, step
    return books.execute(UndoChange(undoes=step.command_id))


def redo(books: BookService) -> list[StoredEvent]:
    step = books.undo_stacks().redo
    assert step is not None and not step.refusal, step
    return books.execute(RedoChange(redoes=step.command_id))


def types(events: list[StoredEvent]) -> list[str]:
    return [e.type for e in events]


SPEND = Withdraw(account_id="chk", expense_account_id="food", amount=Decimal("45"),
                 booking_date=DAY, payee="Shop", entry_id="w1")  # fmt: skip
CHANGES: dict[str, Command] = {
    "deposit": Deposit(account_id="chk", income_account_id="pay", amount=Decimal("10"),
                       booking_date=DAY, entry_id="d1"),
    "withdraw": SPEND,
    "transfer": Transfer(from_account_id="chk", to_account_id="sav", amount=Decimal("30"),
                         booking_date=DAY, entry_id="t1"),
    "split": PostSplitEntry(booking_date=DAY, entry_id="s1", lines=(
        SplitLine(account_id="chk", amount=Decimal("-20")),
        SplitLine(account_id="food", amount=Decimal("15")),
        SplitLine(account_id="sav", amount=Decimal("5")))),
    "open_account": account("car", AccountType.ASSET, "250"),
    "rename_account": RenameAccount(account_id="sav", new_name="Rainy Day"),
    "close_account": CloseAccount(account_id="sav", closed_on=DAY),
}  # fmt: skip


@pytest.mark.parametrize("name", list(CHANGES))
def test_each_change_is_undone_to_the_state_before_and_redone_to_the_state_after(
    books: BookService, name: str
) -> None:
    before = state(books)
    books.execute(CHANGES[name])
    after = state(books)
    undone = undo(books)
    assert undone[-1].type == "CommandUndone"
    assert state(books) == before
    assert books.undo_stacks().redo is not None
    redone = redo(books)
    assert redone[-1].type == "CommandRedone"
    assert state(books) == after
    undo(books)  # the redo is undone in turn: undo is forever, not once
    assert state(books) == before


def test_an_undo_names_what_it_undoes_and_the_redo_names_the_undo(books: BookService) -> None:
    done = books.execute(SPEND)
    step = books.undo_stacks().undo
    assert step is not None
    assert step.summary == "Withdrawal 45.00 EUR from Chk to Food — Shop"
    assert books.undo_stacks("en_US").undo.summary.startswith("Withdrawal €45.00 from")  # type: ignore[union-attr]
    undone = undo(books)
    assert types(undone) == ["EntryVoided", "CommandUndone"]
    mark = from_data(undone[-1].type, undone[-1].schema_version, undone[-1].data)
    assert isinstance(mark, CommandUndone)
    assert mark.undone_command_id == SPEND.command_id == done[0].metadata["command_id"]
    assert (mark.first_position, mark.last_position) == (done[0].position, done[-1].position)
    assert mark.summary == step.summary
    redone = redo(books)
    assert types(redone) == ["EntryPosted", "CommandRedone"]
    again = from_data(redone[-1].type, redone[-1].schema_version, redone[-1].data)
    assert isinstance(again, CommandRedone)
    assert again.undo_command_id == undone[0].metadata["command_id"]
    assert again.redone_command_id == SPEND.command_id
    assert redone[0].data["entry_id"] != "w1"  # posted again with a new id
    # the redo's undo names the change itself, read again in the locale asked for
    again_step = books.undo_stacks("de_DE").undo
    assert again_step is not None and again_step.summary.startswith("Withdrawal 45,00\xa0€")
    undo(books)
    redo_step = books.undo_stacks("de_DE").redo
    assert redo_step is not None and redo_step.summary.startswith("Withdrawal 45,00\xa0€")


def test_undos_walk_back_through_the_changes_and_redos_forward(books: BookService) -> None:
    start = state(books)
    books.execute(SPEND)
    one = state(books)
    books.execute(CHANGES["transfer"])
    two = state(books)
    undo(books)
    assert state(books) == one
    undo(books)
    assert state(books) == start
    redo(books)
    assert state(books) == one
    redo(books)
    assert state(books) == two
    assert books.undo_stacks().redo is None


def test_a_new_change_empties_the_redo_stack(books: BookService) -> None:
    books.execute(SPEND)
    undo(books)
    books.execute(CHANGES["deposit"])
    assert books.undo_stacks().redo is None


def test_a_void_is_undone_by_posting_the_entry_again_and_then_the_posting_can_be_undone(
    books: BookService,
) -> None:
    start = state(books)
    books.execute(SPEND)
    spent = state(books)
    books.execute(VoidEntry(entry_id="w1", voided_on=DAY))
    assert types(undo(books)) == ["EntryPosted", "CommandUndone"]
    assert state(books) == spent
    # the withdrawal's undo follows its entry to the one the void's undo posted again
    assert types(undo(books)) == ["EntryVoided", "CommandUndone"]
    assert state(books) == start


def test_a_correction_is_undone_to_the_original(books: BookService) -> None:
    books.execute(SPEND)
    spent = state(books)
    fixed = Withdraw(account_id="chk", expense_account_id="food", amount=Decimal("54"),
                     booking_date=DAY, payee="Shop", entry_id="w2")  # fmt: skip
    books.execute(CorrectEntry(entry_id="w1", replacement=fixed))
    assert types(undo(books)) == ["EntryVoided", "EntryPosted", "CommandUndone"]
    assert state(books) == spent
    step = books.undo_stacks().undo
    assert step is not None and step.summary.startswith("Withdrawal 45.00 EUR")


def test_opening_an_account_is_undone_by_voiding_its_opening_and_closing_it(
    books: BookService,
) -> None:
    books.execute(CHANGES["open_account"])
    assert types(undo(books)) == ["EntryVoided", "AccountClosed", "CommandUndone"]
    assert books.account("car").closed and books.account("car").balance == 0
    redo(books)
    assert not books.account("car").closed
    assert books.account("car").natural_balance.amount == Decimal(250)


def test_a_reconciliation_is_undone_and_redone(books: BookService) -> None:
    books.execute(SPEND)
    books.execute(Reconcile(account_id="chk", statement_date=DAY, balance=Decimal(55),
                            entry_ids=("open-chk", "w1")))  # fmt: skip
    assert set(books.reconciliation("chk").entries) == {"open-chk", "w1"}
    assert types(undo(books)) == ["ReconciliationReopened"] * 2 + ["CommandUndone"]
    assert books.reconciliation("chk").entries == {}
    assert books.reconciliation("chk").balance == 0
    assert types(redo(books)) == ["AccountReconciled", "CommandRedone"]
    assert set(books.reconciliation("chk").entries) == {"open-chk", "w1"}


CAFE = (StatementLine(line=1, booking_date=DAY, amount=Decimal("-12"), payee="Cafe",
                      category_id="food"),)  # fmt: skip


def import_cafe(books: BookService, import_id: str = "imp") -> list[StoredEvent]:
    return books.execute(ImportStatement(account_id="chk", file_name="jan.csv", sha256="ab",
                                         format="csv", rows=CAFE, import_id=import_id))  # fmt: skip


def test_an_import_is_undone_by_the_imports_rule_and_redone(books: BookService) -> None:
    before = state(books)
    import_cafe(books)
    after = state(books)
    step = books.undo_stacks().undo
    assert step is not None and step.summary == "Import of jan.csv into Chk"
    assert types(undo(books)) == ["ImportUndone", "EntryVoided", "CommandUndone"]
    assert state(books) == before and books.statement_import("imp").undone
    # the redo posts the entry again and gives the import its row back
    assert types(redo(books)) == ["EntryPosted", "ImportRestored", "CommandRedone"]
    assert state(books) == after and not books.statement_import("imp").undone
    (row,) = books.statement_import("imp").rows
    assert books.entry(row.entry_id).exists and not books.entry(row.entry_id).voided
    # the row is the import's again: the same statement would bring no second entry
    again = books.preview(ImportStatement(account_id="chk", file_name="jan.csv", sha256="ab",
                                          format="csv", rows=CAFE, import_id="imp2"))  # fmt: skip
    assert [type(e).__name__ for e in again] == ["StatementImported"]
    # and the redo is undone by the import's rule: the entry posted again is voided
    assert types(undo(books)) == ["ImportUndone", "EntryVoided", "CommandUndone"]
    assert state(books) == before and books.statement_import("imp").undone


def test_undo_import_itself_is_undone_by_restoring_the_import(books: BookService) -> None:
    import_cafe(books)
    after = state(books)
    books.execute(UndoImport(import_id="imp", reason="wrong file"))
    step = books.undo_stacks().undo
    assert step is not None and not step.refusal
    assert types(undo(books)) == ["EntryPosted", "ImportRestored", "CommandUndone"]
    assert state(books) == after and not books.statement_import("imp").undone


def test_the_stacks_survive_a_new_service_on_the_same_log(books: BookService) -> None:
    books.execute(SPEND)
    books.execute(CHANGES["transfer"])
    undo(books)
    again = BookService(books.store, author="ann", app_version="1.0")
    stacks = again.undo_stacks()
    assert stacks.undo is not None and stacks.undo.summary.startswith("Withdrawal")
    assert stacks.redo is not None and stacks.redo.summary.startswith("Transfer")


def test_another_authors_later_change_on_the_same_account_is_refused_with_its_name(
    books: BookService,
) -> None:
    books.execute(SPEND)
    bob = BookService(books.store, author="bob", app_version="1.0")
    bob.execute(RenameAccount(account_id="chk", new_name="Giro"))
    step = books.undo_stacks().undo
    assert step is not None and step.summary.startswith("Withdrawal")
    assert "a later change, event 8 by bob with Tallybook 1.0," in step.refusal
    assert "touched Giro" in step.refusal
    with pytest.raises(UndoRefused, match=r"cannot undo Withdrawal .* event 8 by bob"):
        books.execute(UndoChange(undoes=step.command_id))
    # bob's own change is his to undo
    bob_step = bob.undo_stacks().undo
    assert bob_step is not None and bob_step.summary == "Rename Chk to Giro"
    assert not bob_step.refusal


def test_another_programs_change_since_is_refused_even_on_other_accounts(
    books: BookService,
) -> None:
    books.execute(SPEND)
    cli = BookService(books.store, author="ann", app_version="1.0 (cli)")
    cli.execute(RenameAccount(account_id="pay", new_name="Salary"))
    step = books.undo_stacks().undo
    assert step is not None
    assert step.refusal.startswith("the last change in the book, event 8, was recorded by ann")
    assert "Tallybook 1.0 (cli)" in step.refusal


def test_a_stale_or_empty_request_is_refused(books: BookService) -> None:
    fresh = BookService(InMemoryEventStore(), author="ann")
    with pytest.raises(UndoRefused, match="nothing of yours to undo"):
        fresh.execute(UndoChange(undoes="c1"))
    with pytest.raises(UndoRefused, match="nothing of yours to redo"):
        books.execute(RedoChange(redoes="c1"))
    books.execute(SPEND)
    with pytest.raises(UndoRefused, match="is not the one to undo now: that is Withdrawal"):
        books.execute(UndoChange(undoes="someone-else"))


def test_an_opening_dated_before_opening_balances_is_undone_and_redone(
    books: BookService,
) -> None:
    # an opening balance's entry may be dated before Opening Balances was opened; its undo
    # takes that row back on its own day, and the redo restores it there
    early = account("old", AccountType.ASSET, "70")
    books.execute(OpenAccount(**{**vars(early), "opening_date": DAY - dt.timedelta(days=30)}))
    assert types(undo(books)) == ["EntryVoided", "AccountClosed", "CommandUndone"]
    assert types(redo(books)) == ["AccountReopened", "EntryPosted", "CommandRedone"]
    assert books.account("old").natural_balance.amount == Decimal(70)


def test_a_long_change_is_named_from_its_ends_and_undone_whole(books: BookService) -> None:
    rows = tuple(
        StatementLine(line=n, booking_date=DAY, amount=Decimal("-1"), payee=f"Shop {n}",
                      category_id="food")
        for n in range(1, 251)
    )  # fmt: skip
    before = state(books)
    books.execute(ImportStatement(account_id="chk", file_name="big.csv", sha256="ab",
                                  format="csv", rows=rows, import_id="big"))  # fmt: skip
    step = books.undo_stacks().undo
    assert step is not None and step.summary == "Import of big.csv into Chk"
    assert step.change.partial and len(step.change.events) == 2  # the stacks read two events
    undone = undo(books)
    assert types(undone).count("EntryVoided") == 250
    assert state(books) == before


def test_the_read_models_show_undos_as_a_rebuild_does(tmp_path: Path) -> None:
    with SqliteEventStore.create(tmp_path / "b.tallybook") as store:
        read_models = ReadModels(store)
        books = BookService(store, author="ann", projectors=[read_models])
        books.execute(account("chk", AccountType.ASSET, "100"))
        books.execute(account("sav", AccountType.ASSET))
        books.execute(CloseAccount(account_id="sav", closed_on=DAY))
        undo(books)  # reopened
        assert not next(a for a in read_models.accounts() if a.account_id == "sav").closed
        redo(books)
        undo(books)
        books.execute(RenameAccount(account_id="chk", new_name="Main"))
        undo(books)
        redo(books)
        live = [(a.account_id, a.name, a.balance, a.closed) for a in read_models.accounts()]
        history = [(h.position, h.summary) for h in read_models.history(0, 100)]
        summaries = [summary for _, summary in history]
        assert summaries.count("Undid: Close Sav") == 2
        assert summaries[-1] == "Redid: Rename Chk to Main"
        assert "Reopened Sav (closed on 2024-03-01)" in summaries
        read_models.rebuild()
        assert [(a.account_id, a.name, a.balance, a.closed) for a in read_models.accounts()] == live
        assert [(h.position, h.summary) for h in read_models.history(0, 100)] == history


def test_a_move_is_undone_back_under_its_old_parent_and_redone(books: BookService) -> None:
    books.execute(account("car", AccountType.EXPENSE))
    books.execute(MoveAccount(account_id="food", new_parent_id="car"))
    step = books.undo_stacks().undo
    assert step is not None and step.summary == "Move Food to Car"
    assert types(undo(books)) == ["AccountMoved", "CommandUndone"]
    assert books.chart().parents.get("food", "") == ""
    assert types(redo(books)) == ["AccountMoved", "CommandRedone"]
    assert books.chart().parents["food"] == "car"
