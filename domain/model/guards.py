"""Input guards every command's fields go through: ids, dates and free text.

The limits are the books' own, so every front end (the app's dialogs, the command line) gets
the same refusals: an id is 1 to MAX_ID printable characters; a name at most MAX_NAME, stored
in NFC and free of invisible format characters; a payee, memo or reason at most MAX_TEXT. No
text holds a control character (a memo may span lines) or a lone surrogate, which no file,
terminal or index could keep.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

from domain.model.errors import InvalidCommand

MAX_ID = 128
"""The longest id (command, account, entry) a command may give, in characters."""
MAX_NAME = 100
"""The longest account name, in characters (after trimming)."""
MAX_TEXT = 500
"""The longest payee, memo or reason, in characters (after trimming)."""


def require_id(value: object, field: str) -> str:
    """An id: 1 to MAX_ID printable characters, no space (so no control or format character,
    no lone surrogate: what no file, terminal or index could keep)."""
    if not isinstance(value, str) or not value:
        raise InvalidCommand(f"{field} must be a non-empty id without spaces, got {value!r}")
    if len(value) > MAX_ID:
        raise InvalidCommand(f"{field} is {len(value)} characters long; an id's limit is {MAX_ID}")
    if " " in value or not value.isprintable():
        at, c = next((at, c) for at, c in enumerate(value, 1) if c == " " or not c.isprintable())
        raise InvalidCommand(
            f"{field} must be a non-empty id without spaces or invisible characters; {value!r} has "
            f"{_kind(c)} at character {at}"
        )
    return value


def require_date(value: object, field: str) -> dt.date:
    """Booking dates are calendar dates: a datetime (with a time of day) is refused."""
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise InvalidCommand(f"{field} must be a date (not a time), got {value!r}")
    return value


def clean_text(
    value: object, field: str, max_len: int, *, required: bool = False, name: bool = False
) -> str:
    """Trim a text; refuse non-text, overlong text, lone surrogates and control characters
    (a memo may hold newlines and tabs). A ``name`` is composed to NFC (the form it is stored
    and compared in) and may hold no format character either (zero-width, bidi controls)."""
    if not isinstance(value, str):
        raise InvalidCommand(f"{field} must be text, got {value!r}")
    text = value.strip()
    if len(text) > max_len:  # before anything walks the text: it may be megabytes
        raise InvalidCommand(f"{field} is {len(text)} characters long; the limit is {max_len}")
    if name:
        text = unicodedata.normalize("NFC", text)
    if required and not any(
        unicodedata.category(c)[0] not in "CZ" for c in text
    ):  # a zero-width space alone is no name a person could see or tell apart
        raise InvalidCommand(f"{field} must not be empty or invisible")
    if text.isprintable():  # no control, format or surrogate character: done
        return text
    one_line = field != "memo"  # a memo may span lines; names and payees may not
    for at, c in enumerate(text, 1):
        kind = unicodedata.category(c)
        if (
            kind == "Cs"
            or (kind in ("Cc", "Zl", "Zp") and (one_line or c not in "\n\t"))
            or (name and kind == "Cf")
        ):
            what = {"Cf": "a character no name may hold", "Cs": "a character no text may hold"}
            raise InvalidCommand(
                f"{field} {text[:40]!r} contains {what.get(kind, 'control characters')}: "
                f"{_kind(c)} at character {at}"
            )
    return text


_KINDS = {
    "Cc": "a control character",
    "Cs": "a lone surrogate",
    "Cf": "an invisible format character",
    "Zl": "a line separator",
    "Zp": "a paragraph separator",
    "Zs": "a space",
    "Co": "a private-use character",
    "Cn": "an unassigned code point",
}


def _kind(c: str) -> str:
    """A character no id (or name) may hold, as a message names it: "a space (U+0020)"."""
    return f"{_KINDS.get(unicodedata.category(c), 'a character')} (U+{ord(c):04X})"


def name_problem(name: str) -> str:
    """What is wrong with ``name`` as an account name, as a sentence ("" if nothing): for a
    form to say before its command is sent."""
    try:
        clean_text(name, "account name", MAX_NAME, required=True, name=True)
    except InvalidCommand as exc:
        return f"{exc.message[0].upper()}{exc.message[1:]}."
    return ""
