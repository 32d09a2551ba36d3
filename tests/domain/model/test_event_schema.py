"""Each event type declared once: its stored form, its versions and upcasters, checked."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

import pytest

from domain.model import event_schema
from domain.model.events import (
    CURRENT_VERSION,
    EVENT_TYPES,
    AccountClosed,
    AccountMoved,
    AccountOpened,
    AccountReconciled,
    AccountRenamed,
    AccountReopened,
    AccountType,
    ClearedEntry,
    CommandRedone,
    CommandUndone,
    EntryKind,
    EntryPosted,
    EntryVoided,
    Event,
    ImportedRow,
    ImportRestored,
    ImportUndone,
    KeptEntry,
    Posting,
    ReconciliationReopened,
    SkippedRow,
    StatementBalance,
    StatementImported,
    data_key,
    event_type,
    from_data,
    to_data,
)
from domain.projections.event_json import json_path

LEGS = (Posting("chk", "EUR", 125000), Posting("sal", "EUR", -125000))
ONE_OF_EACH: list[Event] = [
    AccountOpened(
        "chk", "Girokonto Ü", AccountType.ASSET, "EUR", -1230, dt.date(2024, 1, 2), False
    ),
    AccountRenamed("chk", "Checking", "Girokonto"),
    AccountClosed("chk", dt.date(2024, 12, 31)),
    EntryPosted("e1", EntryKind.DEPOSIT, dt.date(2024, 2, 1), 'ACME "Corp"', "", LEGS),
    EntryVoided("e1", dt.date(2024, 2, 3), "typo", LEGS),
    AccountOpened("fuel", "Fuel", AccountType.EXPENSE, "EUR", 0, dt.date(2024, 1, 2), True, "car"),
    AccountMoved("fuel", "car", ""),
]
ROW = ImportedRow("i1-1", 7, "FIT-9", "0a1b", "2024-02-01;ACME;1.250,00")
IMPORT_EVENTS: list[Event] = [
    StatementImported(
        "i1", "chk", "jan.csv", "ff00", "csv", "EUR", "2024-02-01", "2024-02-28", 2,
        (StatementBalance("closing", "2024-02-28", 125000),), (ROW,),
        (SkippedRow(8, "0a1c", "duplicate", "already imported"),), (),
    ),
    ImportUndone(
        "i1", "chk", "wrong file", (ROW,), (KeptEntry("i1-2", "already voided"),), ()
    ),
    ImportRestored("i1", "chk", (dataclasses.replace(ROW, entry_id="u1.3"),), ()),
    AccountReconciled("chk", dt.date(2024, 2, 28), 125000, (ClearedEntry("e1", 125000),)),
    ReconciliationReopened("chk", dt.date(2024, 2, 28), "e1", "voided", 125000),
    AccountReopened("chk", dt.date(2024, 12, 31)),
    CommandUndone("c1", 3, 4, 1, "Withdrawal 45.00 EUR from Checking to Groceries"),
    CommandRedone("c2", "c1", 5, 6, 1, "Withdrawal 45.00 EUR from Checking to Groceries"),
]  # fmt: skip
# the store's encoder (domain/store/sqlite.py)
STORED_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode


def encoded_as_before(event: Event) -> dict[str, Any]:
    """to_data as it was before the declarations: field by field, by the value's type."""
    data: dict[str, Any] = {}
    for field in dataclasses.fields(event):
        value = getattr(event, field.name)
        if isinstance(value, dt.date):
            value = value.isoformat()
        elif isinstance(value, tuple):
            value = [[p.account_id, p.currency, p.amount] for p in value]
        data[field.name] = value
    return data


def test_every_event_type_has_an_example_here() -> None:
    assert {type(e) for e in ONE_OF_EACH + IMPORT_EVENTS} == set(EVENT_TYPES.values())
    assert CURRENT_VERSION == {"AccountOpened": 3, "AccountRenamed": 1, "AccountMoved": 1,
                               "AccountClosed": 1,
                               "EntryPosted": 1, "EntryVoided": 1, "StatementImported": 2,
                               "ImportUndone": 1, "ImportRestored": 1, "AccountReconciled": 1,
                               "ReconciliationReopened": 1, "AccountReopened": 1,
                               "CommandUndone": 1, "CommandRedone": 1}  # fmt: skip


@pytest.mark.parametrize("event", IMPORT_EVENTS, ids=lambda e: e.type_name())
def test_an_imports_events_read_back_as_written(event: Event) -> None:
    stored = json.loads(STORED_JSON(to_data(event)))
    assert from_data(event.type_name(), event.schema_version, stored) == event
    if isinstance(event, StatementImported | ImportUndone):
        assert stored["rows" if isinstance(event, StatementImported) else "voided"][0] == [
            "i1-1", 7, "FIT-9", "0a1b", "2024-02-01;ACME;1.250,00"
        ]  # fmt: skip


def test_an_import_of_version_1_reads_with_no_replaced_entries_and_no_mismatches() -> None:
    stored = json.loads(STORED_JSON(to_data(IMPORT_EVENTS[0])))
    del stored["replaced"], stored["mismatches"]
    assert from_data("StatementImported", 1, stored) == IMPORT_EVENTS[0]


@pytest.mark.parametrize("event", ONE_OF_EACH, ids=lambda e: e.type_name())
def test_the_stored_json_of_every_event_type_is_byte_for_byte_as_before(event: Event) -> None:
    assert STORED_JSON(to_data(event)) == STORED_JSON(encoded_as_before(event))
    assert json.dumps(to_data(event)) == json.dumps(encoded_as_before(event))


def test_an_entry_is_stored_as_it_always_was() -> None:
    assert STORED_JSON(to_data(ONE_OF_EACH[3])) == (
        '{"entry_id":"e1","kind":"deposit","booking_date":"2024-02-01",'
        '"payee":"ACME \\"Corp\\"","memo":"",'
        '"postings":[["chk","EUR",125000],["sal","EUR",-125000]]}'
    )


@pytest.mark.parametrize("event", ONE_OF_EACH, ids=lambda e: e.type_name())
def test_every_event_type_round_trips_through_its_stored_json(event: Event) -> None:
    text = STORED_JSON(to_data(event))
    decoded = from_data(event.type_name(), event.schema_version, json.loads(text))
    assert decoded == event
    assert type(decoded) is type(event)
    assert [type(getattr(decoded, f.name)) for f in dataclasses.fields(event)] == [
        type(getattr(event, f.name)) for f in dataclasses.fields(event)
    ]


def test_decoding_leaves_the_stored_data_alone_and_events_stay_frozen() -> None:
    data = to_data(ONE_OF_EACH[3])
    before = json.dumps(data)
    event = from_data("EntryPosted", 1, data)
    assert json.dumps(data) == before
    assert isinstance(event, EntryPosted) and event.postings[0] == LEGS[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.payee = "other"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.postings[0].amount = 1  # type: ignore[misc]


def test_a_bad_enum_value_is_refused_as_by_the_enum() -> None:
    data = {**to_data(ONE_OF_EACH[3]), "kind": "gift"}
    with pytest.raises(ValueError, match="'gift' is not a valid EntryKind"):
        from_data("EntryPosted", 1, data)


def test_a_v2_account_opened_reads_as_an_account_at_the_top() -> None:
    v2 = {k: v for k, v in to_data(ONE_OF_EACH[5]).items() if k != "parent_id"}
    event = from_data("AccountOpened", 2, v2)
    assert event == dataclasses.replace(ONE_OF_EACH[5], parent_id="")


def test_the_v1_account_opened_is_upcast_without_changing_the_stored_data() -> None:
    v1 = {
        "account_id": "chk",
        "name": "Checking",
        "account_type": "asset",
        "currency": "EUR",
        "opening_balance": "12.30",
        "opening_date": "2024-01-02",
    }
    kept = dict(v1)
    event = from_data("AccountOpened", 1, v1)
    assert isinstance(event, AccountOpened)
    assert (event.opening_balance, event.overdraft_allowed) == (1230, True)
    assert event.parent_id == ""  # v1 and v2 knew no hierarchy
    assert v1 == kept


@pytest.mark.parametrize(
    ("type_name", "version", "message"),
    [
        ("NoSuchEvent", 1, "unknown event type 'NoSuchEvent'"),
        ("AccountOpened", 4, "AccountOpened v4 is newer than this Tallybook understands"),
        ("EntryPosted", 2, "EntryPosted v2 is newer than this Tallybook understands"),
        ("EntryPosted", 0, "no upcaster for EntryPosted v0"),
    ],
)
def test_unknown_types_and_versions_get_the_messages_they_always_got(
    type_name: str, version: int, message: str
) -> None:
    with pytest.raises(ValueError, match=f"^{message}$"):
        from_data(type_name, version, {})


def test_a_misspelt_field_fails_where_it_is_named() -> None:
    assert data_key(EntryPosted, "booking_date") == "booking_date"
    assert data_key(EntryPosted, "postings", EntryVoided) == "postings"
    with pytest.raises(AttributeError, match="EntryPosted has no field 'bookingdate'"):
        data_key(EntryPosted, "bookingdate")
    with pytest.raises(AttributeError, match="EntryVoided has no field 'booking_date'"):
        data_key(EntryPosted, "booking_date", EntryVoided)


def test_json_paths_come_from_the_declaration() -> None:
    assert json_path(EntryPosted, "booking_date") == "$.booking_date"
    assert json_path(EntryVoided, "postings", 1, "amount") == "$.postings[1][2]"
    assert json_path(EntryPosted, "postings", 0, "account_id") == "$.postings[0][0]"
    with pytest.raises(AttributeError, match="Posting has no field 'acount_id'"):
        json_path(EntryPosted, "postings", 0, "acount_id")
    with pytest.raises(AttributeError, match="AccountClosed has no field 'closed'"):
        json_path(AccountClosed, "closed")
    with pytest.raises(TypeError, match="holds no tuple of values"):
        json_path(AccountClosed, "closed_on", 0, "amount")


@pytest.fixture
def scratch_registry(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Event types declared in a test are forgotten after it."""
    for name in ("EVENT_TYPES", "CURRENT_VERSION", "UPCASTERS", "FIELD_NAMES", "_ENCODERS",
                 "_DECODERS"):  # fmt: skip
        monkeypatch.setattr(event_schema, name, dict(getattr(event_schema, name)))
    yield


@pytest.mark.usefixtures("scratch_registry")
def test_upcasters_declared_on_the_class_chain_from_any_older_version() -> None:
    @event_type
    @dataclass(frozen=True)
    class BudgetSet(Event):
        schema_version: ClassVar[int] = 3
        account_id: str
        limit: int
        since: dt.date

        @staticmethod
        def upcast_v1_v2(data: dict[str, Any]) -> dict[str, Any]:
            data["limit"] = int(data.pop("limit_units")) * 100
            return data

        @staticmethod
        def upcast_v2_v3(data: dict[str, Any]) -> dict[str, Any]:
            data.setdefault("since", "2024-01-01")
            return data

    expected = BudgetSet("food", 5000, dt.date(2024, 1, 1))
    assert from_data("BudgetSet", 1, {"account_id": "food", "limit_units": "50"}) == expected
    assert from_data("BudgetSet", 2, {"account_id": "food", "limit": 5000}) == expected
    assert from_data("BudgetSet", 3, to_data(expected)) == expected
    assert event_schema.CURRENT_VERSION["BudgetSet"] == 3


@pytest.mark.usefixtures("scratch_registry")
@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("schema_version: ClassVar[int] = 2\n    account_id: str",
         "Odd is at schema version 2 but declares no upcast_v1_v2"),
        ("account_id: str\n    @staticmethod\n    def upcast_v1_v2(d: Any) -> Any: return d",
         r"Odd.upcast_v1_v2 does not upcast one step within versions 1..1"),
        ("schema_version: ClassVar[int] = 3\n    account_id: str\n"
         "    @staticmethod\n    def upcast_v1_v3(d: Any) -> Any: return d",
         r"Odd.upcast_v1_v3 does not upcast one step"),
        ("schema_version: ClassVar[int] = 2\n    account_id: str\n"
         "    def upcast_v1_v2(self, d: Any) -> Any: return d",
         "Odd.upcast_v1_v2 must be a staticmethod"),
        ("amount: float", "Odd.amount: no stored form for the type <class 'float'>"),
        ("names: list[str]", r"Odd.names: no stored form for the type list\[str\]"),
    ],
)  # fmt: skip
def test_a_faulty_declaration_fails_at_import_time_and_registers_nothing(
    source: str, message: str
) -> None:
    namespace: dict[str, Any] = {"Any": Any, "ClassVar": ClassVar, "Event": Event}
    # compiled on its own: this module's "from __future__ import annotations" would make the
    # annotations strings that dataclasses cannot resolve in an exec'd class
    code = compile(f"class Odd(Event):\n    {source}\n", "<odd>", "exec", dont_inherit=True)
    exec(code, namespace)
    with pytest.raises(TypeError, match=message):
        event_type(dataclass(frozen=True)(namespace["Odd"]))
    assert "Odd" not in event_schema.EVENT_TYPES
    assert not any(name == "Odd" for name, _ in event_schema.UPCASTERS)


@pytest.mark.usefixtures("scratch_registry")
def test_events_must_be_frozen_dataclasses_declared_once() -> None:
    class Loose(Event):
        pass

    with pytest.raises(TypeError, match="Loose must be a dataclass deriving from Event"):
        event_type(Loose)
    with pytest.raises(TypeError, match="cannot inherit non-frozen dataclass from a frozen"):

        @event_type
        @dataclass
        class Thawed(Event):
            account_id: str

    with pytest.raises(TypeError, match="event type EntryPosted is declared twice"):
        event_type(dataclass(frozen=True)(type("EntryPosted", (Event,), {})))


@pytest.mark.parametrize("count", [1, 2, 3, 5])
def test_entries_of_any_number_of_postings_round_trip(count: int) -> None:
    legs = tuple(Posting(f"a{i}", "EUR", i - 2) for i in range(count))
    event = EntryPosted("e", EntryKind.SPLIT, dt.date(2024, 3, 1), "", "", legs)
    assert from_data("EntryPosted", 1, json.loads(STORED_JSON(to_data(event)))) == event


@pytest.mark.parametrize("postings", [[["chk", "EUR"]], [["chk", "EUR", 1, 2], ["sal", "EUR", -1]]])
def test_a_posting_of_another_shape_is_refused(postings: list[list[Any]]) -> None:
    data = {**to_data(ONE_OF_EACH[3]), "postings": postings}
    with pytest.raises(ValueError, match="values to unpack"):
        from_data("EntryPosted", 1, data)
