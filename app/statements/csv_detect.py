"""Detecting a CSV file's :class:`CsvProfile` from its content.

Delimiter: the one that gives most lines the same number (>1) of fields. The table starts at the
first row with a date cell and an amount cell; its header is the nearest row above with as many
fields. Each column's role comes from its name (``Betrag``, ``Withdrawal (-)``...), else from its
content; decimal mark and thousands separator from the amounts; the date format from every value
of the date column, day-first or month-first, whichever more rows are valid in.
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import chain, islice

from app.statements import csv_table as t
from app.statements.amounts import _CORE, _strip_sign, detect_separators
from app.statements.csv_profile import CsvProfile
from app.statements.dates import detect_date_format, full_date, looks_like_date
from app.statements.errors import StatementFileError

_DELIMITERS = (";", ",", "\t", "|")
_SAMPLE = 2000
_MAX_COLUMNS = 300


def _is_amount(cell: str) -> bool:
    core, _ = _strip_sign(cell) if cell.strip() else ("", False)
    return bool(core) and bool(_CORE.match(core)) and not looks_like_date(cell)


def detect_delimiter(text: str) -> str:
    """The delimiter that splits most of the first lines into one same number of fields (or
    the one Excel's ``sep=;`` first line names)."""
    if match := re.match(r"(?i)sep=(.)\r?\n", text):
        return match.group(1)
    best, best_score = ",", -1
    end = -1
    for _ in range(80):  # the first lines are enough, and splitting all of a big file is not
        end = text.find("\n", end + 1)
        if end < 0:
            break
    head = text if end < 0 else text[:end]
    for delimiter in _DELIMITERS:
        counts = Counter(len(cells) for _, cells, _ in t.read_rows(head, delimiter, 60))
        score = max((n for width, n in counts.items() if width > 1), default=0)
        if score > best_score:
            best, best_score = delimiter, score
    if best_score <= 0:
        raise StatementFileError("line 1: not a statement (no table of dates and amounts)")
    return best


def _first_data_row(rows: list[tuple[int, list[str], str]]) -> int:
    for index, (_, cells, _) in enumerate(rows[:200]):
        dates = [i for i, c in enumerate(cells) if full_date(c)]
        if dates and any(_is_amount(c) for i, c in enumerate(cells) if i not in dates):
            return index
    raise StatementFileError(
        "not a statement: no row with a date and an amount in the first 200 lines"
    )


def _header_index(rows: list[tuple[int, list[str], str]], first: int, width: int) -> int | None:
    """The nearest row above the table with as many fields, one trailing empty field aside."""
    last_empty = not rows[first][1][-1].strip()
    for index in range(first - 1, -1, -1):
        cells = rows[index][1]
        if len(cells) == width:
            return index
        if len(cells) == width - 1 and last_empty and any(c.strip() for c in cells):
            return index
        if len(cells) == width + 1 and not cells[-1].strip():
            return index
    return None


def _sign_column(
    data: list[list[str]], width: int, amount: int | None, money: set[int]
) -> int | None:
    """A column of debit/credit marks, when the amounts themselves are never negative."""
    if amount is None or any(_strip_sign(row[amount])[1] for row in data if row[amount].strip()):
        return None
    marks = t.DEBIT_MARKS | t.CREDIT_MARKS
    for col in range(width):
        values = {row[col].strip().upper() for row in data} - {""}
        if col not in money and values and values <= marks and values & t.DEBIT_MARKS:
            return col
    return None


def _currency_column(header: list[str], data: list[list[str]]) -> int | None:
    """The column named for the currency, if it holds three-letter codes."""
    col = t.role_column(header, t.CURRENCY)
    if col is None:
        return None
    values = {row[col].strip() for row in data} - {""}
    return col if all(len(v) == 3 and v.isalpha() for v in values) else None


def _column_kinds(data: list[list[str]], width: int) -> tuple[set[int], set[int]]:
    """The columns (mostly) holding dates, and those holding amounts."""
    dates, amounts = set(), set()
    for col in range(width):
        values = [row[col].strip() for row in data if col < len(row) and row[col].strip()]
        if not values:
            continue
        if sum(full_date(v) for v in values) >= 0.8 * len(values):
            dates.add(col)
        elif sum(_is_amount(v) for v in values) >= 0.8 * len(values):
            amounts.add(col)
    return dates, amounts


def detect_profile(text: str, encoding: str) -> tuple[CsvProfile, list[str]]:
    """The mapping this CSV text most likely follows, and notes on what was a guess."""
    delimiter = detect_delimiter(text)
    reader = t.read_rows(text, delimiter)
    rows = list(islice(reader, 200 + _SAMPLE))  # the rest is only read for its dates
    first = _first_data_row(rows)
    width = len(rows[first][1])
    if width > _MAX_COLUMNS:
        raise StatementFileError(
            f"line {rows[first][0]}: {width} columns: no bank statement has over {_MAX_COLUMNS}"
        )
    header_index = _header_index(rows, first, width)
    header = rows[header_index][1] if header_index is not None else [""] * width
    header = (header + [""] * width)[:width]
    data = [
        cells
        for _, cells, _ in rows[first : first + _SAMPLE]
        if len(cells) == width and any(full_date(c) for c in cells)
    ]
    dates, amounts = _column_kinds(data, width)
    if not dates:
        raise StatementFileError(f"line {rows[first][0]}: no column holds dates in most rows")
    date_column = t.role_column(header, t.DATE, dates)
    if date_column is None:
        date_column = min(dates)
    # 'Amount' itself wins; 'Withdrawal Amount' + 'Deposit Amount' are a debit/credit pair
    amount = t.role_column(header, t.AMOUNT, amounts, exact=True)
    debit = credit = None
    if amount is None:
        debit = t.role_column(header, t.DEBIT, amounts)
        credit = t.role_column(header, t.CREDIT, amounts)
        if debit is None or credit is None:
            amount = t.role_column(header, t.AMOUNT, amounts)
            if amount is not None:
                debit = credit = None
        if amount is None and debit is None and credit is None:
            balance_guess = t.role_column(header, t.BALANCE, amounts)
            rest = sorted(amounts - {balance_guess})
            if not rest:
                raise StatementFileError(f"line {rows[first][0]}: no column of amounts found")
            amount = rest[0]
    money = {c for c in (amount, debit, credit) if c is not None}
    sign = _sign_column(data, width, amount, money)
    balance = t.role_column(header, t.BALANCE, amounts - money)
    named = {
        i for i, name in enumerate(header) if not re.search(r"account|konto|iban", t.key(name))
    }
    payee = t.role_column(header, t.PAYEE, named)  # not 'Account Name'
    described = t.role_column(header, t.DESCRIPTION)
    if payee is None:
        payee = described
    memo = tuple(
        sorted(
            {c for w in t.MEMO if (c := t.role_column(header, (w,))) is not None}
            - {payee, date_column}
            - money
        )
    )
    values = [row[c] for row in data for c in money if row[c].strip()]
    decimal, thousands = detect_separators(values, prefer_comma=delimiter == ";")
    date_values = [
        cells[date_column] for _, cells, _ in chain(rows[first:], reader) if len(cells) == width
    ]
    fmt, tied = detect_date_format(date_values, prefer_day_first=decimal == ",")
    if fmt is None:
        raise StatementFileError(f"line {rows[first][0]}: no date format fits the date column")
    notes = []
    if tied:
        why = "amounts use a decimal comma" if decimal == "," else "amounts use a decimal point"
        notes.append(
            f"every date reads day-first and month-first alike: took {fmt.name} "
            f"because {why}; check the preview"
        )
    fee = t.role_column(header, ("fee", "fees", "gebuehr", "gebuehren", "frais"), amounts - money)
    if fee is not None and any(_strip_sign(row[fee])[0].strip("0.,") for row in data):
        notes.append(f"{header[fee].strip()!r} holds fees that are not in the amounts: check them")
    profile = CsvProfile(
        encoding=encoding,
        delimiter=delimiter,
        header_line=rows[header_index][0] if header_index is not None else None,
        date_column=date_column,
        date_format=fmt.name,
        decimal=decimal,
        thousands=thousands,
        amount_column=amount,
        debit_column=debit,
        credit_column=credit,
        payee_column=payee,
        memo_columns=memo,
        balance_column=balance,
        currency_column=_currency_column(header, data),
        status_column=t.role_column(header, t.STATUS),
        account_column=t.role_column(header, t.ACCOUNT, exact=True),
        sign_column=sign,
        columns=tuple(header) if header_index is not None else (),
    )
    return profile, notes
