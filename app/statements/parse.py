"""``parse_statements``: a statement file's bytes to the statements in it."""

from __future__ import annotations

from collections.abc import Callable

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
    statements = read_csv(text, profile)
    if not notes:
        return statements
    return [Statement(format=s.format, rows=s.rows, errors=s.errors, currency=s.currency,
                      account_hint=s.account_hint, opening=s.opening, closing=s.closing,
                      notes=s.notes + tuple(notes)) for s in statements]


def _parsers() -> dict[str, Callable[[bytes], list[Statement]]]:
    from app.statements.camt import parse_camt053
    from app.statements.ofx import parse_ofx

    return {"ofx": parse_ofx, "camt053": parse_camt053}


def parse_statements(data: bytes, *, file_name: str = "", format: str | None = None,
                     profile: CsvProfile | None = None) -> list[Statement]:
    """Every statement in ``data`` (one per account or statement the file holds).

    ``format`` forces a format (else it is detected from the content); ``profile`` forces a
    CSV mapping (else it is detected). Raises :class:`StatementFileError` (one line, naming the
    line or byte) for a file that is not a statement or is cut off; rows that do not parse are
    in each statement's ``errors``.
    """
    if len(data) > MAX_BYTES:
        raise StatementFileError(f"the file has {len(data)} bytes, more than a statement can "
                                 f"({MAX_BYTES})")
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
            raise StatementFileError("not a statement: an XML file that is neither OFX nor "
                                     "CAMT.053")
        chosen = found or "csv"
    if chosen == "csv":
        return _parse_csv(data, profile)
    return _parsers()[chosen](data)
