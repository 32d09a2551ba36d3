"""``parse_statements``: a statement file's bytes to the statements in it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

from app.statements.csv_detect import detect_profile
from app.statements.csv_profile import CsvProfile
from app.statements.csv_read import read_csv
from app.statements.detect import detect_format, normalise_format
from app.statements.errors import StatementFileError
from app.statements.text import decode, has_binary
from domain.model.statements import Statement

MAX_BYTES = 200 * 1024 * 1024
"""Bigger files are refused before reading: no bank statement is this large."""


def _parse_csv(data: bytes, profile: CsvProfile | None) -> list[Statement]:
    text, encoding = decode(data, profile.encoding if profile is not None else None)
    notes: list[str] = []
    if profile is None:
        profile, notes = detect_profile(text, encoding)
    elif profile.encoding in ("utf-8", "utf-8-sig") and text.startswith("\ufeff"):
        text = text[1:]
    statements = read_csv(text, profile)
    if not notes:
        return statements
    return [replace(s, notes=s.notes + tuple(notes)) for s in statements]


def detect_csv_profile(data: bytes) -> tuple[CsvProfile, tuple[str, ...]]:
    """The mapping ``parse_statements`` would detect for this CSV, and its notes on guesses
    (to show, let the user change, and save as the account's import profile)."""
    if not data.strip():
        raise StatementFileError("the file is empty")
    if has_binary(data):
        raise StatementFileError("not a statement: the file holds binary data, not text")
    profile, notes = detect_profile(*decode(data))
    return profile, tuple(notes)


def _parsers() -> dict[str, Callable[[bytes], list[Statement]]]:
    from app.statements.camt import parse_camt053
    from app.statements.mt940 import parse_mt940
    from app.statements.ofx import parse_ofx
    from app.statements.qif import parse_qif

    return {"ofx": parse_ofx, "camt053": parse_camt053, "mt940": parse_mt940, "qif": parse_qif}


def parse_statements(
    data: bytes,
    *,
    file_name: str = "",
    format: str | None = None,
    profile: CsvProfile | None = None,
) -> list[Statement]:
    """Every statement in ``data`` (one per account or statement the file holds).

    ``format`` forces a format (else it is detected from the content); ``profile`` forces a
    CSV mapping (else it is detected). Raises :class:`StatementFileError` (one line, naming the
    line or byte) for a file that is not a statement or is cut off; rows that do not parse are
    in each statement's ``errors``.
    """
    if len(data) > MAX_BYTES:
        raise StatementFileError(
            f"the file has {len(data)} bytes, more than a statement can ({MAX_BYTES})"
        )
    if not data.strip():
        raise StatementFileError("the file is empty")
    if has_binary(data):
        raise StatementFileError("not a statement: the file holds binary data, not text")
    try:
        chosen = normalise_format(format) if format else None
    except ValueError as error:
        raise StatementFileError(str(error)) from None
    if chosen is None and profile is not None:
        chosen = "csv"
    if chosen is None:
        found = detect_format(data, file_name)
        if found == "xml":
            raise StatementFileError(
                "not a statement: an XML file that is neither OFX nor CAMT.053"
            )
        chosen = found or "csv"
    statements = _parse_csv(data, profile) if chosen == "csv" else _parsers()[chosen](data)
    return [_check_balances(_repeated_ids(s)) for s in statements]


def _repeated_ids(statement: Statement) -> Statement:
    """Say which bank ids come more than once (OFX says it itself, naming them FITIDs)."""
    if statement.format == "ofx":
        return statement
    counts = Counter(row.bank_id for row in statement.rows if row.bank_id)
    repeated = [f"{bank_id} ({n} times)" for bank_id, n in counts.items() if n > 1]
    if not repeated:
        return statement
    note = "bank ids repeated within this statement: " + ", ".join(repeated[:10])
    more = f" and {len(repeated) - 10} more" if len(repeated) > 10 else ""
    return replace(statement, notes=(*statement.notes, note + more))


def _check_balances(statement: Statement) -> Statement:
    """Say so when a statement's own balances do not add up: reported, never 'fixed'."""
    if statement.opening is None or statement.closing is None:
        return statement
    booked = sum((r.amount for r in statement.rows if not r.pending), Decimal(0))
    moved = statement.closing.amount - statement.opening.amount
    if booked == moved and not statement.errors:
        return statement
    if booked == moved:
        note = "closing - opening equals the rows read; rows with errors would change that"
    else:
        note = (
            f"the statement does not add up: closing - opening = {moved}, its booked rows "
            f"sum to {booked} (difference {moved - booked})"
        )
    return replace(statement, notes=(*statement.notes, note))
