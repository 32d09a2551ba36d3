"""OFX/QFX 1.x (SGML, closing tags optional) and 2.x (XML) bank and credit-card statements.

A tag/value scanner rather than a tree parser: SGML leaves elements unclosed and some
generators add closing tags that nest nonsensically, but the sequence of tags and values is
always readable. Each ``STMTRS``/``CCSTMTRS`` is one statement: ``CURDEF`` its currency,
``ACCTID`` its account, each ``STMTTRN`` a row (``FITID`` its bank id, ``STMTTRNP`` pending),
``LEDGERBAL`` its closing balance. OFX has no opening balance.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from app.statements.amounts import AmountError, parse_amount
from app.statements.errors import StatementFileError
from app.statements.text import decode
from domain.model.statements import Balance, RowError, Statement, StatementRow

_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9._]*)(?:\s[^>]*)?>([^<]*)")
_STATEMENTS = {"STMTRS", "CCSTMTRS"}
_ROWS = {"STMTTRN", "STMTTRNP"}
_BALANCES = {"LEDGERBAL", "AVAILBAL"}


@dataclass
class _Open:
    line: int
    kind: str
    currency: str | None = None
    account: str | None = None
    rows: list[StatementRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    closing: Balance | None = None


def ofx_amount(text: str) -> Decimal:
    """An OFX amount: a decimal point, or a decimal comma (the spec allows both), no grouping."""
    return parse_amount(text, "," if "," in text and "." not in text else ".", "")


def ofx_date(text: str) -> date:
    """``YYYYMMDD[HHMMSS[.XXX]][[-5:EST]]``: the date part."""
    match = re.match(r"^(\d{4})(\d{2})(\d{2})", text.strip())
    if not match:
        raise ValueError(f"{text.strip()!r} is not an OFX date")
    try:
        return date(*map(int, match.groups()))
    except ValueError:
        raise ValueError(f"{text.strip()!r} is no valid date") from None


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.statements: list[Statement] = []
        self.current: _Open | None = None
        self.row: dict[str, str] | None = None
        self.row_start = (0, 0, "")
        self.balance: str | None = None
        self.ledger: dict[str, str] = {}
        self.ordinal = 0
        self.counted = (0, 1)

    def line_at(self, offset: int) -> int:
        """The line of ``offset``, counted on from the last one asked (they only grow)."""
        if offset < self.counted[0]:
            self.counted = (0, 1)
        start, line = self.counted
        line += self.text.count("\n", start, offset)
        self.counted = (offset, line)
        return line

    def run(self) -> list[Statement]:
        closed_ofx = False
        for match in _TAG.finditer(self.text):
            closing, name, value = match.group(1) == "/", match.group(2).upper(), match.group(3)
            if closing:
                closed_ofx = closed_ofx or name == "OFX"
                self.close(name, match.start())
            else:
                self.open(name, html.unescape(value.strip()), match.start())
        if self.current is not None or not closed_ofx:
            end = self.line_at(len(self.text.rstrip()))
            inside = f", inside the statement from line {self.current.line}" if self.current else ""
            raise StatementFileError(
                f"line {end}: the OFX file ends without </OFX>{inside}: it is cut off"
            )
        if not self.statements:
            raise StatementFileError(
                "not a statement: the OFX file holds no bank or credit-card "
                "statement (STMTRS/CCSTMTRS)"
            )
        return self.statements

    def open(self, name: str, value: str, offset: int) -> None:
        if name in _STATEMENTS:
            self.current = _Open(self.line_at(offset), name)
            return
        current = self.current
        if current is None:
            return
        if name in _ROWS:
            self.finish_row(offset)
            self.ordinal += 1
            self.row = {"_pending": "1"} if name == "STMTTRNP" else {}
            self.row_start = (self.ordinal, offset, name)
        elif name in _BALANCES:
            self.finish_row(offset)
            self.balance = name
        elif name == "BANKTRANLIST":
            self.balance = None
        elif self.row is not None and name == "CURRENCY":
            self.row["_foreign"] = "1"  # TRNAMT is in this aggregate's CURSYM (ORIGCURRENCY: not)
        elif self.row is not None and value:
            self.row.setdefault(name, value)
        elif self.balance == "LEDGERBAL" and value:
            self.ledger[name] = value
        elif name == "CURDEF" and value:
            current.currency = value.upper()
        elif name == "ACCTID" and value and current.account is None:
            current.account = value

    def close(self, name: str, offset: int) -> None:
        if name in _ROWS or name in ("BANKTRANLIST", "BANKTRANLISTP"):
            self.finish_row(offset, end_tag=len(name) + 3)
        elif name in _BALANCES:
            self.balance = None
        elif name in _STATEMENTS and self.current is not None:
            self.finish_row(offset)
            self.finish_statement()

    def finish_row(self, offset: int, end_tag: int = 0) -> None:
        row, current = self.row, self.current
        if row is None or current is None:
            return
        self.row = None
        ordinal, start, _ = self.row_start
        line = self.line_at(start)
        where = f"transaction {ordinal} (line {line})"
        raw = self.text[start : offset + end_tag].strip()
        try:
            if "TRNAMT" not in row:
                raise ValueError("no TRNAMT")
            amount = ofx_amount(row["TRNAMT"])
            foreign = row.get("CURSYM", "").upper() if "_foreign" in row else ""
            if foreign and current.currency and foreign != current.currency:
                raise ValueError(f"amount in {foreign}, the statement is in {current.currency}")
            booked = ofx_date(row.get("DTPOSTED") or row.get("DTUSER") or row.get("DTTRAN", ""))
        except (ValueError, AmountError) as error:
            current.errors.append(RowError(ordinal, f"{where}: {error}"))
            return
        memo = row.get("MEMO", "")
        if "CHECKNUM" in row:
            memo = f"{memo} (check {row['CHECKNUM']})".strip()
        current.rows.append(
            StatementRow(
                line=ordinal,
                booking_date=booked,
                amount=amount,
                payee=row.get("NAME", ""),
                memo=memo,
                bank_id=row.get("FITID"),
                raw=raw,
                pending="_pending" in row,
            )
        )

    def finish_statement(self) -> None:
        current = self.current
        assert current is not None
        self.current = None
        kind = "credit-card" if current.kind == "CCSTMTRS" else "bank"
        notes = [f"OFX {kind} statement ({current.kind}) from line {current.line}"]
        if "BALAMT" in self.ledger:
            try:
                on = ofx_date(self.ledger["DTASOF"]) if "DTASOF" in self.ledger else None
                current.closing = Balance(ofx_amount(self.ledger["BALAMT"]), on)
            except (ValueError, AmountError) as error:
                notes.append(f"the ledger balance is unreadable: {error}")
        self.ledger = {}
        repeated = Counter(r.bank_id for r in current.rows if r.bank_id)
        notes += [
            f"FITID {fitid} appears {n} times in this statement"
            for fitid, n in repeated.items()
            if n > 1
        ]
        self.statements.append(
            Statement(
                format="ofx",
                rows=tuple(current.rows),
                errors=tuple(current.errors),
                currency=current.currency,
                account_hint=current.account,
                closing=current.closing,
                notes=tuple(notes),
            )
        )


def parse_ofx(data: bytes) -> list[Statement]:
    """Every bank and credit-card statement in an OFX/QFX file."""
    text, _ = decode(data)
    if not re.search(r"<OFX[\s>]", text[:65536], re.I):
        raise StatementFileError("not a statement: no <OFX> element in the first 64 KiB")
    return _Scanner(text).run()
