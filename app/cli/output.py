"""What the CLI writes: JSON lines on stdout, and one line on stderr for a usage problem."""

from __future__ import annotations

import json
import sys
from typing import IO, Any

from domain.model.errors import DomainError

PROG = "tallybook-cli"


def emit(out: IO[str], obj: dict[str, Any]) -> None:
    """Write one JSON line and flush it (a reader on a pipe sees it at once)."""
    try:
        out.write(json.dumps(obj, ensure_ascii=False) + "\n")
    except UnicodeEncodeError:  # a lone surrogate quoted in a message, or a non-UTF-8 stdout
        out.write(json.dumps(obj) + "\n")  # (nothing was written: the line is encoded first)
    out.flush()


def error_json(exc: BaseException) -> dict[str, Any]:
    """A failure as the JSON fields ``ok``, ``error`` and ``error_type``."""
    message = exc.message if isinstance(exc, DomainError) else str(exc)
    return {"ok": False, "error": message, "error_type": type(exc).__name__}


def complain(message: str) -> None:
    """One line on stderr, prefixed with the program's name."""
    print(f"{PROG}: {message}", file=sys.stderr)
