"""What importing a statement would do, for the app's preview: the domain's dry run.

The same path as ``tallybook-cli import --dry-run``: the Import Statement command is decided
by :meth:`BookService.preview` (nothing is written) and the likely matches are found by
:func:`app.cli.matches.possible_matches`. The window gets a :class:`StatementPreviewer` (built
by the launcher over the book) as a narrow dependency; it never sees the book itself.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from app.cli.matches import chosen, possible_matches
from domain.model.commands import ImportStatement
from domain.model.errors import DomainError
from domain.model.events import AccountType, StatementImported
from domain.model.import_command import import_command
from domain.model.importing import DUPLICATE
from domain.model.money import Money
from domain.model.statements import Statement

if TYPE_CHECKING:
    from app.composition import Book

NEW, DUPLICATE_ROW, MATCH, ERROR, SKIPPED = "new", "duplicate", "possible match", "error", "skipped"
"""A preview row's status."""


@dataclass(frozen=True, slots=True)
class StatementFile:
    """A statement file as the parsers read it (in a worker): what the preview starts from."""

    name: str
    sha256: str
    statements: tuple[Statement, ...]
    mapping: dict[str, object] | None = None  # the CSV mapping it was read with
    notes: tuple[str, ...] = ()
    data: bytes = field(default=b"", repr=False)  # the file's bytes, for the CSV mapping step

    @property
    def closing(self) -> tuple[Decimal, dt.date | None] | None:
        """The last statement's closing balance, when the file states one."""
        closings = [s.closing for s in self.statements if s.closing is not None]
        return (closings[-1].amount, closings[-1].on) if closings else None


@dataclass(frozen=True, slots=True)
class PreviewRow:
    """One row of the file and what the import would do with it."""

    line: int
    status: str
    booking_date: dt.date | None
    payee: str
    amount: int | None  # minor units, signed from the holder's side (+ came in)
    category_id: str = ""  # the proposed counter-account ("" = Uncategorised)
    detail: str = ""  # why a row is skipped, the match it may be, the parse error


@dataclass(frozen=True, slots=True)
class ImportPreview:
    """The rows of one file against one account, and the account's balance before it."""

    account_id: str
    account_name: str
    currency: str
    balance: int  # natural-signed minor units, as the register shows it
    liability: bool  # money in lowers a liability's natural balance
    rows: tuple[PreviewRow, ...]
    matches: Mapping[int, str] = field(default_factory=dict)  # line -> entry id to link
    problem: str = ""  # the books refuse the import (one line): nothing can be imported

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    def sentence(self, link: bool = True) -> str:
        """What Import would do, in one sentence."""
        if self.problem:
            return f"Nothing can be imported: {self.problem}"
        matches = self.count(MATCH)
        new = self.count(NEW) + (0 if link else matches)
        parts = [f"Import {new} new entr{'y' if new == 1 else 'ies'} into {self.account_name}"]
        if matches and link:
            parts.append(f"link {_n(matches, 'possible match', 'possible matches')} to review")
        elif matches:
            parts.append(f"{matches} of them possible match{'es' if matches > 1 else ''} to review")
        for status, one, many in (
            (DUPLICATE_ROW, "duplicate", "duplicates"),
            (SKIPPED, "pending or zero row", "pending or zero rows"),
            (ERROR, "row that does not parse", "rows that do not parse"),
        ):
            if self.count(status):
                parts.append(f"skip {_n(self.count(status), one, many)}")
        return "; ".join(parts) + "."


def _n(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


class StatementPreviewer:
    """Dry runs and commands of Import Statement over one open book (GUI thread only)."""

    def __init__(self, book: Book) -> None:
        self._book = book

    def preview(
        self, file: StatementFile, account_id: str, categories: Mapping[int, str] | None = None
    ) -> ImportPreview:
        """What importing ``file`` into the account would do now; nothing is written."""
        service = self._book.service
        account = service.account(account_id)
        sign = account.account_type.sign
        liability = account.account_type is AccountType.LIABILITY
        make = functools.partial(
            ImportPreview, account_id, account.name, account.currency,
            sign * account.balance, liability,
        )  # fmt: skip
        proposed = dict(self.proposals(file, account_id))
        proposed.update(categories or {})
        errors = tuple(
            PreviewRow(e.line, ERROR, None, "", None, detail=e.message)
            for s in file.statements
            for e in s.errors
        )
        try:
            command = self.command(file, account_id, proposed)
            decided = service.preview(command)
        except DomainError as exc:
            rows = self._rows(file, account.currency, {}, {}, None, proposed)
            return make(rows + errors, problem=exc.message)
        header = decided[0]
        assert isinstance(header, StatementImported)
        found = possible_matches(self._book, account_id, decided)
        described = {
            m.line: f"{m.entry.booking_date} “{m.entry.payee}”"
            for m in reversed(found)  # the closest one (first) wins
        }
        skipped = {s.line: (s.kind, s.reason) for s in header.skipped}
        new = {r.line for r in header.rows}
        rows = self._rows(file, account.currency, skipped, described, new, proposed)
        return make(rows + errors, matches=chosen(found))

    def command(
        self,
        file: StatementFile,
        account_id: str,
        categories: Mapping[int, str],
        matches: Mapping[int, str] | None = None,
    ) -> ImportStatement:
        """The one command importing ``file`` (its rows that parsed) into the account."""
        return import_command(
            file.statements, account_id=account_id, file_name=file.name, sha256=file.sha256,
            categories={k: v for k, v in categories.items() if v}, matches=matches,
        )  # fmt: skip

    def proposals(self, file: StatementFile, account_id: str) -> dict[int, str]:
        """Line -> the counter-account the account's earlier entries with that payee used
        (the latest one that went to one account)."""
        payees = {_key(r.payee) for s in file.statements for r in s.rows if r.payee.strip()}
        if not payees:
            return {}
        chart = self._book.service.chart()
        models = self._book.read_models
        learned: dict[str, str] = {}
        count = models.register_count(account_id)
        for offset in range(0, count, 5000):
            for row in models.register(account_id, offset=offset, limit=5000):
                key = _key(row.payee)
                if key in payees and not row.is_void and row.voided_by is None:
                    other = chart.id_for(row.other_accounts)
                    if other is not None:
                        learned[key] = other
        return {
            r.line: learned[_key(r.payee)]
            for s in file.statements
            for r in s.rows
            if _key(r.payee) in learned
        }

    @staticmethod
    def _rows(
        file: StatementFile,
        currency: str,
        skipped: Mapping[int, tuple[str, str]],
        matches: Mapping[int, str],
        new: Collection[int] | None,  # None: the books refused, no row's fate is known
        categories: Mapping[int, str],
    ) -> tuple[PreviewRow, ...]:
        rows: list[PreviewRow] = []
        for statement in file.statements:
            for row in statement.rows:
                try:
                    minor: int | None = Money.of(row.amount, currency).minor
                except (DomainError, ValueError):
                    minor = None
                status, detail = NEW, ""
                if row.line in skipped:
                    kind, detail = skipped[row.line]
                    status = DUPLICATE_ROW if kind == DUPLICATE else SKIPPED
                elif row.line in matches:
                    status, detail = MATCH, matches[row.line]
                elif new is not None and row.line not in new:
                    status = SKIPPED
                text = row.payee or row.memo
                rows.append(
                    PreviewRow(
                        row.line,
                        status,
                        row.booking_date,
                        text,
                        minor,
                        categories.get(row.line, ""),
                        detail,
                    )
                )
        rows.sort(key=lambda r: (r.booking_date or dt.date.max, r.line))
        return tuple(rows)


def _key(payee: str) -> str:
    return " ".join(payee.split()).casefold()


def rows_of(preview: ImportPreview, statuses: Sequence[str]) -> list[PreviewRow]:
    """The preview's rows of those statuses."""
    return [row for row in preview.rows if row.status in statuses]
