"""Receipts for a verified head: what Verify Integrity found, kept so a later check can prove
that nothing up to that head changed since.

A forger who alters an event and recomputes every later hash makes the chain verify again;
only a hash written down before (a receipt) exposes that the head is no longer the same.
A receipt is a small JSON object (see README's "File formats")::

    {"tallybook_receipt": 1, "book_id": "…", "events": 120, "head_position": 120,
     "head_hash": "64 hex digits", "verified_at": "2026-11-01T09:30:00+00:00",
     "app_version": "0.1.0"}
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, Protocol

from domain.store.base import BookInfo, Progress, VerifyReport

RECEIPT_FORMAT = 1
_HEX = re.compile(r"[0-9a-f]{64}")


class ReceiptError(ValueError):
    """A receipt that cannot be read; the message says what is wrong with it."""


@dataclass(frozen=True, slots=True)
class Receipt:
    """A verified head: which book, how many events, the head's position and hash, when
    (UTC) and by which Tallybook version it was verified."""

    book_id: str
    events: int
    head_position: int
    head_hash: str  # hex
    verified_at: dt.datetime  # UTC
    app_version: str = ""

    @classmethod
    def of(
        cls, report: VerifyReport, book_id: str, app_version: str, now: dt.datetime | None = None
    ) -> Receipt:
        """The receipt of a verification that found the chain intact."""
        if not report.ok:
            raise ValueError("only an intact chain gets a receipt")
        when = now or dt.datetime.now(dt.UTC)
        return cls(book_id, report.events, report.head_position, report.head_hash,
                   when.astimezone(dt.UTC).replace(microsecond=0), app_version)  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        return {
            "tallybook_receipt": RECEIPT_FORMAT,
            "book_id": self.book_id,
            "events": self.events,
            "head_position": self.head_position,
            "head_hash": self.head_hash,
            "verified_at": self.verified_at.isoformat(),
            "app_version": self.app_version,
        }

    def to_json(self) -> str:
        """The receipt as a file holds it (indented, one key a line)."""
        return json.dumps(self.to_dict(), indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Receipt:
        """Read a receipt; ReceiptError saying what is wrong if it is none."""
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise ReceiptError(f"this is not a receipt: it is not JSON ({exc})") from None
        if not isinstance(data, dict) or "tallybook_receipt" not in data:
            raise ReceiptError("this is not a Tallybook receipt: it has no \"tallybook_receipt\"")
        if data["tallybook_receipt"] != RECEIPT_FORMAT:
            raise ReceiptError(
                f"this receipt's format {data['tallybook_receipt']!r} is not one this "
                f"Tallybook reads ({RECEIPT_FORMAT})"
            )
        return cls(
            book_id=_text(data, "book_id", required=True),
            events=_count(data, "events"),
            head_position=_count(data, "head_position"),
            head_hash=_hash(data),
            verified_at=_time(data),
            app_version=_text(data, "app_version", required=False),
        )


def read_receipt(path: Path) -> Receipt:
    """The receipt in a file; ReceiptError naming the file and what is wrong."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ReceiptError(f"cannot read the receipt {path}: {exc}") from None
    try:
        return Receipt.from_json(text)
    except ReceiptError as exc:
        raise ReceiptError(f"{path}: {exc}") from None


def _text(data: dict[str, Any], key: str, *, required: bool) -> str:
    value = data.get(key, None if required else "")
    if not isinstance(value, str) or (required and not value):
        raise ReceiptError(f"the receipt's {key} is missing or not a text")
    return value


def _count(data: dict[str, Any], key: str) -> int:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ReceiptError(f"the receipt's {key} is missing or not a whole number ≥ 0")
    return value


def _hash(data: dict[str, Any]) -> str:
    value = data.get("head_hash")
    if not isinstance(value, str) or not _HEX.fullmatch(value.lower()):
        raise ReceiptError("the receipt's head_hash is missing or not 64 hexadecimal digits")
    return value.lower()


def _time(data: dict[str, Any]) -> dt.datetime:
    value = data.get("verified_at")
    try:
        when = dt.datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        when = None
    if when is None or when.tzinfo is None:
        raise ReceiptError("the receipt's verified_at is missing or not a time with its offset")
    return when.astimezone(dt.UTC)


class Outcome(Enum):
    HOLDS = "holds"  # the book still has that hash at that position
    DIFFERS = "differs"  # another hash there: rewritten since the receipt
    MISSING = "missing"  # the book ends before the receipt's head
    OTHER_BOOK = "other book"  # the receipt is of another book
    BROKEN = "broken"  # the chain itself is broken (a plain verify says so too)
    CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True)
class ReceiptCheck:
    """What checking a book against a receipt found, with its words for people."""

    outcome: Outcome
    message: str
    receipt: Receipt
    report: VerifyReport | None = None  # None when no walk was needed (another book)

    @property
    def ok(self) -> bool:
        return self.outcome is Outcome.HOLDS

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "outcome": self.outcome.value, "message": self.message,
                "receipt": self.receipt.to_dict()}  # fmt: skip


class VerifiableStore(Protocol):
    """The part of an event store the check needs."""

    def info(self) -> BookInfo: ...

    def verify(
        self,
        progress: Progress | None = None,
        batch_size: int = ...,
        *,
        expect_head: tuple[int, bytes] | None = None,
    ) -> VerifyReport: ...


def check_receipt(
    store: VerifiableStore, receipt: Receipt, progress: Progress | None = None
) -> ReceiptCheck:
    """Walk the whole chain and compare the hash at the receipt's position with its hash."""
    book_id = store.info().book_id
    at, digest = receipt.head_position, receipt.head_hash
    if book_id != receipt.book_id:
        return ReceiptCheck(Outcome.OTHER_BOOK, (
            f"This receipt is of another book (id {receipt.book_id}); this book's id is "
            f"{book_id}. It proves nothing about this book."), receipt)  # fmt: skip
    # an empty book's receipt names no event: the walk alone decides
    expect = (at, bytes.fromhex(digest)) if at > 0 else None
    report = store.verify(progress, expect_head=expect)
    when = f"{receipt.verified_at:%Y-%m-%d %H:%M} UTC"
    if report.cancelled:
        return ReceiptCheck(Outcome.CANCELLED, "The check was stopped.", receipt, report)
    if report.ok:
        return ReceiptCheck(Outcome.HOLDS, (
            f"The book still has the hash of the receipt at event #{at}: nothing up to #{at} "
            f"has changed since it was verified on {when}. It now has {report.events} "
            f"events."), receipt, report)  # fmt: skip
    if report.problem == "head differs":
        return ReceiptCheck(Outcome.DIFFERS, (
            f"The book has been rewritten since {when}: the hash at event #{at} is no longer "
            f"the receipt's, though its chain verifies on its own. Someone altered an event "
            f"at or before #{at} and recomputed the hashes after it."),
            receipt, report)  # fmt: skip
    if report.problem == "head missing":
        return ReceiptCheck(Outcome.MISSING, (
            f"The book ends at event #{report.events}, before the receipt's head #{at}: "
            f"events were removed since {when}, or the receipt is of a later copy."),
            receipt, report)  # fmt: skip
    said = str(report.details.get("message", report.problem))
    return ReceiptCheck(Outcome.BROKEN, (
        f"The book's hash chain is broken at event #{report.first_bad_position}, so it "
        f"cannot match the receipt: {said}"), receipt, report)  # fmt: skip
