"""What text and ids a command may hold: lengths, NFC names, no control, format or surrogate
characters (the rules every front end gets, given by commands through the service)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from domain.application.service import BookService
from domain.model.commands import (
    Deposit,
    OpenAccount,
    RenameAccount,
    VoidEntry,
    Withdraw,
)
from domain.model.errors import DuplicateAccountName, InvalidCommand
from domain.model.events import AccountType
from domain.model.guards import MAX_ID, MAX_NAME, MAX_TEXT
from domain.store.memory import InMemoryEventStore

DAY = dt.date(2024, 1, 1)


def opening(name: str, kind: AccountType = AccountType.ASSET, **more: object) -> OpenAccount:
    return OpenAccount(name=name, account_type=kind, currency="EUR", opening_date=DAY, **more)  # type: ignore[arg-type]


@pytest.fixture
def service() -> BookService:
    book = BookService(InMemoryEventStore())
    book.execute(opening("Checking", account_id="checking"))
    book.execute(opening("Salary", AccountType.INCOME, account_id="salary"))
    return book


def deposit(**more: object) -> Deposit:
    fields: dict[str, object] = {
        "account_id": "checking",
        "income_account_id": "salary",
        "amount": Decimal(5),
        "booking_date": DAY,
        **more,
    }
    return Deposit(**fields)  # type: ignore[arg-type]


BAD_IDS = [
    ("x\x00", "a control character (U+0000)"),
    ("x\ud800", "a lone surrogate (U+D800)"),
    ("x\u200by", "an invisible format character (U+200B)"),
    ("x\u202ey", "an invisible format character (U+202E)"),
    ("x y", "a space (U+0020)"),
    ("x\u00a0y", "a space (U+00A0)"),
    ("x\ny", "a control character (U+000A)"),
    ("", "non-empty"),
    ("x" * (MAX_ID + 1), f"{MAX_ID + 1} characters long; an id's limit is {MAX_ID}"),
]


@pytest.mark.parametrize(("bad", "message"), BAD_IDS)
@pytest.mark.parametrize("field", ["command_id", "entry_id", "account_id"])
def test_an_id_must_be_printable_without_spaces_and_short(
    service: BookService, field: str, bad: str, message: str
) -> None:
    head = service.store.head()
    with pytest.raises(InvalidCommand, match=re.escape(message)):
        service.execute(deposit(**{field: bad}))
    assert service.store.head() == head


def test_an_id_of_the_longest_length_and_any_printable_letters_is_taken(
    service: BookService,
) -> None:
    service.execute(deposit(command_id="c" * MAX_ID, entry_id="é-日本-" + "e" * (MAX_ID - 6)))
    with pytest.raises(InvalidCommand, match="entry_id"):
        service.execute(VoidEntry(entry_id="e\x00", voided_on=DAY))


def test_a_megabyte_id_is_refused_without_quoting_it(service: BookService) -> None:
    with pytest.raises(InvalidCommand) as refused:
        service.execute(deposit(command_id="c" * 1_000_000))
    assert len(refused.value.message) < 200


def test_names_are_stored_in_nfc_and_two_spellings_of_one_name_clash(service: BookService) -> None:
    service.execute(opening("Cafe\u0301", account_id="cafe"))
    assert service.account("cafe").name == "Caf\u00e9"
    with pytest.raises(DuplicateAccountName):
        service.execute(opening("CAF\u00c9", account_id="cafe2"))
    service.execute(RenameAccount(account_id="checking", new_name="Cre\u0300me"))
    assert service.account("checking").name == "Cr\u00e8me"
    assert service.chart().id_for("cre\u0300me") == "checking"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("Cash\u200b", "an invisible format character (U+200B)"),  # zero-width space
        ("Ca\u200dsh", "an invisible format character (U+200D)"),  # zero-width joiner
        ("Cash\u202egnp.exe", "an invisible format character (U+202E)"),  # bidi override
        ("Ca\u2066sh", "an invisible format character (U+2066)"),  # bidi isolate
        ("\ufeffCash", "an invisible format character (U+FEFF)"),
        ("Ca\x00sh", "a control character (U+0000)"),
        ("Ca\tsh", "a control character (U+0009)"),
        ("Ca\u2028sh", "a line separator (U+2028)"),
        ("Ca\ud800sh", "a lone surrogate (U+D800)"),
        ("\u200b", "must not be empty or invisible"),
        ("x" * (MAX_NAME + 1), f"{MAX_NAME + 1} characters long; the limit is {MAX_NAME}"),
    ],
)
def test_a_name_with_invisible_or_control_characters_is_refused(
    service: BookService, name: str, message: str
) -> None:
    escaped = re.escape(message)
    with pytest.raises(InvalidCommand, match=escaped):
        service.execute(opening(name))
    with pytest.raises(InvalidCommand, match=escaped):
        service.execute(RenameAccount(account_id="checking", new_name=name))


def test_a_name_of_the_longest_length_is_taken(service: BookService) -> None:
    service.execute(opening("n" * MAX_NAME, account_id="long"))
    assert service.account("long").name == "n" * MAX_NAME


@pytest.mark.parametrize("field", ["payee", "memo"])
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a\ud800", "a lone surrogate"),
        ("a\x00b", "a control character"),
        ("a\x1bb", "a control character"),
        ("t" * (MAX_TEXT + 1), f"the limit is {MAX_TEXT}"),
    ],
)
def test_free_text_refuses_surrogates_control_characters_and_length(
    service: BookService, field: str, text: str, message: str
) -> None:
    with pytest.raises(InvalidCommand, match=re.escape(message)):
        service.execute(deposit(**{field: text}))


def test_free_text_keeps_what_people_write(service: BookService) -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # joined by zero-width joiners
    service.execute(deposit(payee=f"Zoo {family}", memo="two\nlines\tand a tab", entry_id="e1"))
    assert service.entry("e1").postings  # stored
    with pytest.raises(InvalidCommand, match="reason"):
        service.execute(VoidEntry(entry_id="e1", voided_on=DAY, reason="x\ud800"))
    with pytest.raises(InvalidCommand, match="payee"):
        service.execute(
            Withdraw(
                account_id="checking",
                expense_account_id="salary",
                amount=Decimal(1),
                booking_date=DAY,
                payee="a\nb",
            )
        )
