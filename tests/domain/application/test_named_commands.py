"""BookService.execute_named: a command given by account names, its command id looked up
before any name is resolved."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest

from domain.application.service import BookService, Resolve
from domain.model.commands import Deposit, OpenAccount, RenameAccount
from domain.model.errors import CommandIdReused, UnknownAccount
from domain.model.events import AccountType
from domain.store.memory import InMemoryEventStore

DAY = dt.date(2024, 1, 1)


@pytest.fixture
def service() -> BookService:
    book = BookService(InMemoryEventStore())
    for name, kind in (("Checking", AccountType.ASSET), ("Salary", AccountType.INCOME)):
        book.execute(OpenAccount(name=name, account_type=kind, currency="EUR", opening_date=DAY))
    return book


def deposit(account: str, command_id: str = "d-1") -> Callable[[Resolve], Deposit]:
    def build(resolve: Resolve) -> Deposit:
        return Deposit(
            command_id=command_id,
            account_id=resolve(account),
            income_account_id=resolve("Salary"),
            amount=Decimal("5"),
            booking_date=DAY,
        )

    return build


def test_a_retry_resolves_names_as_they_stood_when_it_first_ran(service: BookService) -> None:
    _, first = service.execute_named(deposit("Checking"), command_id="d-1")
    checking = service.chart().id_for("Checking")
    assert checking is not None
    service.execute(RenameAccount(account_id=checking, new_name="Current"))
    head = service.store.head()
    _, again = service.execute_named(deposit("Checking"), command_id="d-1")
    assert [e.position for e in again] == [e.position for e in first]
    assert service.store.head() == head


def test_a_new_command_resolves_names_as_they_stand_now(service: BookService) -> None:
    with pytest.raises(UnknownAccount, match="'Nowhere'"):
        service.execute_named(deposit("Nowhere", "d-2"), command_id="d-2")
    command, events = service.execute_named(deposit("checking", "d-2"), command_id="d-2")
    assert command.command_id == "d-2" and len(events) == 1


def test_a_retry_naming_an_account_that_had_no_such_name_then_is_another_command(
    service: BookService,
) -> None:
    service.execute_named(deposit("Checking"), command_id="d-1")
    service.execute(
        OpenAccount(name="Later", account_type=AccountType.ASSET, currency="EUR", opening_date=DAY)
    )
    with pytest.raises(CommandIdReused, match="no account was named 'Later'"):
        service.execute_named(deposit("Later"), command_id="d-1")
