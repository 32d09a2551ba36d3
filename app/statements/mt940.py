"""SWIFT MT940 customer statements, several per file, any bank's flavour.

``:20:`` starts a statement, ``:25:`` is its account, ``:60F:``/``:60M:`` its opening and
``:62F:``/``:62M:`` its closing balance, each ``:61:`` a row with its ``:86:`` text. ``RC``
(reversal of a credit) is negative and ``RD`` (reversal of a debit) positive, as SWIFT defines
them; ``CR``/``DR`` are C/D followed by a funds code. Bank header lines, SWIFT blocks
(``{1:...}{4:``) and SOH/ETX framing are skipped. A statement without its closing balance means
the file is cut off.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from app.statements.amounts import AmountError, parse_amount
from app.statements.errors import StatementFileError
from app.statements.text import decode
from domain.model.statements import Balance, RowError, Statement, StatementRow

_TAG = re.compile(r"^:(\d{2}[A-Z]?):(.*)$")
_BLOCKS = re.compile(r"\{[1-35]:[^{}]*(?:\{[^{}]*\}[^{}]*)*\}|\{4:|-\}|[\x01\x03]")
_LINE61 = re.compile(
    r"^(\d{6})(\d{4})?(RC|RD|EC|ED|C|D)([A-Z])?(\d[\d,]*)([A-Z])([A-Z0-9]{3})"
    r"(.*)$"
)
_BALANCE = re.compile(r"^([CD])(\d{6})([A-Z]{3})(\d[\d,]*)$")
_SIGNS = {"C": 1, "D": -1, "RC": -1, "RD": 1, "EC": 1, "ED": -1}
_SUBFIELD = re.compile(r"\?(\d{2})")


def _yymmdd(text: str) -> date:
    year = int(text[:2])
    try:
        return date(2000 + year if year < 80 else 1900 + year, int(text[2:4]), int(text[4:6]))
    except ValueError:
        raise ValueError(f"{text!r} is no valid date (YYMMDD)") from None


def _amount(text: str) -> Decimal:
    if text.count(",") != 1:
        raise AmountError(f"{text!r} is not an MT940 amount (one decimal comma)")
    return parse_amount(text, ",", "")


@dataclass
class _Row:
    line: int
    text: str
    supplementary: str = ""
    info: list[str] = field(default_factory=list)


@dataclass
class _Stmt:
    line: int
    reference: str
    account: str | None = None
    currency: str | None = None
    opening: Balance | None = None
    closing: Balance | None = None
    rows: list[_Row] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    interim: bool = False
    """Seen MT942's tags (:34F: floor limit, :13D: date-time)."""


def _balance(value: str, line: int, tag: str) -> tuple[Balance, str]:
    match = _BALANCE.match(value.strip())
    if not match:
        raise StatementFileError(f"line {line}: :{tag}: {value.strip()!r} is not a balance")
    mark, day, currency, amount = match.groups()
    try:
        signed = _amount(amount) * (-1 if mark == "D" else 1)
        return Balance(signed, _yymmdd(day)), currency
    except (ValueError, AmountError) as error:
        raise StatementFileError(f"line {line}: :{tag}: {error}") from None


def _info(lines: list[str]) -> tuple[str, str]:
    """Payee and memo from ``:86:``: structured ``?20``..``?33`` subfields, else free text."""
    joined = "".join(lines)
    if not _SUBFIELD.search(joined):
        return "", " ".join(part.strip() for part in lines if part.strip())
    parts = _SUBFIELD.split(joined)
    fields: dict[str, str] = {}
    for code, value in zip(parts[1::2], parts[2::2], strict=True):
        fields[code] = fields.get(code, "") + value
    payee = (fields.get("32", "") + fields.get("33", "")).strip()
    memo = "".join(fields.get(f"{n}", "") for n in [*range(20, 30), *range(60, 64)]).strip()
    return payee, memo or fields.get("00", "").strip()


def _row(stmt: _Stmt, row: _Row) -> StatementRow | None:
    match = _LINE61.match(row.text.strip())
    if not match:
        stmt.errors.append(
            RowError(
                row.line,
                f"line {row.line}: {row.text.strip()!r} is not an MT940 transaction (:61:)",
            )
        )
        return None
    value_day, entry_day, mark, _, amount_text, _, _, rest = match.groups()
    try:
        value_date = _yymmdd(value_day)
        amount = _amount(amount_text) * _SIGNS[mark]
        booked = value_date
        if entry_day:
            booked = date(value_date.year, int(entry_day[:2]), int(entry_day[2:]))
            if (booked - value_date).days > 180:
                booked = booked.replace(year=booked.year - 1)
            elif (value_date - booked).days > 180:
                booked = booked.replace(year=booked.year + 1)
    except (ValueError, AmountError) as error:
        stmt.errors.append(RowError(row.line, f"line {row.line}: {error}"))
        return None
    bank_ref = rest.split("//", 1)[1].strip() if "//" in rest else ""
    payee, memo = _info(row.info)
    if row.supplementary.strip():
        memo = f"{row.supplementary.strip()}: {memo}".rstrip(": ")
    if mark in ("RC", "RD"):
        memo = f"reversal: {memo}".rstrip(": ")
    raw = "\n".join(
        [
            ":61:" + row.text,
            *([row.supplementary] if row.supplementary else []),
            *([":86:" + "\n".join(row.info)] if row.info else []),
        ]
    )
    return StatementRow(
        line=row.line,
        booking_date=booked,
        amount=amount,
        payee=payee,
        memo=memo,
        bank_id=bank_ref or None,
        raw=raw,
    )


def _finish(stmt: _Stmt) -> Statement:
    if stmt.closing is None and stmt.opening is None and stmt.interim:
        raise StatementFileError(
            f"line {stmt.line}: not a statement: an MT942 interim report (:34F:/:13D:, no "
            ":60F:/:62F: balances); import the day's MT940 instead"
        )
    if stmt.closing is None:
        raise StatementFileError(
            f"line {stmt.line}: statement {stmt.reference!r} ends without its "
            "closing balance (:62F:): the file is cut off"
        )
    rows = [r for r in (_row(stmt, row) for row in stmt.rows) if r is not None]
    return Statement(
        format="mt940",
        rows=tuple(rows),
        errors=tuple(stmt.errors),
        currency=stmt.currency,
        account_hint=stmt.account,
        opening=stmt.opening,
        closing=stmt.closing,
        notes=(f"MT940 statement {stmt.reference!r}",),
    )


def parse_mt940(data: bytes) -> list[Statement]:
    """Every statement (``:20:`` ... ``:62F:``) in an MT940 file."""
    text, encoding = decode(data)
    statements: list[Statement] = []
    stmt: _Stmt | None = None
    last = ""
    for number, raw_line in enumerate(text.splitlines(), start=1):
        line = _BLOCKS.sub("", raw_line).rstrip()
        match = _TAG.match(line)
        if match is None:
            if line.startswith("-"):
                last = ""
            elif stmt is not None and last == "61" and stmt.rows and not stmt.rows[-1].info:
                stmt.rows[-1].supplementary = line
            elif stmt is not None and last == "86" and stmt.rows:
                stmt.rows[-1].info.append(line)
            continue
        tag, value = match.groups()
        if tag == "20":
            if stmt is not None:
                statements.append(_finish(stmt))
            stmt = _Stmt(number, value.strip())
        elif stmt is None:
            raise StatementFileError(f"line {number}: :{tag}: before any :20: statement start")
        elif tag == "25":
            stmt.account = value.strip()
        elif tag in ("60F", "60M"):
            balance, stmt.currency = _balance(value, number, tag)
            stmt.opening = stmt.opening or balance
        elif tag in ("62F", "62M"):
            stmt.closing, _ = _balance(value, number, tag)
        elif tag == "61":
            stmt.rows.append(_Row(number, value))
        elif tag in ("34F", "13D", "13"):
            stmt.interim = True
        elif tag == "86" and last == "61" and stmt.rows:
            stmt.rows[-1].info.append(value)
        last = tag if tag != "86" or last == "61" else "86s"
    if stmt is None:
        raise StatementFileError("not a statement: no MT940 :20: line")
    statements.append(_finish(stmt))
    if encoding not in ("utf-8", "utf-8-sig"):
        statements = [replace(s, notes=(*s.notes, f"read as {encoding}")) for s in statements]
    return statements
