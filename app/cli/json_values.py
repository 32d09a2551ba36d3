"""JSON values -> command field values, strictly: decimal-string amounts (a JSON number is
refused: floats are never money; a string that is no decimal is an InvalidAmount, like any
other bad amount), ``YYYY-MM-DD`` dates, true/false flags, enum values.

Each converter takes the value and the key it came under (named in the message when the
value is refused with InvalidCommand).
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import re
from collections.abc import Callable
from decimal import Decimal

from domain.model.errors import InvalidAmount, InvalidCommand

_AMOUNT = re.compile(r"-?[0-9]+(\.[0-9]+)?")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def shown(value: object, limit: int = 60) -> str:
    """A JSON value as a message quotes it: as JSON, cut short (a line may be megabytes)."""
    try:
        dumped = json.dumps(value)
    except RecursionError:  # nested deeper than the encoder goes
        dumped = f"a {type(value).__name__} nested too deeply"
    return dumped if len(dumped) <= limit else f"{dumped[: limit - 1]}…"


def text(value: object, field: str) -> str:
    if not isinstance(value, str):
        raise InvalidCommand(f"{field} must be a string, got {shown(value)}")
    return value


def amount(value: object, field: str) -> Decimal:
    if isinstance(value, int | float) and not isinstance(value, bool):
        quoted = f'("{value}")' if len(repr(value)) <= 40 else "in quotes"
        raise InvalidCommand(
            f"{field} {shown(value, 40)} is a JSON number; write amounts as decimal strings "
            f"{quoted}: floats are never money"
        )
    if not isinstance(value, str):
        raise InvalidCommand(
            f'{field} must be a decimal string like "12.34" or "-5", got {shown(value)}'
        )
    if not _AMOUNT.fullmatch(value):  # a string, but no amount: the rule amounts break
        raise InvalidAmount(
            f'{field} must be a decimal string like "12.34" or "-5" (digits, an optional '
            f"leading - and fraction), got {shown(value)}"
        )
    return Decimal(value)


def date(value: object, field: str) -> dt.date:
    if isinstance(value, str) and _DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise InvalidCommand(f"{field} must be a date YYYY-MM-DD, got {shown(value)}")


def whole(value: object, field: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidCommand(f"{field} must be a whole number, got {shown(value)}")
    return value


def flag(value: object, field: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidCommand(f"{field} must be true or false, got {shown(value)}")
    return value


def choice(enum_type: type[enum.Enum]) -> Callable[[object, str], enum.Enum]:
    """A converter to a member of ``enum_type``, given by its value."""
    members = {member.value: member for member in enum_type}
    kinds = ", ".join(str(v) for v in members)

    def convert(value: object, field: str) -> enum.Enum:
        # a JSON value of another type (a list, an object) is no member: not hashed
        member = members.get(value) if isinstance(value, str | int) else None
        if member is None or isinstance(value, bool):
            raise InvalidCommand(f"{field} must be one of {kinds}, got {shown(value)}")
        return member

    return convert


SCALARS: dict[object, Callable[[object, str], object]] = {
    str: text,
    Decimal: amount,
    dt.date: date,
    bool: flag,
    int: whole,
}
"""The converter of each plain field type."""
