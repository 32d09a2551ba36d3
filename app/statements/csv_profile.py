"""How a bank's CSV file maps to statement rows: detected once, saved per account, reused."""

from __future__ import annotations

import codecs
from dataclasses import asdict, dataclass, fields
from typing import Any

from app.statements.dates import DateFormat

_MARKS = {".": "decimal point", ",": "decimal comma"}
_GROUPS = {
    "": "no thousands separator",
    ",": "',' thousands",
    ".": "'.' thousands",
    " ": "' ' thousands",
    "'": '"\'" thousands',
    "\u00a0": "no-break-space thousands",
}


def _index(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 10_000


@dataclass(frozen=True)
class CsvProfile:
    """The mapping of one CSV layout: encoding, delimiter, where the table is, what each column
    holds and how its dates and amounts are written. Columns are 0-based indices."""

    encoding: str
    delimiter: str
    header_line: int | None
    """The 1-based line of the column names; None when the table has none."""
    date_column: int
    date_format: str
    """As :attr:`DateFormat.name` writes it, e.g. ``DD.MM.YYYY``."""
    decimal: str = "."
    thousands: str = ""
    amount_column: int | None = None
    """One signed amount; else ``debit_column``/``credit_column`` (money out / in)."""
    debit_column: int | None = None
    credit_column: int | None = None
    payee_column: int | None = None
    memo_columns: tuple[int, ...] = ()
    balance_column: int | None = None
    currency_column: int | None = None
    status_column: int | None = None
    account_column: int | None = None
    sign_column: int | None = None
    """A debit/credit mark (``S``/``H``, ``D``/``C``, ``DR``/``CR``...) that signs the amount."""
    columns: tuple[str, ...] = ()
    """The header's column names, for the description and the preview."""

    def __post_init__(self) -> None:
        self._check_types()
        DateFormat.from_name(self.date_format)
        if self.amount_column is None and self.debit_column is None and self.credit_column is None:
            raise ValueError("a CSV profile needs an amount column or debit/credit columns")
        if self.decimal not in _MARKS or self.thousands == self.decimal:
            raise ValueError(f"decimal mark {self.decimal!r} with thousands {self.thousands!r}")

    def _check_types(self) -> None:
        """A profile read from JSON is checked field by field: a bad one is one ValueError."""
        for name in ("encoding", "delimiter", "date_format", "decimal", "thousands"):
            if not isinstance(getattr(self, name), str):
                raise ValueError(f"CSV profile: {name} must be text")
        if len(self.delimiter) != 1 or self.delimiter in '\r\n"':
            raise ValueError(f"CSV profile: delimiter {self.delimiter!r} is not one character")
        try:
            codecs.lookup(self.encoding)
        except LookupError:
            raise ValueError(f"CSV profile: unknown encoding {self.encoding!r}") from None
        columns = (
            "date_column",
            "amount_column",
            "debit_column",
            "credit_column",
            "payee_column",
            "balance_column",
            "currency_column",
            "status_column",
            "account_column",
            "sign_column",
        )
        for name in columns:
            value = getattr(self, name)
            if value is not None and not _index(value):
                raise ValueError(f"CSV profile: {name} must be a column number from 0")
        if self.date_column is None:
            raise ValueError("CSV profile: date_column is needed")
        if self.header_line is not None and not (_index(self.header_line) and self.header_line):
            raise ValueError("CSV profile: header_line must be a line number from 1, or null")
        if not all(_index(c) for c in self.memo_columns):
            raise ValueError("CSV profile: memo_columns must be column numbers from 0")
        if not all(isinstance(c, str) for c in self.columns):
            raise ValueError("CSV profile: columns must be texts")

    @property
    def date(self) -> DateFormat:
        """The date format as a :class:`DateFormat`."""
        return DateFormat.from_name(self.date_format)

    def to_json(self) -> dict[str, Any]:
        """A plain dict for JSON (an import profile saved with the account)."""
        data = asdict(self)
        data["memo_columns"] = list(self.memo_columns)
        data["columns"] = list(self.columns)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CsvProfile:
        """The profile :meth:`to_json` wrote; unknown keys are an error, missing optional ones
        take their defaults."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"unknown CSV profile keys: {', '.join(unknown)}")
        values = dict(data)
        for key in ("memo_columns", "columns"):
            if key in values:
                values[key] = tuple(values[key])
        try:
            return cls(**values)
        except TypeError as error:
            raise ValueError(f"not a CSV profile: {error}") from None

    def name(self, column: int | None) -> str:
        """A column as the user sees it: its header name, else its number."""
        if column is None:
            return "-"
        if column < len(self.columns) and self.columns[column].strip():
            return repr(self.columns[column].strip())
        return f"column {column + 1}"

    def describe(self) -> str:
        """The mapping in one sentence."""
        where = f"column names on line {self.header_line}" if self.header_line else "no header"
        if self.amount_column is not None:
            money = f"amount in {self.name(self.amount_column)}"
        else:
            money = (
                f"money out in {self.name(self.debit_column)}, "
                f"money in in {self.name(self.credit_column)}"
            )
        parts = [
            f"CSV read as {self.encoding}, {self.delimiter!r}-delimited, {where}",
            f"date in {self.name(self.date_column)} as {self.date_format}",
            f"{money} with {_MARKS[self.decimal]} and "
            f"{_GROUPS.get(self.thousands, repr(self.thousands) + ' thousands')}",
        ]
        optional = (
            ("payee", self.payee_column),
            ("balance", self.balance_column),
            ("currency", self.currency_column),
            ("status", self.status_column),
            ("account", self.account_column),
            ("debit/credit mark", self.sign_column),
        )
        parts += [f"{label} in {self.name(col)}" for label, col in optional if col is not None]
        if self.memo_columns:
            parts.append("memo from " + ", ".join(self.name(c) for c in self.memo_columns))
        return "; ".join(parts)
