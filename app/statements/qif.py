"""QIF (Quicken Interchange Format): bank, credit-card, cash and other-asset sections.

``!Account`` records (N name, T type, B balance) switch the account the following transactions
belong to, one statement per account; without any, the file is one statement. A transaction is
the lines up to ``^``: D date, T (or U) amount, P payee, M memo, L category, S/E/$ splits. A
split transaction keeps its total on the row and lists its splits in the memo. Dates are read
with one format for the whole file (month-first unless a day over 12 says otherwise);
investment, category, class and security lists are skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.statements.amounts import AmountError, detect_separators, parse_amount
from app.statements.dates import DateError, DateFormat, detect_date_format, parse_date
from app.statements.errors import StatementFileError
from app.statements.text import decode
from domain.model.statements import Balance, RowError, Statement, StatementRow

_MONEY = {"bank", "ccard", "cash", "oth a", "oth l"}
_KINDS = {
    "bank": "bank",
    "ccard": "credit-card",
    "cash": "cash",
    "oth a": "asset",
    "oth l": "liability",
}
_TYPE = re.compile(r"^!Type:\s*(.+)$", re.I)


@dataclass
class _Record:
    line: int
    fields: list[tuple[str, str]] = field(default_factory=list)
    raw: list[str] = field(default_factory=list)

    def get(self, code: str) -> str:
        return next((value for c, value in self.fields if c == code), "")


@dataclass
class _Account:
    name: str | None
    kind: str = ""
    balance: str = ""
    records: list[_Record] = field(default_factory=list)


def _qif_date(text: str) -> str:
    return text.strip().replace("'", "/").replace(" ", "")


def _records(text: str) -> tuple[list[_Account], int]:
    """The accounts with their transaction records, and how many other records were skipped."""
    accounts: dict[str | None, _Account] = {None: _Account(None)}  # in the order first named
    current = accounts[None]
    section, autoswitch, skipped = "", False, 0
    record: _Record | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or (stripped.startswith("#") and record is None):
            continue
        if stripped.startswith("!"):
            if record is not None and record.fields:
                raise StatementFileError(f"line {record.line}: the record has no closing ^")
            record = None
            lower = stripped.lower()
            if lower.startswith("!option:autoswitch"):
                autoswitch = True
            elif lower.startswith("!clear:autoswitch"):
                autoswitch = False
            elif lower.startswith("!account"):
                section = "account"
            elif match := _TYPE.match(stripped):
                section = match.group(1).strip().lower()
                if section in _MONEY:
                    current.kind = current.kind or section
            continue
        if record is None:
            record = _Record(number)
        code, value = stripped[0], stripped[1:]
        if code != "^":
            record.fields.append((code, value))
            record.raw.append(line)
            continue
        record.raw.append(line)
        if section == "account" and not autoswitch:
            name = record.get("N")
            found = accounts.get(name)
            if found is None:
                found = _Account(name, record.get("T").lower(), record.get("B"))
                accounts[name] = found
            current = found
        elif section in _MONEY and record.fields:
            current.records.append(record)
        elif record.fields and section != "account":
            skipped += 1
        record = None
    if record is not None and record.fields:
        raise StatementFileError(
            f"line {record.line}: the file ends inside a record (no closing ^): it is cut off"
        )
    return [a for a in accounts.values() if a.records or a.name is not None], skipped


def _splits(record: _Record) -> str:
    parts, current = [], ""
    for code, value in record.fields:
        if code == "S":
            current = value.strip()
        elif code == "E":
            current = f"{current} ({value.strip()})" if value.strip() else current
        elif code == "$":
            parts.append(f"{current} {value.strip()}".strip())
            current = ""
    return "; ".join(parts)


def _row(record: _Record, fmt: DateFormat, marks: tuple[str, str]) -> StatementRow:
    amount_text = record.get("T") or record.get("U")
    if not amount_text:
        raise ValueError("no amount (T)")
    amount = parse_amount(amount_text, *marks)
    if not record.get("D"):
        raise ValueError("no date (D)")
    booked = parse_date(_qif_date(record.get("D")), fmt)
    memo = record.get("M").strip()
    splits = _splits(record)
    if splits:
        memo = f"{memo} [split: {splits}]".strip()
    return StatementRow(
        line=record.line,
        booking_date=booked,
        amount=amount,
        payee=record.get("P").strip(),
        memo=memo,
        raw="\n".join(record.raw),
    )


def parse_qif(data: bytes) -> list[Statement]:
    """One statement per QIF account (or one for a file without ``!Account``)."""
    text, _ = decode(data)
    if not re.search(r"^\s*!(?:Type|Account)", text, re.I | re.M):
        raise StatementFileError("not a statement: no QIF !Type or !Account header")
    accounts, skipped = _records(text)
    records = [r for a in accounts for r in a.records]
    if not records and not any(a.balance for a in accounts):
        raise StatementFileError(
            "not a statement: the QIF file has no bank, card or cash transactions"
        )
    dates = [_qif_date(r.get("D")) for r in records if r.get("D")]
    fmt, tied = detect_date_format(dates)
    fmt = fmt or DateFormat("MDY", "/", 4)
    marks = detect_separators(r.get("T") or r.get("U") for r in records)
    notes = [
        f"QIF dates read as {fmt.name}" + (" (no day over 12: month-first assumed)" if tied else "")
    ]
    if skipped:
        noun = "record" if skipped == 1 else "records"
        notes.append(f"{skipped} non-transaction {noun} skipped (investments, lists)")
    statements = []
    for account in accounts:
        rows, errors = [], []
        for record in account.records:
            try:
                rows.append(_row(record, fmt, marks))
            except (ValueError, AmountError, DateError) as error:
                errors.append(RowError(record.line, f"line {record.line}: {error}"))
        closing = None
        if account.balance:
            try:
                closing = Balance(parse_amount(account.balance, *marks))
            except AmountError as error:
                notes.append(f"account {account.name!r}: balance {error}")
        kind = _KINDS.get(account.kind or "bank", account.kind)
        statements.append(
            Statement(
                format="qif",
                rows=tuple(rows),
                errors=tuple(errors),
                account_hint=account.name,
                closing=closing,
                notes=(f"QIF {kind} account", *notes),
            )
        )
    return statements
