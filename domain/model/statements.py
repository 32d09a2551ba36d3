"""A bank statement as read from a file: what an import hands the books.

The parsers (``app/statements/``) turn the bytes of a CSV, OFX, CAMT.053, MT940 or QIF file
into a :class:`Statement`; the Import Statement command decides from it. Amounts are exact
``Decimal`` values read straight from the file's text, signed from the account holder's side
(positive: money came in).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class StatementRow:
    """One transaction of a statement."""

    line: int
    """Where the row is in the file (1-based line, or the transaction's ordinal for XML)."""
    booking_date: date
    amount: Decimal
    payee: str = ""
    memo: str = ""
    bank_id: str | None = None
    """The bank's own id for the transaction (OFX FITID, CAMT.053 entry reference, MT940
    bank reference), when the file has one."""
    raw: str = ""
    """The row's original text, kept as provenance."""
    pending: bool = False


@dataclass(frozen=True)
class RowError:
    """A row that did not parse: where, and why (one line)."""

    line: int
    message: str


@dataclass(frozen=True)
class Balance:
    """A balance the statement states, at the end of ``on``."""

    amount: Decimal
    on: date | None = None


@dataclass(frozen=True)
class Statement:
    """The transactions of one account's statement, with what the file says about them."""

    format: str
    """"csv", "ofx", "camt053", "mt940" or "qif"."""
    rows: tuple[StatementRow, ...]
    errors: tuple[RowError, ...] = ()
    currency: str | None = None
    account_hint: str | None = None
    """The bank's account number/IBAN as the file gives it, if it does."""
    opening: Balance | None = None
    closing: Balance | None = None
    notes: tuple[str, ...] = field(default=())
    """What the parser chose (a CSV's detected mapping, an encoding), in words."""

    @property
    def period(self) -> tuple[date, date] | None:
        """The first and last booking dates, or None for a statement with no rows."""
        if not self.rows:
            return None
        dates = [row.booking_date for row in self.rows]
        return min(dates), max(dates)
