"""Keeping the read models in step: gaps, retries, rebuilds, rollbacks, other writers."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from projection_book import Book, make_book, open_legacy_account
from sqlalchemy import text

from domain.application.service import BookService
from domain.model.commands import Deposit, OpenAccount
from domain.model.events import AccountType
from domain.projections import ReadModels, read_models
from domain.store.sqlite import SqliteEventStore

A, N, X = AccountType.ASSET, AccountType.INCOME, AccountType.EXPENSE


def assert_matches_fold(book: Book, read_models: ReadModels | None = None) -> None:
    models = read_models or book.read_models
    folded = book.folded()
    assert models.checkpoint() == book.store.head()[0]
    assert models.accounts() == folded.accounts()
    for row in folded.accounts():
        assert models.register(row.account_id, limit=10_000) == folded.register(row.account_id)
    assert models.history(0, 10_000) == folded.history()


def some_books(book: Book, entries: int = 6, prefix: str = "") -> tuple[str, str, str]:
    checking = book.open(f"{prefix}Checking", A, "50.00", overdraft=False)
    salary = book.open(f"{prefix}Salary", N)
    food = book.open(f"{prefix}Food", X)
    for n in range(entries):
        entry = book.deposit(checking, salary, f"{n + 1}.00")
        if n % 3 == 2:
            book.void(entry, "again")
        book.withdraw(checking, food, "0.50")
    return checking, salary, food


def unprojected(book: Book) -> Book:
    """The same book, with a service that does not feed the read models (a crash-like gap)."""
    return Book(book.path, book.store, book.read_models, BookService(book.store))


def test_catch_up_after_a_gap_brings_the_read_models_up_to_date(book: Book) -> None:
    some_books(book)
    projected = book.read_models.checkpoint()
    some_books(unprojected(book), prefix="More ")  # opens more accounts and posts, unprojected
    assert book.read_models.checkpoint() == projected < book.store.head()[0]
    assert book.read_models.pending() == book.store.head()[0] - projected
    seen: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> bool:
        seen.append((done, total))
        return True

    applied = ReadModels(book.store, batch_size=4).catch_up(progress)
    assert applied == book.store.head()[0] - projected
    assert seen[-1] == (applied, applied) and len(seen) == -(-applied // 4)
    assert book.read_models.pending() == 0
    assert_matches_fold(book)
    assert book.read_models.catch_up() == 0


def test_the_next_command_fills_a_gap_before_its_own_events(book: Book) -> None:
    checking, salary, _food = some_books(book)
    some_books(unprojected(book), entries=2, prefix="More ")
    book.deposit(checking, salary, "3.00")
    assert_matches_fold(book)


def test_catch_up_can_stop_between_batches_and_go_on_later(book: Book) -> None:
    some_books(unprojected(book))
    models = ReadModels(book.store, batch_size=5)
    assert models.catch_up(lambda done, total: False) == 5
    assert models.checkpoint() == 5
    assert models.accounts() == book.folded(5).accounts()
    models.catch_up()
    assert_matches_fold(book, models)


def test_applying_events_again_changes_nothing(book: Book) -> None:
    checking, salary, _food = some_books(book)
    before = book.read_models.register(checking)
    book.read_models.apply(book.events())
    command = Deposit(
        account_id=checking,
        income_account_id=salary,
        amount=Decimal(1),
        booking_date=before[0].booking_date,
    )
    book.run(command)
    book.run(command)  # a retry: the store answers with the first run's events
    assert book.read_models.register_count(checking) == len(before) + 1
    assert_matches_fold(book)


def test_rebuild_gives_the_same_answers(book: Book) -> None:
    checking, _salary, _food = some_books(book)
    before = (book.read_models.accounts(), book.read_models.register(checking, as_of=9))
    assert book.read_models.rebuild() is True
    assert (book.read_models.accounts(), book.read_models.register(checking, as_of=9)) == before
    assert_matches_fold(book)


def test_a_cancelled_rebuild_leaves_the_read_models_as_they_were(book: Book) -> None:
    checking, salary, _food = some_books(book)
    models = ReadModels(book.store, rebuild_chunk=3)
    before = (models.checkpoint(), models.accounts(), models.register(checking))
    calls: list[int] = []

    def cancel_at_second(done: int, total: int) -> bool:
        calls.append(done)
        return len(calls) < 2

    assert models.rebuild(cancel_at_second) is False
    assert calls == [3, 6]
    assert (models.checkpoint(), models.accounts(), models.register(checking)) == before
    # the service's read models (another object on the same tables) go on as before
    book.deposit(checking, salary, "1.00")
    assert_matches_fold(book)


def test_tables_of_another_code_version_are_rebuilt_by_catch_up(book: Book) -> None:
    some_books(book)
    with book.store.transaction():
        conn = book.store.connection
        conn.execute(text("UPDATE rm_checkpoint SET code_version = 'older'"))
        conn.execute(text("DELETE FROM rm_register"))
    models = ReadModels(book.store)
    assert models.needs_rebuild()
    assert models.catch_up() == book.store.head()[0]
    assert not models.needs_rebuild()
    assert_matches_fold(book, models)


def test_apply_on_tables_of_another_code_version_rebuilds_first(book: Book) -> None:
    checking, salary, _food = some_books(book)
    with book.store.transaction():
        book.store.connection.execute(text("UPDATE rm_checkpoint SET code_version = 'older'"))
        book.store.connection.execute(text("DELETE FROM rm_account_versions"))
    book.deposit(checking, salary, "2.00")
    assert_matches_fold(book)


def test_a_rolled_back_command_leaves_no_rows_and_no_stale_memory(book: Book) -> None:
    checking, salary, _food = some_books(book)
    before = book.read_models.register(checking, limit=1000)
    with pytest.raises(RuntimeError), book.store.transaction():
        book.deposit(checking, salary, "99.00")
        assert book.read_models.register_count(checking) == len(before) + 1
        raise RuntimeError("the caller failed after the command")
    assert book.read_models.register(checking, limit=1000) == before
    book.deposit(checking, salary, "1.00")  # balances must continue from the committed ones
    assert_matches_fold(book)


def test_another_writer_on_the_same_file_is_picked_up(book: Book, tmp_path: Path) -> None:
    checking, salary, _food = some_books(book, entries=2)
    other_store = SqliteEventStore.open(book.path)
    try:
        other_models = ReadModels(other_store)
        other = BookService(other_store, projectors=(other_models,))
        other.execute(
            Deposit(
                account_id=checking,
                income_account_id=salary,
                amount=Decimal(7),
                booking_date=book.read_models.register(checking)[0].booking_date,
            )
        )
        opened = OpenAccount(
            name="Other",
            account_type=A,
            currency="EUR",
            opening_date=book.folded().register(checking)[0].booking_date,
        )
        other.execute(opened)
    finally:
        other_store.close()
    assert_matches_fold(book)  # our queries see their rows
    book.deposit(checking, salary, "1.00")  # and our projector continues from their balance
    book.deposit(opened.account_id, salary, "2.00")
    assert_matches_fold(book)


def test_events_of_an_older_schema_are_upcast(book: Book) -> None:
    open_legacy_account(book)
    [row] = book.read_models.accounts()
    assert (row.name, row.balance, row.overdraft_allowed) == ("Legacy", 1230, True)
    assert (
        book.read_models.history()[0].summary == "Opened asset account Legacy (EUR) with 12.30 EUR"
    )
    assert_matches_fold(book)


def test_a_new_book_file_gets_empty_read_models(tmp_path: Path) -> None:
    book = make_book(tmp_path / "new.tally")
    try:
        assert book.read_models.checkpoint() == 0
        assert book.read_models.accounts() == []
        assert book.read_models.history() == []
        assert book.read_models.catch_up() == 0
        assert book.read_models.rebuild() is True
        reopened = ReadModels(book.store)  # the tables exist now: nothing is recreated
        assert reopened.checkpoint() == 0
    finally:
        book.store.close()


def test_a_read_only_book_is_answered_from_its_tables(book: Book) -> None:
    checking, _salary, _food = some_books(book, entries=2)
    expected = (book.read_models.accounts(3), book.read_models.register(checking))
    readonly = SqliteEventStore.open(book.path, readonly=True)
    try:
        models = ReadModels(readonly)
        assert (models.accounts(3), models.register(checking)) == expected
        assert models.history() == book.read_models.history()
    finally:
        readonly.close()


def test_an_empty_cache_for_a_big_book_is_filled_by_the_rebuild(
    book: Book, monkeypatch: pytest.MonkeyPatch
) -> None:
    some_books(unprojected(book))
    monkeypatch.setattr(read_models, "REBUILD_EMPTY_ABOVE", 10)
    models = ReadModels(book.store, batch_size=3)
    reports: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> bool:
        reports.append((done, total))
        return True

    head = book.store.head()[0]
    assert models.catch_up(progress) == head
    assert reports[-1] == (head, head)
    assert len(reports) < head // 3  # per rebuild chunk, not per batch of three
    assert_matches_fold(book, models)
