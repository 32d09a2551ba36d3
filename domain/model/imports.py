"""The aggregates of bank-statement imports.

- :class:`Import` (stream ``import-<id>``): one import, the entries it created and whether it
  was undone.
- :class:`ImportedRows` (stream ``statement-rows-<account id>``): the keys of every row ever
  imported into an account, so the duplicate rule is decided from one stream (a snapshot
  plus its tail) and never from a scan of the log. A row whose entry was voided keeps its
  key: it does not come back. Only an undo of its import releases it.

A row's key (:func:`row_key`) is its bank id when the file gives one, else its date, amount,
text and occurrence number among equal rows of the same file (two identical coffees on one
day are two rows, and both are known the next time the file comes). A bank id repeated within
one file is counted the same way: banks do repeat ids for distinct transactions.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from domain.model.events import Event, ImportedRow, ImportRestored, ImportUndone, StatementImported

KEYS_SNAPSHOT_VERSION = "statement-rows-2"
IMPORT_SNAPSHOT_VERSION = "import-3"
IMPORT_PREFIX = "import-"
ROWS_PREFIX = "statement-rows-"


def import_stream_id(import_id: str) -> str:
    """The stream that holds an import's events."""
    return f"{IMPORT_PREFIX}{import_id}"


def rows_stream_id(account_id: str) -> str:
    """The stream of the keys of the rows imported into an account."""
    return f"{ROWS_PREFIX}{account_id}"


def import_id_of(entry_id: str) -> str | None:
    """The import an entry id would come from (``<import_id>-<n>``), if it has that shape."""
    import_id, dash, number = entry_id.rpartition("-")
    return import_id if dash and import_id and number.isdigit() else None


def row_key(bank_id: str, booking_date: object, amount: Decimal, text: str, occurrence: int) -> str:
    """What makes two rows the same transaction: 24 hex digits of a SHA-256 (short, as the
    account's stream keeps one per row ever imported)."""
    if bank_id:  # the n-th row with one bank id in a file: n counts from 1
        basis = f"id\x1f{bank_id}" if occurrence == 1 else f"id\x1f{bank_id}\x1f{occurrence}"
    else:
        words = " ".join(text.split()).casefold()
        number = format(amount.normalize(), "f")
        basis = f"row\x1f{booking_date}\x1f{number}\x1f{words}\x1f{occurrence}"
    return hashlib.sha256(basis.encode("utf-8", "surrogatepass")).hexdigest()[:24]


@dataclass(slots=True)
class ImportedRows:
    """The keys of the rows imported into one account (and not released by an undo)."""

    account_id: str
    keys: set[str] = field(default_factory=set)
    linked: dict[str, str] = field(default_factory=dict)  # entry id -> the import it was linked by
    version: int = 0

    def apply(self, event: Event) -> None:
        if isinstance(event, StatementImported):
            self.keys.update(row.key for row in event.rows)
            self.keys.update(row.key for row in event.linked)
            self.linked.update((row.entry_id, event.import_id) for row in event.linked)
        elif isinstance(event, ImportUndone):
            self.keys.difference_update(row.key for row in event.voided)
            self.keys.difference_update(row.key for row in event.unlinked)
            for row in event.unlinked:
                self.linked.pop(row.entry_id, None)
        elif isinstance(event, ImportRestored):
            self.keys.update(row.key for row in event.restored)
            self.keys.update(row.key for row in event.relinked)
            self.linked.update((row.entry_id, event.import_id) for row in event.relinked)
        else:
            raise ValueError(f"{type(event).__name__} does not belong to a statement-rows stream")
        self.version += 1

    def copy(self) -> ImportedRows:
        return ImportedRows(self.account_id, set(self.keys), dict(self.linked), self.version)

    def to_snapshot(self) -> dict[str, Any]:
        return {
            "account_id": self.account_id,
            "keys": sorted(self.keys),
            "linked": dict(self.linked),
            "version": self.version,
        }

    @classmethod
    def from_snapshot(cls, state: Mapping[str, Any]) -> ImportedRows:
        linked = {str(k): str(v) for k, v in state["linked"].items()}
        return cls(str(state["account_id"]), set(state["keys"]), linked, int(state["version"]))


@dataclass(slots=True)
class Import:
    """One import's state. ``version == 0``: no such import."""

    id: str
    account_id: str = ""
    file_name: str = ""
    rows: tuple[ImportedRow, ...] = ()
    undone: bool = False
    version: int = 0
    linked: tuple[ImportedRow, ...] = ()
    replaced: dict[str, str] = field(default_factory=dict)  # new transfer -> entry it replaced

    @classmethod
    def replay(cls, import_id: str, events: Iterable[Event]) -> Import:
        found = cls(import_id)
        for event in events:
            found.apply(event)
        return found

    @property
    def exists(self) -> bool:
        return self.version > 0

    def apply(self, event: Event) -> None:
        if isinstance(event, StatementImported):
            self.account_id, self.file_name, self.rows = (
                event.account_id,
                event.file_name,
                event.rows,
            )
            self.linked = event.linked
            self.replaced = {r.by: r.entry_id for r in event.replaced}
        elif isinstance(event, ImportUndone):
            self.undone = True
        elif isinstance(event, ImportRestored):  # its voided rows are now the new entries'
            self.undone = False
            again = {row.key: row for row in event.restored}
            self.rows = tuple(again.get(row.key, row) for row in self.rows)
        else:
            raise ValueError(f"{type(event).__name__} does not belong to an import stream")
        self.version += 1

    def row_of(self, entry_id: str) -> ImportedRow | None:
        """The provenance of one of this import's entries."""
        rows = (*self.rows, *self.linked)
        return next((row for row in rows if row.entry_id == entry_id), None)

    def copy(self) -> Import:
        return Import(
            self.id, self.account_id, self.file_name, self.rows, self.undone, self.version,
            self.linked, dict(self.replaced),
        )  # fmt: skip

    def to_snapshot(self) -> dict[str, Any]:
        rows = [[r.entry_id, r.line, r.bank_id, r.key, r.raw] for r in self.rows]
        linked = [[r.entry_id, r.line, r.bank_id, r.key, r.raw] for r in self.linked]
        return {
            "linked": linked,
            "replaced": dict(self.replaced),
            "id": self.id,
            "account_id": self.account_id,
            "file_name": self.file_name,
            "rows": rows,
            "undone": self.undone,
            "version": self.version,
        }

    @classmethod
    def from_snapshot(cls, state: Mapping[str, Any]) -> Import:
        rows = tuple(ImportedRow(e, int(n), b, k, r) for e, n, b, k, r in state["rows"])
        linked = tuple(ImportedRow(e, int(n), b, k, r) for e, n, b, k, r in state["linked"])
        return cls(
            str(state["id"]),
            str(state["account_id"]),
            str(state["file_name"]),
            rows,
            bool(state["undone"]),
            int(state["version"]),
            linked,
            {str(k): str(v) for k, v in state["replaced"].items()},
        )
