"""BookService on real book files: atomicity, retries, the cache, batches and snapshots."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from contextlib import closing
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import pytest
from recording import Recorder

from domain.application.service import BookService
from domain.model.accounts import SNAPSHOT_VERSION, Account
from domain.model.commands import (
    CloseAccount,
    Command,
    CorrectEntry,
    Deposit,
    OpenAccount,
    RenameAccount,
    Transfer,
    VoidEntry,
    Withdraw,
    fingerprint,
    new_id,
)
from domain.model.errors import (
    CommandIdReused,
    ConcurrencyError,
    DuplicateAccountName,
    InsufficientFunds,
    InvalidCommand,
    NoOpeningBalancesAccount,
    UnknownAccount,
    UnknownEntry,
)
from domain.model.events import AccountType, EntryKind, EntryPosted, Posting, to_data
from domain.store.base import Metadata, NewEvent, Snapshot, StoredEvent
from domain.store.event_store import BackendEventStore
from domain.store.memory import InMemoryEventStore
from domain.store.sqlite import SqliteEventStore

DAY = dt.date(2024, 3, 1)


S = TypeVar("S", bound=SqliteEventStore)


def open_as(cls: type[S], path: Path) -> S:
    """Open the book with a store subclass (``open`` is typed to return the base class)."""
    opened = cls.open(path)
    assert isinstance(opened, cls)
    return opened


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "books.tallybook"


@pytest.fixture
def store(request: pytest.FixtureRequest) -> Iterator[BackendEventStore]:
    """The book file at ``path`` for a test that names it (it opens the file again, as
    another process), else a store in memory: the service's rules are the same on both."""
    if "path" not in request.fixturenames:
        with InMemoryEventStore() as in_memory:
            yield in_memory
        return
    with SqliteEventStore.create(request.getfixturevalue("path")) as created:
        yield created


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def service(store: SqliteEventStore, recorder: Recorder) -> BookService:
    return BookService(store, author="ann", app_version="9.9", projectors=[recorder])


def open_cmd(account_id: str, account_type: AccountType, **fields: Any) -> OpenAccount:
    values: dict[str, Any] = {"name": account_id.title(), "currency": "EUR", "opening_date": DAY}
    values.update(fields)
    return OpenAccount(account_id=account_id, account_type=account_type, **values)


SETUP: list[Command] = [
    open_cmd("chk", AccountType.ASSET, opening_balance=Decimal("100"), overdraft_allowed=False),
    open_cmd("sal", AccountType.INCOME),
    open_cmd("food", AccountType.EXPENSE),
]


def spend(amount: str, **fields: Any) -> Withdraw:
    return Withdraw(
        account_id="chk",
        expense_account_id="food",
        amount=Decimal(amount),
        booking_date=DAY,
        **fields,
    )


def earn(amount: str, **fields: Any) -> Deposit:
    return Deposit(
        account_id="chk",
        income_account_id="sal",
        amount=Decimal(amount),
        booking_date=DAY,
        **fields,
    )


@pytest.fixture
def books(service: BookService) -> BookService:
    service.execute_batch(SETUP)
    return service


# --- what gets stored ----------------------------------------------------------------------


def test_open_account_is_stored_in_its_stream_and_linked_into_the_chart(
    service: BookService, store: SqliteEventStore
) -> None:
    event, *_opening_balance = service.execute(SETUP[0], correlation_id="import-7")
    assert (event.stream_id, event.stream_version, event.also_in) == ("account-chk", 1, ("chart",))
    assert event.type == "AccountOpened"
    assert event.metadata == {
        "command_id": SETUP[0].command_id,
        "correlation_id": "import-7",
        "author": "ann",
        "app_version": "9.9",
    }
    assert store.stream_version("chart") == 2  # and Opening Balances, opened for it


def test_an_entry_is_linked_into_each_account_it_posts_to(
    books: BookService, store: SqliteEventStore
) -> None:
    (event,) = books.execute(spend("30", entry_id="e1"))
    assert (event.stream_id, event.also_in) == ("entry-e1", ("account-chk", "account-food"))
    assert [e.type for e in store.read_stream("account-food")] == ["AccountOpened", "EntryPosted"]
    assert books.account("chk").natural_balance.minor == 7000
    assert books.account("food").natural_balance.minor == 3000
    assert books.entry("e1").postings[0].amount == -3000


def test_projectors_see_new_events_inside_the_transaction(
    books: BookService, recorder: Recorder, store: SqliteEventStore
) -> None:
    events = books.execute(earn("5"))
    assert recorder.batches[-1] == events
    assert len(recorder.batches) == 2  # the setup batch, then this command


# --- atomicity -----------------------------------------------------------------------------


def test_a_refused_command_appends_nothing_and_reaches_no_projector(
    books: BookService, store: SqliteEventStore, recorder: Recorder
) -> None:
    head = store.head()
    seen = len(recorder.batches)
    with pytest.raises(InsufficientFunds, match=r"Chk would go to -20\.00 EUR"):
        books.execute(spend("120"))
    assert store.head() == head
    assert len(recorder.batches) == seen


def test_a_failing_projector_rolls_the_command_back_and_leaves_the_cache_clean(
    books: BookService, store: SqliteEventStore, recorder: Recorder
) -> None:
    head = store.head()
    books.account("chk")  # cached at 100.00
    recorder.fail = True
    with pytest.raises(RuntimeError, match="projector broke"):
        books.execute(spend("60", entry_id="e1"))
    assert store.head() == head
    assert books.account("chk").balance == 10000
    with pytest.raises(UnknownEntry):
        books.entry("e1")
    recorder.fail = False
    books.execute(spend("60", entry_id="e1"))  # the entry id was never taken
    with pytest.raises(InsufficientFunds):
        books.execute(spend("60"))


def test_a_refused_command_keeps_what_it_loaded_but_not_what_its_batch_changed(
    store: BackendEventStore,
) -> None:
    # a long stream is not replayed again for every refusal (say after a snapshot format
    # change, until a write saves a new snapshot), yet a refused batch caches nothing it wrote
    BookService(store).execute_batch(SETUP)
    service = BookService(store)  # nothing cached
    reads: list[str] = []
    read_stream = store.read_stream

    def counted(stream_id: str, *args: Any, **kwargs: Any) -> Iterator[StoredEvent]:
        reads.append(stream_id)
        return read_stream(stream_id, *args, **kwargs)

    store.read_stream = counted  # type: ignore[method-assign]
    for _ in range(3):
        with pytest.raises(InsufficientFunds):
            service.execute(spend("200"))
    assert reads.count("account-chk") == 1
    with pytest.raises(InsufficientFunds, match="command 2"):
        service.execute_batch([spend("60"), spend("60")])
    assert service.account("chk").balance == 10000
    service.execute(spend("100"))


def test_a_command_after_a_refusal_sees_the_true_state(books: BookService) -> None:
    with pytest.raises(DuplicateAccountName):
        books.execute(open_cmd("chk2", AccountType.ASSET, name="CHK"))
    books.execute(open_cmd("chk2", AccountType.ASSET, name="Chk 2"))
    assert books.account("chk2").name == "Chk 2"


# --- retries -------------------------------------------------------------------------------


def test_a_retried_command_returns_the_first_events_and_appends_nothing(
    books: BookService, store: SqliteEventStore, recorder: Recorder
) -> None:
    command = spend("60")
    first = books.execute(command)
    head, seen = store.head(), len(recorder.batches)
    # deciding again would refuse it (only 40.00 left); a retry is answered, not re-decided
    assert books.execute(command) == first
    assert store.head() == head
    assert len(recorder.batches) == seen


def test_a_command_id_sent_again_with_another_command_is_refused(
    books: BookService, store: SqliteEventStore, recorder: Recorder
) -> None:
    command = spend("10")
    first = books.execute(command)
    head, seen = store.head(), len(recorder.batches)
    with pytest.raises(CommandIdReused, match="already used, for another command"):
        books.execute(replace(command, amount=Decimal("11")))
    assert (store.head(), len(recorder.batches)) == (head, seen)
    # the same command with the entry id it creates left to default again is a retry; so is
    # the same amount written another way
    assert books.execute(replace(command, entry_id=new_id())) == first
    assert books.execute(replace(command, amount=Decimal("10.00"))) == first


def test_fingerprints_name_the_command_not_its_ids() -> None:
    a = spend("10")
    assert fingerprint(a) == fingerprint(replace(a, command_id="x", entry_id="y"))
    assert fingerprint(a) == fingerprint(replace(a, amount=Decimal("1E+1")))
    assert fingerprint(a) != fingerprint(replace(a, amount=Decimal("10.01")))
    assert fingerprint(a) != fingerprint(replace(a, booking_date=DAY + dt.timedelta(days=1)))
    assert fingerprint(a) != fingerprint(replace(a, payee="Grocer"))
    assert fingerprint(a) != fingerprint(earn("10", entry_id=a.entry_id))
    # the account an OpenAccount creates is its own id; the one a rename names is not
    opened = open_cmd("chk", AccountType.ASSET)
    assert fingerprint(opened) == fingerprint(replace(opened, account_id="other"))
    renamed = RenameAccount(account_id="chk", new_name="Main")
    assert fingerprint(renamed) != fingerprint(replace(renamed, account_id="sav"))
    assert len(fingerprint(renamed)) == 8


def test_fingerprints_stay_what_books_already_keep() -> None:
    # a retry of a command stored by an older version must still match its fingerprint
    deposit = Deposit(
        command_id="c1", entry_id="e1", account_id="a1", income_account_id="i1",
        amount=Decimal("100.50"), booking_date=dt.date(2024, 1, 2), payee="ACME", memo="Café",
    )  # fmt: skip
    correction = CorrectEntry(
        command_id="c4", entry_id="e1",
        replacement=Withdraw(account_id="a1", expense_account_id="x", amount=Decimal("3"),
                             booking_date=dt.date(2024, 1, 2)),
    )  # fmt: skip
    assert fingerprint(deposit).hex() == "afb8b422c103ded4"
    assert fingerprint(correction).hex() == "c28322467c6c8bbf"


def test_an_opening_balance_is_stored_by_its_command_and_a_retry_repeats_it(
    service: BookService, store: SqliteEventStore
) -> None:
    command = SETUP[0]  # Checking, 100.00
    stored = service.execute(command)
    assert [(e.type, e.stream_id) for e in stored] == [
        ("AccountOpened", "account-chk"),
        ("AccountOpened", f"account-{command.opening_balances_account_id}"),
        ("EntryPosted", f"entry-{command.opening_entry_id}"),
    ]
    assert {e.metadata["command_id"] for e in stored} == {command.command_id}
    # a retry whose created ids defaulted again is the same command: answered, not run again
    again = replace(command, opening_entry_id=new_id(), opening_balances_account_id=new_id())
    assert service.execute(again) == stored
    assert store.head()[0] == 3
    assert service.account(command.opening_balances_account_id).natural_balance.minor == 10000


def test_an_opening_balance_with_nowhere_to_go_appends_nothing(
    service: BookService, store: SqliteEventStore
) -> None:
    service.execute_batch(
        [
            open_cmd("x", AccountType.ASSET, name="Opening Balances"),
            open_cmd("y", AccountType.INCOME, name="Opening Balances - EUR"),
        ]
    )
    head = store.head()
    with pytest.raises(NoOpeningBalancesAccount):
        service.execute(SETUP[0])
    assert store.head() == head
    with pytest.raises(UnknownAccount):
        service.account("chk")
    service.execute(replace(SETUP[0], opening_balance=Decimal(0)))  # at zero it opens


def test_a_retried_open_account_is_not_a_duplicate_name(
    service: BookService, store: SqliteEventStore, path: Path
) -> None:
    first = service.execute(SETUP[0])
    with SqliteEventStore.open(path) as other_store:
        assert BookService(other_store).execute(SETUP[0]) == first
    assert store.stream_version("chart") == 2  # Checking and Opening Balances, once each


def test_an_unknown_kind_of_command_is_refused(books: BookService, store: SqliteEventStore) -> None:
    head = store.head()
    with pytest.raises(InvalidCommand, match="Command is not a command this book knows"):
        books.execute(Command())
    assert store.head() == head


def test_a_command_needs_a_command_id(books: BookService) -> None:
    with pytest.raises(InvalidCommand, match="command_id"):
        books.execute(spend("1", command_id=""))


# --- the cache and other writers -----------------------------------------------------------


def test_the_cache_sees_what_another_process_appended(books: BookService, path: Path) -> None:
    assert books.account("chk").balance == 10000  # now cached
    with SqliteEventStore.open(path) as other_store:
        BookService(other_store).execute(spend("70"))
    assert books.account("chk").balance == 3000
    with pytest.raises(InsufficientFunds, match=r"day 30\.00 EUR, withdrawal 40\.00 EUR"):
        books.execute(spend("40"))
    books.execute(spend("30"))
    with SqliteEventStore.open(path) as other_store:
        assert BookService(other_store).account("chk").balance == 0


def test_an_outer_transaction_that_rolls_back_leaves_no_trace_in_the_cache(
    books: BookService, store: SqliteEventStore, path: Path
) -> None:
    with pytest.raises(RuntimeError, match="changed my mind"), store.transaction():
        books.execute(spend("60"))
        assert books.account("chk").balance == 4000
        raise RuntimeError("changed my mind")
    with SqliteEventStore.open(path) as other_store:
        BookService(other_store).execute(earn("5"))  # chk is at version 2 again
    assert books.account("chk").balance == 10500


def test_the_chart_cache_sees_a_name_taken_by_another_process(
    books: BookService, path: Path
) -> None:
    books.chart()
    with SqliteEventStore.open(path) as other_store:
        BookService(other_store).execute(open_cmd("rent", AccountType.EXPENSE, name="Rent"))
    with pytest.raises(DuplicateAccountName, match="'Rent'"):
        books.execute(open_cmd("rent2", AccountType.EXPENSE, name="rent"))


class Racing(SqliteEventStore):
    """A real store where a rival deposit lands on Chk just before each of our next appends.

    The rival writes inside our transaction, so it is rolled back with our attempt; what
    matters is that our append then finds the stream moved, as after a lost race.
    """

    races = 0

    def append(
        self,
        events: Sequence[NewEvent],
        expected_versions: Mapping[str, int],
        metadata: Metadata,
    ) -> list[StoredEvent]:
        if self.races and events:
            self.races -= 1
            rival = EntryPosted(
                entry_id=f"rival{self.races}",
                kind=EntryKind.DEPOSIT,
                booking_date=DAY,
                payee="",
                memo="",
                postings=(Posting("chk", "EUR", 100), Posting("sal", "EUR", -100)),
            )
            streams = (f"entry-rival{self.races}", "account-chk", "account-sal")
            super().append(
                [NewEvent(streams[0], "EntryPosted", 1, to_data(rival), streams[1:])],
                {s: self.stream_version(s) for s in streams},
                Metadata(command_id=f"rival{self.races}"),
            )
        return super().append(events, expected_versions, metadata)


def test_a_lost_race_is_retried_with_fresh_state(books: BookService, path: Path) -> None:
    with closing(open_as(Racing, path)) as racing:
        service = BookService(racing)
        service.account("chk")  # cached
        racing.races = 2
        service.execute(spend("10"))
        assert racing.races == 0
        assert service.account("chk").balance == 9000
    assert books.account("chk").balance == 9000


def test_a_race_lost_four_times_gives_up(books: BookService, path: Path) -> None:
    with closing(open_as(Racing, path)) as racing:
        service = BookService(racing)
        racing.races = 100
        with pytest.raises(ConcurrencyError, match="account-chk is at version 3, expected 2"):
            service.execute(spend("10"))
        assert racing.races == 100 - 4
    assert books.account("chk").balance == 10000


# --- batches -------------------------------------------------------------------------------


def test_a_batch_sees_its_own_earlier_commands(service: BookService) -> None:
    events = service.execute_batch(
        [*SETUP, earn("5"), spend("105"), CloseAccount(account_id="chk", closed_on=DAY)]
    )
    assert [e.type for e in events][-3:] == ["EntryPosted", "EntryPosted", "AccountClosed"]
    assert service.account("chk").closed


def test_a_batch_is_all_or_nothing(
    service: BookService, store: SqliteEventStore, recorder: Recorder
) -> None:
    with pytest.raises(InsufficientFunds) as caught:
        service.execute_batch([*SETUP, earn("5"), spend("106")])
    assert caught.value.message.startswith("command 5 (Withdraw): Chk would go to -1.00 EUR")
    assert store.head()[0] == 0
    assert recorder.batches == []
    with pytest.raises(UnknownAccount):
        service.account("chk")  # the cache kept nothing of the rolled-back batch
    service.execute_batch(SETUP)
    assert service.account("chk").balance == 10000


def test_a_batch_retried_after_success_returns_the_stored_events(
    service: BookService, store: SqliteEventStore
) -> None:
    batch = [*SETUP, earn("5")]
    first = service.execute_batch(batch)
    assert service.execute_batch(batch) == first
    assert store.head()[0] == len(first)


def test_void_through_the_service_restores_the_balance(books: BookService) -> None:
    books.execute(spend("60", entry_id="e1"))
    books.execute(VoidEntry(entry_id="e1", voided_on=DAY, reason="duplicate"))
    assert books.account("chk").balance == 10000
    assert books.entry("e1").voided


def test_a_correction_is_one_command_storing_the_void_and_the_replacement(
    books: BookService, store: SqliteEventStore, recorder: Recorder
) -> None:
    books.execute(spend("60", entry_id="e1"))
    command = CorrectEntry(entry_id="e1", replacement=spend("6", entry_id="e2"), reason="typo")
    void, post = books.execute(command)
    assert (void.type, void.stream_id, post.type, post.stream_id) == (
        "EntryVoided", "entry-e1", "EntryPosted", "entry-e2",
    )  # fmt: skip
    assert void.metadata["command_id"] == post.metadata["command_id"] == command.command_id
    assert recorder.batches[-1] == [void, post]  # one transaction, seen together
    assert books.entry("e1").voided and books.account("chk").balance == 9400
    head = store.head()
    # a retry answers with both events; the same id with another replacement is refused
    assert books.execute(command) == [void, post]
    with pytest.raises(CommandIdReused):
        books.execute(replace(command, replacement=spend("7", entry_id="e2")))
    assert store.head() == head


def test_a_refused_correction_leaves_the_entry_as_it_was(
    books: BookService, store: SqliteEventStore
) -> None:
    books.execute(spend("60", entry_id="e1"))
    head = store.head()
    # the void would pass; the replacement overdraws Checking (100.00, no overdraft)
    with pytest.raises(InsufficientFunds, match="correction"):
        books.execute(CorrectEntry(entry_id="e1", replacement=spend("160", entry_id="e2")))
    assert store.head() == head
    assert not books.entry("e1").voided and books.account("chk").balance == 4000


def test_a_correction_fingerprint_names_the_replacement_not_its_ids() -> None:
    a = CorrectEntry(entry_id="e1", replacement=spend("6", entry_id="e2"))
    assert fingerprint(a) == fingerprint(replace(a, replacement=spend("6", entry_id="e3")))
    assert fingerprint(a) != fingerprint(replace(a, replacement=spend("7", entry_id="e2")))
    assert fingerprint(a) != fingerprint(replace(a, entry_id="e0"))


def test_rename_transfer_and_close_through_the_service(books: BookService) -> None:
    books.execute(RenameAccount(account_id="chk", new_name="Checking"))
    books.execute(open_cmd("sav", AccountType.ASSET, overdraft_allowed=False))
    books.execute(
        Transfer(from_account_id="chk", to_account_id="sav", amount=Decimal(100), booking_date=DAY)
    )
    books.execute(CloseAccount(account_id="chk", closed_on=DAY))
    assert (books.account("chk").name, books.account("chk").closed) == ("Checking", True)
    assert books.account("sav").balance == 10000
    assert books.chart().id_for("checking") == "chk"


def test_read_only_loaders_refuse_unknown_ids(books: BookService) -> None:
    with pytest.raises(UnknownAccount, match="nope"):
        books.account("nope")
    with pytest.raises(UnknownEntry, match="nope"):
        books.entry("nope")


def test_loaders_return_copies(books: BookService) -> None:
    books.account("chk").balance = -1
    assert books.account("chk").balance == 10000


# --- snapshots -----------------------------------------------------------------------------


class CountingStore(SqliteEventStore):
    """A real store that counts the events it hands out per stream."""

    read: int = 0

    def read_stream(
        self, stream_id: str, after_version: int = 0, batch_size: int = 2000
    ) -> Iterator[StoredEvent]:
        for event in super().read_stream(stream_id, after_version, batch_size):
            self.read += 1
            yield event


def test_an_account_with_1000_entries_loads_from_its_snapshot(
    books: BookService, store: SqliteEventStore, path: Path
) -> None:
    for chunk in range(1, 5):
        books.execute_batch([earn("1") for _ in range(250)])
        snapshot = store.load_snapshot("account-chk")
        # opened, its opening balance, then the deposits
        assert snapshot is not None and snapshot.version == 2 + 250 * chunk
    books.execute_batch([earn("1") for _ in range(5)])
    with closing(open_as(CountingStore, path)) as counting:
        account = BookService(counting).account("chk")
        assert counting.read == 5  # only the tail after the snapshot
    assert account.balance == 10000 + 1005 * 100
    assert account.version == 1007
    assert account == Account.replay("chk", _events(store, "account-chk"))


def test_snapshots_are_written_every_n_versions(store: SqliteEventStore) -> None:
    service = BookService(store, snapshot_every=3)
    service.execute_batch(SETUP)
    # version 2: opened, and its opening balance's entry
    assert store.load_snapshot("account-chk") is None
    service.execute(earn("1"))
    snapshot = store.load_snapshot("account-chk")
    assert snapshot is not None and snapshot.version == 3
    service.execute(earn("1"))
    service.execute(earn("1"))
    assert store.load_snapshot("account-chk") == snapshot  # 5 - 3 < 3
    assert BookService(store).account("chk").balance == 10300


def test_a_snapshot_of_another_code_version_is_ignored(
    books: BookService, store: SqliteEventStore, path: Path
) -> None:
    books.execute(earn("1"))
    state = {**books.account("chk").to_snapshot(), "balance": 999_999}
    store.save_snapshot(Snapshot("account-chk", 2, "account-0", state))
    with closing(open_as(CountingStore, path)) as counting:
        assert BookService(counting).account("chk").balance == 10100
        assert counting.read == 3  # the whole stream


def test_a_snapshot_of_this_code_version_is_trusted(
    books: BookService, store: SqliteEventStore, path: Path
) -> None:
    # proves the snapshot is what is read: a doctored one shows through
    books.execute(earn("1"))
    state = {**books.account("chk").to_snapshot(), "balance": 7}
    store.save_snapshot(Snapshot("account-chk", 2, SNAPSHOT_VERSION, state))
    with SqliteEventStore.open(path) as other:
        assert BookService(other).account("chk").balance == 7


def _events(store: SqliteEventStore, stream_id: str) -> list[Any]:
    from domain.model.events import from_data

    return [from_data(e.type, e.schema_version, e.data) for e in store.read_stream(stream_id)]
