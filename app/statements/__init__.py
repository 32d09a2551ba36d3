"""Bank statement files (CSV, OFX/QFX, CAMT.053, MT940, QIF) read into ``Statement`` values."""

from __future__ import annotations

from app.statements.csv_profile import CsvProfile
from app.statements.detect import detect_format
from app.statements.errors import StatementFileError
from app.statements.parse import detect_csv_profile, parse_statements

__all__ = [
    "CsvProfile",
    "StatementFileError",
    "detect_csv_profile",
    "detect_format",
    "parse_statements",
]
