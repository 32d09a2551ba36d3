"""The command registry: every command type registered once, by name, with its handler."""

from __future__ import annotations

import dataclasses
import inspect
from decimal import Decimal
from pathlib import Path

import pytest
from domain_given import DAY, World, opened, posted

from domain.application.handlers import COMMANDS, CommandRegistry
from domain.application.service import BookService
from domain.model import commands
from domain.model.commands import Command, Deposit, RenameAccount, VoidEntry
from domain.model.errors import InvalidCommand, UnknownEntry
from domain.model.events import AccountRenamed, AccountType, EntryKind, EntryPosted, Event, Posting
from domain.store.sqlite import SqliteEventStore


def command_types() -> list[type[Command]]:
    """Every concrete command the model declares."""
    return [
        cls
        for _, cls in inspect.getmembers(commands, inspect.isclass)
        if issubclass(cls, Command) and cls is not Command
    ]


def test_every_command_type_is_registered_exactly_once() -> None:
    registered = [spec.command_type for spec in COMMANDS]
    assert sorted(registered, key=lambda c: c.__name__) == sorted(
        command_types(), key=lambda c: c.__name__
    )
    assert len(set(registered)) == len(registered) == len(COMMANDS)


def test_names_are_those_the_cli_has_always_used() -> None:
    assert [spec.name for spec in COMMANDS] == [
        "open_account",
        "rename_account",
        "move_account",
        "close_account",
        "deposit",
        "withdraw",
        "transfer",
        "split",
        "void",
        "correct",
        "import_statement",
        "undo_import",
        "reconcile",
        "undo",
        "redo",
    ]
    assert COMMANDS.named("split") is COMMANDS.spec_for(
        commands.PostSplitEntry(booking_date=DAY, lines=())
    )
    assert COMMANDS.named("refund") is None
    assert COMMANDS.name_of(VoidEntry) == "void"


def no_events(command: Command, book: object) -> list[Event]:
    return []


def test_a_type_or_a_name_cannot_be_registered_twice() -> None:
    registry = CommandRegistry()
    registry.register(Deposit, name="deposit", decide=no_events)
    with pytest.raises(ValueError, match="Deposit is already registered"):
        registry.register(Deposit, name="deposit_again", decide=no_events)
    with pytest.raises(ValueError, match="the command name 'deposit' is already Deposit's"):
        registry.register(VoidEntry, name="deposit", decide=no_events)
    assert [spec.name for spec in registry] == ["deposit"]


@dataclasses.dataclass(frozen=True, kw_only=True)
class Refund(Command):
    """A command no handler is registered for."""

    amount: Decimal


def test_an_unregistered_command_is_an_invalid_command() -> None:
    with pytest.raises(InvalidCommand, match=r"^Refund is not a command this book knows$"):
        COMMANDS.spec_for(Refund(amount=Decimal(1)))
    with pytest.raises(InvalidCommand, match=r"^Refund is not a command this book knows$"):
        World().when(Refund(amount=Decimal(1)))


def test_the_service_refuses_an_unregistered_command_and_stores_nothing(tmp_path: Path) -> None:
    with SqliteEventStore.create(tmp_path / "b.tallybook") as store:
        head = store.head()
        with pytest.raises(InvalidCommand, match="Refund is not a command this book knows"):
            BookService(store).execute(Refund(amount=Decimal(1)))
        assert store.head() == head


def test_handlers_decide_from_the_aggregates_they_load() -> None:
    world = World.given(opened("chk", "Checking"), opened("sal", account_type=AccountType.INCOME))
    deposit = Deposit(
        account_id="chk", income_account_id="sal", amount=Decimal("2.50"), booking_date=DAY
    )
    assert world.when(deposit) == [
        EntryPosted(
            entry_id=deposit.entry_id,
            kind=EntryKind.DEPOSIT,
            booking_date=DAY,
            payee="",
            memo="",
            postings=(Posting("chk", "EUR", 250), Posting("sal", "EUR", -250)),
        )
    ]
    assert world.when(RenameAccount(account_id="chk", new_name="Giro")) == [
        AccountRenamed(account_id="chk", old_name="Checking", new_name="Giro")
    ]
    with pytest.raises(UnknownEntry):
        world.when(VoidEntry(entry_id="nothing", voided_on=DAY))


def test_world_folds_each_event_into_the_streams_it_belongs_to() -> None:
    entry = posted("e1", ("chk", 100), ("sal", -100))
    world = World.given(opened("chk", "Checking"), opened("sal", "Salary"), entry)
    assert sorted(world.streams) == ["account-chk", "account-sal", "chart", "entry-e1"]
    assert (world.accounts["chk"].balance, world.accounts["sal"].balance) == (100, -100)
    assert world.entries["e1"].postings == entry.postings
    assert world.chart.id_for("salary") == "sal"
