"""What the CLI writes: JSON lines on stdout, and one line on stderr for a usage problem."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from typing import IO, Any

from domain.model.errors import DomainError

PROG = "tallybook-cli"


def emit(out: IO[str], obj: dict[str, Any]) -> None:
    """Write one JSON line and flush it (a reader on a pipe sees it at once)."""
    emit_all(out, [obj])


def emit_all(out: IO[str], objs: Iterable[dict[str, Any]]) -> None:
    """Write JSON lines in one write, then flush (a group's answers, after its commit)."""
    out.write("".join(_json_line(obj) for obj in objs))
    out.flush()


# made once: json.dumps with an argument builds an encoder for every answer
_ENCODE = json.JSONEncoder(ensure_ascii=False).encode


def _json_line(obj: dict[str, Any]) -> str:
    line = _ENCODE(obj) + "\n"
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate quoted in a message: written escaped
        return json.dumps(obj) + "\n"
    return line


def error_json(exc: BaseException) -> dict[str, Any]:
    """A failure as the JSON fields ``ok``, ``error`` and ``error_type``."""
    message = exc.message if isinstance(exc, DomainError) else str(exc)
    return {"ok": False, "error": message, "error_type": type(exc).__name__}


def complain(message: str) -> None:
    """One line on stderr, prefixed with the program's name."""
    print(f"{PROG}: {message}", file=sys.stderr)
