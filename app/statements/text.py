"""Bytes to text: BOMs, UTF-8, else the single-byte code page whose letters make sense."""

from __future__ import annotations

import codecs
import re

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
SINGLE_BYTE = ("cp1252", "cp852", "latin-1")
"""Tried in this order when the bytes are not UTF-8; latin-1 decodes anything."""


def decode(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """The text and the encoding it was read with (``encoding`` forces one)."""
    if encoding is not None:
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError) as error:
            raise_decode(encoding, error)
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(name), name
            except UnicodeDecodeError as error:
                raise_decode(name, error)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best: tuple[int, str, str] | None = None
    for name in SINGLE_BYTE:
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        score = _letter_score(text)
        if best is None or score > best[0]:
            best = (score, name, text)
    assert best is not None  # latin-1 decodes every byte
    return best[2], best[1]


def raise_decode(encoding: str, error: Exception) -> None:
    """Say which byte does not belong to ``encoding``."""
    from app.statements.errors import StatementFileError

    where = getattr(error, "start", None)
    at = f" at byte {where + 1}" if isinstance(where, int) else ""
    raise StatementFileError(f"the file is not {encoding} text{at}") from error


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _letter_score(text: str) -> int:
    """Non-ASCII characters that are letters next to a letter score; symbols cost."""
    score = 0
    for match in _NON_ASCII.finditer(text, 0, 1 << 20):  # the first MiB tells
        index, char = match.start(), match.group()
        before = text[index - 1] if index else " "
        after = text[index + 1] if index + 1 < len(text) else " "
        if char.isalpha() and (before.isalpha() or after.isalpha()):
            score += 1
        else:
            score -= 1
    return score


def has_binary(data: bytes) -> bool:
    """NUL bytes (outside UTF-16) mean this is no text file at all."""
    head = data[:4096]
    return b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
