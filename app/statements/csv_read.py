"""Reading a CSV file's rows with a :class:`CsvProfile`: the rows, the errors, the balances."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from app.statements import csv_table as t
from app.statements.amounts import AmountError, amount_reader, parse_amount
from app.statements.csv_profile import CsvProfile
from app.statements.dates import DateError, looks_like_date, parse_date
from app.statements.errors import StatementFileError
from domain.model.statements import Balance, RowError, Statement, StatementRow


@dataclass
class _Account:
    rows: list[StatementRow] = field(default_factory=list)
    balances: list[Decimal | None] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    currencies: dict[str, int] = field(default_factory=dict)
    row_currency: list[str] = field(default_factory=list)


def _text(cells: list[str], column: int | None) -> str:
    return cells[column].strip() if column is not None and column < len(cells) else ""


def _money(cells: list[str], p: CsvProfile, read: Callable[[str], Decimal]) -> Decimal:
    if p.amount_column is not None:
        value = read(cells[p.amount_column])
        if p.sign_column is None:
            return value
        mark = _text(cells, p.sign_column).upper()
        if mark in t.DEBIT_MARKS:
            return -abs(value)
        if mark in t.CREDIT_MARKS:
            return abs(value)
        raise AmountError(f"{mark!r} in {p.name(p.sign_column)} is neither a debit nor a credit")
    out, into = _text(cells, p.debit_column), _text(cells, p.credit_column)
    if not out and not into:
        raise AmountError("no amount in the debit or the credit column")
    value = abs(read(into)) if into else Decimal(0)
    return value - (abs(read(out)) if out else Decimal(0))


def _stated_balance(cells: list[str], p: CsvProfile) -> tuple[str, Decimal] | None:
    """An 'opening/closing balance' line outside the table, with its amount."""
    label = " ".join(c for c in cells if c.strip() and not any(ch.isdigit() for ch in c))
    kind = "closing" if t.CLOSING.search(label) else "opening" if t.OPENING.search(label) else ""
    if not kind:
        return None
    for cell in reversed(cells):
        try:
            return kind, parse_amount(cell, p.decimal, p.thousands)
        except AmountError:
            continue
    return None


_ACCOUNT_LABEL = re.compile(r"\b(account|konto|iban|compte|rekening|cuenta)", re.I)


def _stated_account(cells: list[str]) -> str | None:
    """An account number named on a title line ('Account Number : 0808...', 'Konto;DE02...')."""
    for index, cell in enumerate(cells):
        if not _ACCOUNT_LABEL.search(cell):
            continue
        after = cell.split(":", 1)[1] if ":" in cell else ""
        for value in (after, *cells[index + 1 : index + 2]):
            value = value.strip()
            if sum(c.isdigit() for c in value) >= 5 and " " not in value:
                return value
    return None


def _outside(cells: list[str], p: CsvProfile, stated: dict[str, Decimal], named: list[str]) -> None:
    """What a line outside the table tells: a stated balance, the account's number."""
    if (found := _stated_balance(cells, p)) is not None:
        stated[found[0]] = found[1]
    elif (number := _stated_account(cells)) is not None:
        named.append(number)


def _undated_row(
    cells: list[str], p: CsvProfile, read: Callable[[str], Decimal], needed: int
) -> bool:
    """A row of the table with an amount but no date: an error, not a line to skip."""
    if len(cells) <= needed or _stated_balance(cells, p) is not None:
        return False
    try:
        _money(cells, p, read)
    except AmountError:
        return False
    return True


def _running(account: _Account) -> tuple[Balance, Balance] | None:
    """Opening and closing balances from a running-balance column that adds up, in either order."""
    rows, bal = account.rows, account.balances
    if len(rows) < 2 or any(b is None for b in bal):
        return None
    known = [b for b in bal if b is not None]
    pairs = range(1, len(rows))
    if all(known[i] == known[i - 1] + rows[i].amount for i in pairs):
        return (Balance(known[0] - rows[0].amount), Balance(known[-1], rows[-1].booking_date))
    if all(known[i - 1] == known[i] + rows[i - 1].amount for i in pairs):
        return (Balance(known[-1] - rows[-1].amount), Balance(known[0], rows[0].booking_date))
    return None


def read_csv(text: str, profile: CsvProfile) -> list[Statement]:
    """The statements (one per account column value) in ``text`` read with ``profile``."""
    p, fmt = profile, profile.date
    read = amount_reader(p.decimal, p.thousands)
    accounts: dict[str, _Account] = {}
    stated: dict[str, Decimal] = {}
    named: list[str] = []
    skipped = 0
    names: dict[str, str] = {}  # one string per payee: a big file repeats them
    needed = max(
        c
        for c in (p.date_column, p.amount_column, p.debit_column, p.credit_column)
        if c is not None
    )
    for line, cells, raw in t.read_rows(text, p.delimiter):
        if p.header_line is not None and line <= p.header_line:
            _outside(cells, p, stated, named)
            continue
        date_cell = _text(cells, p.date_column)
        hint = _text(cells, p.account_column)
        if not looks_like_date(date_cell):
            if not date_cell and _undated_row(cells, p, read, needed):
                account = accounts.get(hint) or accounts.setdefault(hint, _Account())
                message = f"line {line}: no date in {p.name(p.date_column)}"
                account.errors.append(RowError(line, message))
            elif any(c.strip() for c in cells):
                skipped += 1
                _outside(cells, p, stated, named)
            continue
        account = accounts.get(hint) or accounts.setdefault(hint, _Account())
        if len(cells) <= needed:
            account.errors.append(
                RowError(
                    line,
                    f"line {line}: only {len(cells)} fields, the "
                    f"table has {needed + 1} or more (cut off?)",
                )
            )
            continue
        try:
            booked = parse_date(date_cell, fmt)
            amount = _money(cells, p, read)
        except (DateError, AmountError) as error:
            account.errors.append(RowError(line, f"line {line}: {error}"))
            continue
        currency = _text(cells, p.currency_column).upper()
        if currency:
            account.currencies[currency] = account.currencies.get(currency, 0) + 1
        account.row_currency.append(currency)
        memo = " ".join([m for c in p.memo_columns if (m := _text(cells, c))])
        status = _text(cells, p.status_column)
        payee = _text(cells, p.payee_column)
        account.rows.append(
            StatementRow(
                line=line,
                booking_date=booked,
                amount=amount,
                payee=names.setdefault(payee, payee),
                memo=memo,
                raw=raw,
                pending=bool(status) and bool(t.PENDING.search(status)),
            )
        )
        balance = _text(cells, p.balance_column)
        try:
            account.balances.append(read(balance) if balance else None)
        except AmountError:
            account.balances.append(None)
    if not accounts:
        raise StatementFileError(
            f"not a statement: no row has a date in {p.name(p.date_column)} ({p.date_format})"
        )
    single = named[0] if len(accounts) == 1 and named else ""
    return [
        _statement(p, hint or single, account, stated if len(accounts) == 1 else {}, skipped)
        for hint, account in accounts.items()
    ]


def _statement(
    p: CsvProfile, hint: str, account: _Account, stated: dict[str, Decimal], skipped: int
) -> Statement:
    notes = [p.describe()]
    if skipped:
        lines = "line" if skipped == 1 else "lines"
        notes.append(f"{skipped} {lines} outside the table skipped (titles, notes, footers)")
    currency = max(account.currencies, key=lambda c: account.currencies[c], default=None)
    errors = list(account.errors)
    rows = account.rows
    if len(account.currencies) > 1:
        notes.append(
            f"the file mixes currencies {', '.join(sorted(account.currencies))}: rows "
            f"not in {currency} are errors"
        )
        errors += [
            RowError(row.line, f"line {row.line}: amount in {ccy}, the statement is in {currency}")
            for row, ccy in zip(rows, account.row_currency, strict=True)
            if ccy != currency
        ]
        rows = [row for row, ccy in zip(rows, account.row_currency, strict=True) if ccy == currency]
    opening = Balance(stated["opening"]) if "opening" in stated else None
    closing = Balance(stated["closing"]) if "closing" in stated else None
    if opening is None and closing is None and p.balance_column is not None:
        derived = _running(account)
        if derived is not None:
            opening, closing = derived
            notes.append("opening and closing balances from the running balance column")
        else:
            notes.append("the running balance column does not add up: no balances taken")
    return Statement(
        format="csv",
        rows=tuple(rows),
        errors=tuple(sorted(errors, key=lambda e: e.line)),
        currency=currency,
        account_hint=hint or None,
        opening=opening,
        closing=closing,
        notes=tuple(notes),
    )
