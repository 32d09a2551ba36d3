"""streams_of: each event's primary stream and the streams it is linked into."""

from __future__ import annotations

import pytest
from domain_given import DAY, opened, posted, voided

from domain.application.streams import (
    ACCOUNT,
    CHART,
    ENTRY,
    IMPORT,
    IMPORTED_ROWS,
    kind_of,
    routes,
    streams_of,
)
from domain.model.events import (
    EVENT_TYPES,
    AccountClosed,
    AccountMoved,
    AccountOpened,
    AccountReconciled,
    AccountRenamed,
    AccountReopened,
    CommandRedone,
    CommandUndone,
    Event,
    ImportRestored,
    ImportUndone,
    ReconciliationReopened,
    StatementImported,
)

IMPORTED = StatementImported(
    import_id="i1", account_id="chk", file_name="a.csv", sha256="", format="csv",
    currency="EUR", first_date="", last_date="", row_count=0, balances=(), rows=(), skipped=(),
    linked=(),
)  # fmt: skip


def test_every_event_type_has_its_streams() -> None:
    for event_type in EVENT_TYPES.values():

        class Unrouted(event_type):  # type: ignore[misc, valid-type]
            pass

        # a subclass is no event type of the book: routed by exact type, never by accident
        with pytest.raises(TypeError, match="no stream for Unrouted"):
            streams_of(Unrouted.__new__(Unrouted))
    samples: list[Event] = [
        opened("chk"),
        AccountRenamed(account_id="chk", old_name="Chk", new_name="Giro"),
        AccountMoved(account_id="chk", old_parent_id="", new_parent_id="bank"),
        AccountClosed(account_id="chk", closed_on=DAY),
        posted("e1", ("chk", 5), ("sal", -5)),
        voided(posted("e1", ("chk", 5), ("sal", -5))),
        IMPORTED,
        AccountReconciled(account_id="chk", statement_date=DAY, balance=0, entries=()),
        ImportUndone(import_id="i1", account_id="chk", reason="", voided=(), kept=(), unlinked=()),
        ImportRestored(import_id="i1", account_id="chk", restored=(), relinked=()),
        ReconciliationReopened("chk", DAY, "e1", "voided", 5),
        AccountReopened(account_id="chk", closed_on=DAY),
        CommandUndone("c1", 1, 2, 1, "Close Chk"),
        CommandRedone("c2", "c1", 3, 4, 1, "Close Chk"),
    ]
    assert {type(e) for e in samples} == set(EVENT_TYPES.values())
    for event in samples:
        streams_of(event)  # raises for an event type without streams


def test_account_events_are_linked_into_the_chart() -> None:
    assert streams_of(opened("chk")) == ("account-chk", ("chart",))
    assert streams_of(AccountClosed(account_id="chk", closed_on=DAY)) == (
        "account-chk",
        ("chart",),
    )
    # the chart's version guards the parent rules: no cycle from two moves at once
    moved = AccountMoved(account_id="chk", old_parent_id="", new_parent_id="bank")
    assert streams_of(moved) == ("account-chk", ("chart",))


def test_entry_events_are_linked_into_each_account_once() -> None:
    entry = posted("e1", ("chk", 5), ("sal", -3), ("chk", -2))
    assert streams_of(entry) == ("entry-e1", ("account-chk", "account-sal"))
    assert streams_of(voided(entry)) == ("entry-e1", ("account-chk", "account-sal"))


def test_import_events_are_linked_into_the_accounts_imported_rows() -> None:
    assert streams_of(IMPORTED) == ("import-i1", ("statement-rows-chk",))


def test_an_event_type_has_one_route() -> None:
    with pytest.raises(ValueError, match="AccountOpened already has its streams"):
        routes(AccountOpened)(lambda event: ("x", ()))
    assert streams_of(opened("chk"))[0] == "account-chk"


def test_stream_kinds_by_stream_id() -> None:
    assert kind_of("chart") is CHART
    assert kind_of("account-chk") is ACCOUNT
    assert kind_of("entry-e1") is ENTRY
    assert ACCOUNT.blank("account-chk").version == 0
    assert (ACCOUNT.long_lived, CHART.long_lived, ENTRY.long_lived) == (True, True, False)
    assert kind_of("import-i1") is IMPORT
    assert kind_of("statement-rows-chk") is IMPORTED_ROWS
    assert (IMPORT.long_lived, IMPORTED_ROWS.long_lived) == (False, True)


def test_an_undos_marks_are_in_the_undone_changes_stream() -> None:
    # undo, redo, undo of one change: one stream, whose version says which it is now
    assert streams_of(CommandUndone("c1", 1, 2, 1, "x")) == ("undo-c1", ())
    assert streams_of(CommandRedone("u1", "c1", 3, 4, 1, "x")) == ("undo-c1", ())
    assert streams_of(AccountReopened("chk", DAY)) == ("account-chk", ())
    assert kind_of("undo-c1").blank("undo-c1").version == 0
