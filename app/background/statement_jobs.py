"""Reading a statement file in a worker: the bytes, then the parsers (``app.statements``).

The result is a :class:`StatementFile` (plain values: it crosses to the GUI thread), or None
when the user cancelled. A file the parsers refuse fails the job with their one line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.background.jobs import command_job
from app.background.runner import Job, Progress
from app.composition import Book
from app.import_preview import ImportPreview, StatementFile, StatementPreviewer
from app.statements import CsvProfile, detect_csv_profile, detect_format, parse_statements
from domain.model.commands import ImportStatement
from domain.model.import_command import sha256_of

_CHUNK = 1 << 20


def read_statement_job(path: Path, profile: dict[str, Any] | None = None) -> Job:
    """Read and parse ``path`` (a CSV with ``profile``, if given, else its detected mapping)."""

    def run(progress: Progress) -> StatementFile | None:
        size = max(path.stat().st_size, 1)
        total = size * 2  # reading is the first half, parsing the second
        chunks: list[bytes] = []
        with path.open("rb") as source:
            while chunk := source.read(_CHUNK):
                chunks.append(chunk)
                if progress(sum(map(len, chunks)), total) is False:
                    return None
        data = b"".join(chunks)
        file = read_statement(data, path.name, profile)
        return file if progress(total, total) is not False else None

    return run


def reparse_job(file: StatementFile, profile: dict[str, Any]) -> Job:
    """Read a file's bytes again by another CSV mapping (None if cancelled)."""

    def run(progress: Progress) -> StatementFile | None:
        again = read_statement(file.data, file.name, profile)
        return again if progress(1, 1) is not False else None

    return run


def read_statement(data: bytes, name: str, profile: dict[str, Any] | None) -> StatementFile:
    """The statements of a file's bytes: a CSV by ``profile`` (else the detected mapping),
    every other format as it says. Raises ``StatementFileError`` (a ValueError)."""
    found = detect_format(data, name)
    csv = found in ("csv", None)
    chosen = None
    if csv:
        chosen = CsvProfile.from_json(profile) if profile else detect_csv_profile(data)[0]
    statements = parse_statements(data, file_name=name, profile=chosen)
    mapping = chosen.to_json() if chosen is not None else None
    notes = tuple(note for s in statements for note in s.notes)
    return StatementFile(name, sha256_of(data), tuple(statements), mapping, notes, data)


def import_job(path: Path | str, command: ImportStatement, author: str | None = None) -> Job:
    """Run a big Import Statement in a worker (:func:`jobs.command_job`), as ``author``."""
    return command_job(path, command, author)


def preview_job(path: Path | str, file: StatementFile, account_id: str) -> Job:
    """The dry run of a big file's import, on the book's own read-only connection (None if
    cancelled)."""

    def run(progress: Progress) -> ImportPreview | None:
        progress(0, 1)
        with Book.open(path, readonly=True) as book:
            preview = StatementPreviewer(book).preview(file, account_id)
        return preview if progress(1, 1) is not False else None

    return run
