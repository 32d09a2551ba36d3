"""CommandController: the one way the UI changes the books, reporting by signal."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from app_helpers import DAY, open_account

from app.book_health import BookHealth, Breakage
from app.composition import Book
from app.controller import CommandController
from domain.model.commands import Withdraw
from domain.model.errors import DamagedBook
from domain.model.events import AccountType
from domain.store.base import StoredEvent


def test_an_accepted_command_emits_its_stored_events(book: Book, qtbot: Any) -> None:
    controller = CommandController(book.service)
    command = open_account("Rent", AccountType.EXPENSE)
    with qtbot.waitSignal(controller.events_appended) as appended:
        assert controller.execute(command) is True
    (events,) = appended.args
    assert [type(e) for e in events] == [StoredEvent]
    assert events[0].type == "AccountOpened"
    assert events[0].position == book.store.head()[0]


def test_a_rejected_command_emits_the_reason_and_appends_nothing(book: Book, qtbot: Any) -> None:
    controller = CommandController(book.service)
    by_name = {a.name: a for a in book.read_models.accounts()}
    checking, groceries = by_name["Checking"], by_name["Groceries"]
    head = book.store.head()[0]
    overdraft = Withdraw(account_id=checking.account_id, expense_account_id=groceries.account_id,
                         amount=Decimal("5000.00"), booking_date=DAY)  # fmt: skip
    with (
        qtbot.assertNotEmitted(controller.events_appended),
        qtbot.waitSignal(controller.command_rejected) as rejected,
    ):
        assert controller.execute(overdraft) is False
    command, message = rejected.args
    assert command is overdraft
    assert "Checking" in message or "overdraft" in message.lower() or "below" in message
    assert book.store.head()[0] == head


class DamagedService:
    """A service over a book whose file the store finds damaged when writing."""

    def __init__(self) -> None:
        self.calls = 0

    def execute(self, command: object) -> list[StoredEvent]:
        self.calls += 1
        raise DamagedBook("Test.tallybook is damaged: database disk image is malformed")

    def execute_batch(self, commands: Sequence[object]) -> list[StoredEvent]:
        return self.execute(commands)


def test_a_damage_error_turns_the_book_read_only_for_every_later_command(qtbot: Any) -> None:
    service = DamagedService()
    controller = CommandController(service)
    command = open_account("Rent", AccountType.EXPENSE)
    with qtbot.waitSignal(controller.health.broken) as broken:
        assert controller.execute(command) is False
    assert broken.args[0].problem == "damaged"
    with qtbot.waitSignal(controller.command_rejected) as rejected:
        assert controller.execute(command) is False
    assert rejected.args[1] == "the book is read-only: its history is broken (damaged)"
    assert service.calls == 1  # the second command never reached the store


def test_a_known_break_refuses_commands_before_the_store_sees_them(book: Book, qtbot: Any) -> None:
    health = BookHealth(Breakage(9, "altered"))
    controller = CommandController(book.service, health=health)
    head = book.store.head()[0]
    with qtbot.waitSignal(controller.command_rejected) as rejected:
        assert controller.execute(open_account("Rent", AccountType.EXPENSE)) is False
    refusal = "the book is read-only: its history is broken at position 9 (altered)"
    assert rejected.args[1] == refusal
    assert book.store.head()[0] == head
