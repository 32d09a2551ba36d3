"""What the register's filter keeps: text, booking dates, amount and status, row by row.

Statuses are the register's own words: "—" (not cleared), "cleared", "reconciled", and
"voided" for a voided entry and its void (which the Status column leaves blank).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from domain.model.imports import import_id_of
from domain.projections.rows import RegisterRow

NOT_CLEARED = "—"
VOIDED = "voided"
STATUSES = (NOT_CLEARED, "cleared", "reconciled", VOIDED)


def status_of(row: RegisterRow, known: Mapping[str, str]) -> str:
    """The row's status (``known``: entry id -> "cleared"/"reconciled", see ReconcileReader)."""
    if row.is_void or row.struck_out:
        return VOIDED
    # an entry an import created is cleared by its statement: told by its id
    cleared = import_id_of(row.entry_id) is not None
    return known.get(row.entry_id) or ("cleared" if cleared else NOT_CLEARED)


@dataclass(frozen=True, slots=True)
class RegisterFilter:
    """Each part given must hold; ``text`` is casefolded, amounts are minor units of the
    account's currency compared by size (a withdrawal of 12.50 is 1250)."""

    text: str | None = None
    from_date: dt.date | None = None
    to_date: dt.date | None = None
    amount_min: int | None = None
    amount_max: int | None = None
    status: str | None = None

    @property
    def active(self) -> bool:
        return any(getattr(self, name) is not None for name in self.__slots__)

    def matches(self, row: RegisterRow, status: str) -> bool:
        if self.from_date is not None and row.booking_date < self.from_date:
            return False
        if self.to_date is not None and row.booking_date > self.to_date:
            return False
        size = abs(row.amount)
        if self.amount_min is not None and size < self.amount_min:
            return False
        if self.amount_max is not None and size > self.amount_max:
            return False
        if self.status is not None and status != self.status:
            return False
        if self.text:
            texts = (row.payee, row.memo, row.other_accounts)
            return any(self.text in t.casefold() for t in texts)
        return True


def filter_rows(
    rows: Sequence[RegisterRow], known: Mapping[str, str], keep: RegisterFilter
) -> list[RegisterRow]:
    """The rows ``keep`` keeps, in register order."""
    return [row for row in rows if keep.matches(row, status_of(row, known))]
