"""Receipts of a verified head: written, read back, and checked against the book, including
a forgery that recomputed the chain with raw SQL after the receipt was made."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from book_damage import rechain_from, tamper

from domain.application.receipts import Outcome, Receipt, ReceiptError, check_receipt
from domain.store.base import Metadata, NewEvent
from domain.store.sqlite import SqliteEventStore

EVENTS = 12


@pytest.fixture
def book(tmp_path: Path) -> Path:
    store = SqliteEventStore.create(tmp_path / "b.tallybook")
    for i in range(EVENTS):
        store.append([NewEvent(f"entry-{i}", "EntryPosted", 1, {"i": i}, ("account-1",))],
                     {f"entry-{i}": 0, "account-1": i}, Metadata(f"c{i}"))  # fmt: skip
    store.close()
    return store.path


def receipt_of(path: Path) -> Receipt:
    with SqliteEventStore.open(path, readonly=True) as store:
        report = store.verify()
        return Receipt.of(report, store.info().book_id, "9.9", dt.datetime(2026, 11, 1, 9, 30,
                          tzinfo=dt.UTC))  # fmt: skip


def check(path: Path, receipt: Receipt) -> tuple[Outcome, str, bool]:
    with SqliteEventStore.open(path, readonly=True) as store:
        found = check_receipt(store, receipt)
        return found.outcome, found.message, store.verify().ok


def test_a_receipt_survives_its_file_form(book: Path) -> None:
    receipt = receipt_of(book)
    assert Receipt.from_json(receipt.to_json()) == receipt
    data = json.loads(receipt.to_json())
    assert (data["events"], data["head_position"], data["app_version"]) == (EVENTS, EVENTS, "9.9")
    assert data["verified_at"] == "2026-11-01T09:30:00+00:00"


def test_the_untouched_book_holds_its_receipt_also_after_more_events(book: Path) -> None:
    receipt = receipt_of(book)
    with SqliteEventStore.open(book) as store:
        store.append([NewEvent("entry-x", "EntryPosted", 1, {})], {"entry-x": 0}, Metadata("x"))
    outcome, message, _ = check(book, receipt)
    assert outcome is Outcome.HOLDS
    assert f"nothing up to #{EVENTS} has changed" in message and f"{EVENTS + 1} events" in message


@pytest.mark.parametrize("altered", [1, 5, EVENTS])
def test_a_recomputed_chain_passes_a_plain_verify_but_not_the_receipt(
    book: Path, altered: int
) -> None:
    receipt = receipt_of(book)
    rechain_from(book, altered)  # raw SQL: payload altered, every later hash recomputed
    outcome, message, plain_ok = check(book, receipt)
    assert plain_ok  # the chain alone cannot tell
    assert outcome is Outcome.DIFFERS
    assert "rewritten" in message and f"#{EVENTS}" in message


def test_a_receipt_beyond_the_head_says_the_book_ends_before_it(book: Path) -> None:
    receipt = receipt_of(book)
    with tamper(book) as db:
        db.execute("DELETE FROM events WHERE position > 9")
    outcome, message, _ = check(book, receipt)
    assert outcome is Outcome.MISSING
    assert "ends at event #9, before the receipt's head #12" in message


def test_a_receipt_of_another_book_is_refused_without_a_walk(book: Path, tmp_path: Path) -> None:
    other = SqliteEventStore.create(tmp_path / "other.tallybook")
    other.close()
    outcome, message, _ = check(other.path, receipt_of(book))
    assert outcome is Outcome.OTHER_BOOK and "another book" in message


def test_a_broken_chain_is_named_before_the_receipt(book: Path) -> None:
    receipt = receipt_of(book)
    with tamper(book) as db:
        db.execute("UPDATE events SET data = '{\"i\": 99}' WHERE position = 4")
    outcome, message, _ = check(book, receipt)
    assert outcome is Outcome.BROKEN and "broken at event #4" in message


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("not json", "not JSON"),
        ("[1, 2]", "not a Tallybook receipt"),
        ('{"tallybook_receipt": 7}', "format 7"),
        ('{"tallybook_receipt": 1, "book_id": ""}', "book_id"),
        ('{"tallybook_receipt": 1, "book_id": "b", "events": -1}', "events"),
        ('{"tallybook_receipt": 1, "book_id": "b", "events": 1, "head_position": true}',
         "head_position"),
        ('{"tallybook_receipt": 1, "book_id": "b", "events": 1, "head_position": 1, '
         '"head_hash": "abc"}', "64 hexadecimal"),
        ('{"tallybook_receipt": 1, "book_id": "b", "events": 1, "head_position": 1, '
         f'"head_hash": "{"a" * 64}", "verified_at": "2026-11-01T09:30:00"}}', "offset"),
    ],
)  # fmt: skip
def test_a_malformed_receipt_says_what_is_wrong(text: str, says: str) -> None:
    with pytest.raises(ReceiptError, match=says):
        Receipt.from_json(text)
