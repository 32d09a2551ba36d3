"""From parsed statements to the one :class:`ImportStatement` that imports them.

A file may hold several statements (an MT940 file with a statement per day, a CAMT.053 with
several ``Stmt``): their rows are imported together, as one change. The balances kept are the
first statement's opening and the last one's closing balance.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence

from domain.model.commands import ImportStatement, StatementBalanceLine, StatementLine
from domain.model.errors import CurrencyMismatch
from domain.model.statements import Balance, Statement


def sha256_of(data: bytes) -> str:
    """The hex SHA-256 of a file's bytes, as the import records it."""
    return hashlib.sha256(data).hexdigest()


def import_command(
    statements: Sequence[Statement],
    *,
    account_id: str,
    file_name: str,
    sha256: str,
    categories: Mapping[int, str] | None = None,
    matches: Mapping[int, str] | None = None,
) -> ImportStatement:
    """The command importing every row of ``statements`` into ``account_id``; ``categories``
    maps a row's line to its counter-account's id (the others go to Uncategorised),
    ``matches`` to the id of an entry already in the books that the row is (linked, not
    posted)."""
    chosen = categories or {}
    linked = matches or {}
    currencies = sorted({s.currency for s in statements if s.currency})
    if len(currencies) > 1:
        raise CurrencyMismatch(
            f"the file mixes currencies ({', '.join(currencies)}); an import goes into one "
            "account, of one currency"
        )
    rows = tuple(
        StatementLine(
            line=row.line,
            booking_date=row.booking_date,
            amount=row.amount,
            payee=row.payee,
            memo=row.memo,
            bank_id=row.bank_id or "",
            raw=row.raw,
            pending=row.pending,
            category_id=chosen.get(row.line, ""),
            match_entry_id=linked.get(row.line, ""),
        )
        for statement in statements
        for row in statement.rows
    )
    openings = [s.opening for s in statements if s.opening is not None]
    closings = [s.closing for s in statements if s.closing is not None]
    balances = tuple(
        _line(kind, balance)
        for kind, balance in (
            ("opening", openings[0] if openings else None),
            ("closing", closings[-1] if closings else None),
        )
        if balance is not None
    )
    return ImportStatement(
        account_id=account_id,
        file_name=file_name,
        sha256=sha256,
        format=statements[0].format if statements else "",
        rows=rows,
        currency=currencies[0] if currencies else "",
        balances=balances,
    )


def _line(kind: str, balance: Balance) -> StatementBalanceLine:
    return StatementBalanceLine(kind=kind, amount=balance.amount, on=balance.on)
