"""Book: the store, read models and service of one file, wired together."""

from __future__ import annotations

import datetime as dt
import getpass
from decimal import Decimal
from importlib import metadata
from pathlib import Path

import pytest

from domain.book import Book, default_author
from domain.commands import OpenAccount
from domain.errors import NotABook, StoreError
from domain.events import AccountType
from domain.service import BookService
from domain.store.sqlite import SqliteEventStore

DAY = dt.date(2024, 3, 1)


def open_checking(name: str = "Checking", account_id: str = "chk") -> OpenAccount:
    return OpenAccount(
        account_id=account_id,
        name=name,
        account_type=AccountType.ASSET,
        currency="EUR",
        opening_balance=Decimal("12.50"),
        opening_date=DAY,
    )


def test_create_wires_the_read_models_as_a_projector(tmp_path: Path) -> None:
    with Book.create(tmp_path / "b.tallybook", author="ann", app_version="1.2") as book:
        *_, event = book.service.execute(open_checking())  # and its opening balance's
        row, _opening_balances = book.read_models.accounts()
        assert (row.account_id, row.name, row.balance) == ("chk", "Checking", 1250)
        assert book.read_models.checkpoint() == event.position
        assert (event.metadata["author"], event.metadata["app_version"]) == ("ann", "1.2")
        assert book.path == tmp_path / "b.tallybook"


def test_create_refuses_an_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "b.tallybook"
    path.write_text("precious")
    with pytest.raises(FileExistsError):
        Book.create(path)
    assert path.read_text() == "precious"


def test_open_refuses_a_missing_book_unless_asked_to_create(tmp_path: Path) -> None:
    path = tmp_path / "new.tallybook"
    with pytest.raises(NotABook):
        Book.open(path)
    with Book.open(path, create_if_missing=True) as book:
        assert book.store.head()[0] == 0
    with Book.open(path, create_if_missing=True) as book:  # now it exists: just opened
        assert book.store.info().format_version >= 1


def test_open_catches_the_read_models_up(tmp_path: Path) -> None:
    path = tmp_path / "b.tallybook"
    Book.create(path).close()
    # another writer without read models (an older tool, a crash before projecting)
    with SqliteEventStore.open(path) as store:
        BookService(store).execute_batch([open_checking(), open_checking("Savings", "sav")])
    with Book.open(path) as book:
        assert book.read_models.pending() == 0
        assert [r.name for r in book.read_models.accounts()] == [
            "Checking", "Savings", "Opening Balances"
        ]  # fmt: skip


def test_a_read_only_book_refuses_commands(tmp_path: Path) -> None:
    path = tmp_path / "b.tallybook"
    with Book.create(path) as book:
        book.service.execute(open_checking())
    with Book.open(path, readonly=True) as book:
        assert book.readonly
        assert len(book.read_models.accounts()) == 2  # and Opening Balances
        with pytest.raises(StoreError, match="read-only"):
            book.service.execute(open_checking("Savings", "sav"))
        assert book.service.account("chk").balance == 1250


def test_defaults_record_the_os_user_and_the_installed_version(tmp_path: Path) -> None:
    with Book.create(tmp_path / "b.tallybook") as book:
        event, *_ = book.service.execute(open_checking())
    assert event.metadata["author"] == getpass.getuser()
    assert event.metadata["app_version"] == metadata.version("tallybook")


def test_default_author_is_empty_when_the_os_does_not_say(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_user() -> str:
        raise OSError("no login name")

    monkeypatch.setattr(getpass, "getuser", no_user)
    assert default_author() == ""


def test_leaving_the_with_block_closes_the_file(tmp_path: Path) -> None:
    path = tmp_path / "b.tallybook"
    with Book.create(path) as book:
        book.service.execute(open_checking())
        assert Path(f"{path}-wal").exists()  # open in WAL mode
    # the last connection closed: SQLite checkpointed the WAL and removed it
    assert not Path(f"{path}-wal").exists()
