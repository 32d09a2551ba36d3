"""Book: the store, read models and service of one file, wired together."""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import json
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from importlib import metadata
from pathlib import Path

import pytest

from app.composition import Book, default_author
from domain.application.service import BookService
from domain.model.commands import OpenAccount
from domain.model.errors import NotABook, StoreError
from domain.model.events import AccountType
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


# Runs in a child process: the file-size limit it sets would hit pytest's own files too.
_DISK_REFUSES = """
import datetime as dt, json, os, resource, signal, sys
from decimal import Decimal
from app.composition import Book
from domain.model.commands import Deposit, OpenAccount
from domain.model.errors import DiskError
from domain.model.events import AccountType
from domain.projections import fold

day = dt.date(2024, 3, 1)
book = Book.open(sys.argv[1], create_if_missing=True)
cash = OpenAccount(name="Cash", account_type=AccountType.ASSET, currency="EUR",
                   opening_balance=Decimal("5"), opening_date=day)
fees = OpenAccount(name="Fees", account_type=AccountType.INCOME, currency="EUR", opening_date=day)
book.service.execute(cash)
book.service.execute(fees)

def deposit():
    return Deposit(account_id=cash.account_id, income_account_id=fees.account_id,
                   amount=Decimal("1"), booking_date=day, memo="m" * 400)

full = sys.argv[2] == "full"  # a small file system, filled; else a file-size limit
if full:
    filler = sys.argv[1] + ".filler"
    with open(filler, "wb") as f:
        f.write(b"x" * 200_000)
else:  # no file may grow past 256 KiB from here on: the -wal file soon cannot
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (256 * 1024, hard))
refused = None
for stored in range(10_000):
    try:
        book.service.execute(deposit())
    except DiskError as exc:
        refused = str(exc)
        break
head = book.store.head()[0]
if full:  # the disk takes writes again
    os.remove(filler)
else:
    resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
for _ in range(3):
    book.service.execute(deposit())
after = book.store.head()[0]
matches = book.read_models.accounts() == fold(book.store.read_all()).accounts()
print(json.dumps({"refused": refused, "stored": stored, "head": head, "after": after,
                  "verified": book.store.verify().ok, "read_models_match": matches}))
book.close()
"""


@contextlib.contextmanager
def small_file_system(folder: Path) -> Iterator[Path]:
    """A 1 MiB tmpfs mounted at ``folder`` (root on Linux only; skipped elsewhere)."""
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(folder)], capture_output=True
    )
    if mounted.returncode:
        pytest.skip("needs to mount a tmpfs (root on Linux)")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_FSIZE, SIGXFSZ and tmpfs as on Linux")
@pytest.mark.parametrize("disk", ["full", "file size limit"])
def test_a_disk_that_refuses_writes_fails_the_command_and_the_book_goes_on(
    tmp_path: Path, disk: str
) -> None:
    with contextlib.ExitStack() as stack:
        folder = tmp_path
        if disk == "full":
            folder = stack.enter_context(small_file_system(tmp_path / "small"))
        path = folder / "b.tallybook"
        done = subprocess.run(
            [sys.executable, "-c", _DISK_REFUSES, str(path), disk.split()[0]],
            capture_output=True,
            text=True,
        )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["refused"] is not None, "the disk never refused"
    # full: "the disk is full"; a file-size limit: "the disk reported an input/output error"
    assert result["refused"].startswith(f"{path}: the disk ")
    # the refused command left nothing: the events so far are the ones acknowledged
    assert result["head"] == 4 + result["stored"]  # Cash, Opening Balances, its entry, Fees
    assert result["after"] == result["head"] + 3  # and the book goes on once it can
    assert result["verified"] and result["read_models_match"]


def test_a_book_with_broken_pages_opens_refusing_writes_unless_the_caller_checks(
    tmp_path: Path,
) -> None:
    from book_damage import garble_middle_leaf

    from app.cli.main import main
    from domain.model.errors import BrokenHistory

    path = tmp_path / "b.tallybook"
    assert main(["generate", str(path), "--commands", "400"]) == 0
    garble_middle_leaf(path)
    with Book.open(path) as book:  # the app verifies in the background
        assert book.store.known_break is None
    with Book.open(path, check_pages=True) as book:  # the CLI's writers check first
        broken = book.store.known_break
        assert broken is not None and broken.position is not None
        with pytest.raises(BrokenHistory, match=f"at position {broken.position}"):
            book.service.execute(open_checking())
