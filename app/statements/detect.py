"""Which statement format a file's bytes are in, from its content (the name only breaks ties)."""

from __future__ import annotations

import re

FORMATS = ("csv", "ofx", "camt053", "mt940", "qif")
ALIASES = {
    "qfx": "ofx",
    "camt": "camt053",
    "camt.053": "camt053",
    "sta": "mt940",
    "mt940": "mt940",
    "940": "mt940",
}

_MT940 = re.compile(rb"^:20:", re.M)
_MT940_BODY = re.compile(rb"^:(?:60[FM]|61|62[FM]):", re.M)
_QIF = re.compile(rb"^\s*!(?:Type|Account|Option|Clear)", re.I | re.M)


def normalise_format(name: str) -> str:
    """A format name as the parsers know it (``qfx`` → ``ofx``...)."""
    lower = name.strip().lower().lstrip(".")
    lower = ALIASES.get(lower, lower)
    if lower not in FORMATS:
        raise ValueError(f"unknown statement format {name!r} (known: {', '.join(FORMATS)})")
    return lower


def detect_format(data: bytes, file_name: str = "") -> str | None:
    """The format the content shows, else the one the file name's extension names, else None.

    ``"xml"`` means XML that is neither OFX nor CAMT.053 (no parser reads it)."""
    head = data[:65536].lstrip(b"\xef\xbb\xbf\x01 \t\r\n")
    upper = head[:4096].upper()
    if upper.startswith(b"OFXHEADER") or b"<OFX>" in upper or b"<OFX " in upper:
        return "ofx"
    if b"BKTOCSTMRSTMT" in head.upper() or b"camt.053" in head.lower():
        return "camt053"
    if upper.startswith(b"<?XML") or upper.startswith(b"<"):
        return "xml"
    if head.startswith(b"{1:") or (_MT940.search(head) and _MT940_BODY.search(head)):
        return "mt940"
    if _QIF.match(_skip_comments(head)):
        return "qif"
    suffix = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    if suffix in ("csv", "txt", "tsv"):
        return "csv"
    try:
        return normalise_format(suffix) if suffix else None
    except ValueError:
        return None


def _skip_comments(head: bytes) -> bytes:
    """QIF files from some tools start with ``#`` comment lines."""
    lines = head.splitlines(keepends=True)
    index = 0
    while index < len(lines) and (not lines[index].strip() or lines[index].startswith(b"#")):
        index += 1
    return b"".join(lines[index : index + 1])
