"""How a bank's CSV file maps to statement rows: detected once, saved per account, reused."""

from __future__ import annotations

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
    columns: tuple[str, ...] = ()
    """The header's column names, for the description and the preview."""

    def __post_init__(self) -> None:
        DateFormat.from_name(self.date_format)
        if self.amount_column is None and self.debit_column is None and self.credit_column is None:
            raise ValueError("a CSV profile needs an amount column or debit/credit columns")
        if self.decimal not in _MARKS or self.thousands == self.decimal:
            raise ValueError(f"decimal mark {self.decimal!r} with thousands {self.thousands!r}")

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
        )
        parts += [f"{label} in {self.name(col)}" for label, col in optional if col is not None]
        if self.memo_columns:
            parts.append("memo from " + ", ".join(self.name(c) for c in self.memo_columns))
        return "; ".join(parts)
