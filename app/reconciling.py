"""What Entry ▸ Reconcile Account… reads: an account's entries not reconciled yet and the
balance its reconciled ones make (from the read models and the Reconciliation aggregate).
Built by the launcher over the book; the dialog gets it as a narrow dependency."""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain.projections.rows import RegisterRow

if TYPE_CHECKING:
    from app.composition import Book

_PAGE = 5000


class ReconcileReader:
    """Reads for the reconcile dialog, over one open book (GUI thread only)."""

    def __init__(self, book: Book) -> None:
        self._book = book

    def reconciled_balance(self, account_id: str) -> int:
        """The natural-signed balance of the account's reconciled entries (minor units)."""
        sign = self._book.service.account(account_id).account_type.sign
        return sign * self._book.service.reconciliation(account_id).balance

    def statuses(self, account_id: str) -> dict[str, str]:
        """Entry id -> "reconciled", or "cleared" for one linked to a statement's row (an
        imported entry's id says it came from a statement); the others are absent."""
        service = self._book.service
        found = dict.fromkeys(service.imported_rows(account_id).linked, "cleared")
        found.update(dict.fromkeys(service.reconciliation(account_id).entries, "reconciled"))
        return found

    def open_entries(self, account_id: str) -> list[RegisterRow]:
        """The account's entries, not voided and not reconciled yet, in register order."""
        done = self._book.service.reconciliation(account_id).entries
        models = self._book.read_models
        found: list[RegisterRow] = []
        for offset in range(0, models.register_count(account_id), _PAGE):
            found.extend(
                row
                for row in models.register(account_id, offset=offset, limit=_PAGE)
                if not row.is_void and row.voided_by is None and row.entry_id not in done
            )
        return found
