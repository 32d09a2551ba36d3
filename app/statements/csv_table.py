"""A CSV file's rows with the line each starts on, and the words that name its columns."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator

from app.statements.errors import StatementFileError

_LINE_BREAK = re.compile(r"\r\n|\r|\n")

# Column names by role, compared after dropping everything but letters (lower case).
AMOUNT = (
    "amount",
    "betrag",
    "montant",
    "bedrag",
    "importe",
    "importo",
    "kwota",
    "umsatz",
    "transactionamount",
    "value",
    "summe",
)
DEBIT = (
    "debit",
    "withdrawal",
    "withdrawals",
    "soll",
    "paidout",
    "moneyout",
    "ausgang",
    "debet",
    "uitgaven",
    "debits",
    "afschrijving",
    "charge",
)
CREDIT = (
    "credit",
    "deposit",
    "deposits",
    "haben",
    "paidin",
    "moneyin",
    "eingang",
    "credits",
    "bijschrijving",
)
BALANCE = ("balance", "runningbalance", "saldo", "solde", "kontostand")
DATE = (
    "buchungstag",
    "bookingdate",
    "postingdate",
    "transactiondate",
    "dateoperation",
    "datedelexecution",
    "starteddate",
    "date",
    "datum",
    "fecha",
    "data",
    "posted",
)
PAYEE = (
    "payee",
    "beguenstigterzahlungspflichtiger",
    "name",
    "counterparty",
    "beneficiary",
    "contrepartiedeloperation",
    "empfaenger",
    "merchant",
    "naamomschrijving",
)
DESCRIPTION = ("description", "label", "libelle", "buchungstext", "text", "omschrijving")
MEMO = (
    "verwendungszweck",
    "memo",
    "detail",
    "details",
    "purpose",
    "reference",
    "mededelingen",
    "notes",
    "description",
    "label",
    "buchungstext",
    "text",
)
CURRENCY = ("currency", "waehrung", "wahrung", "devise", "deviseducompte", "ccy")
STATUS = ("state", "status", "info")
ACCOUNT = ("auftragskonto", "numerodecompte", "accountnumber", "account", "iban", "rekening")
DEBIT_MARKS = {"D", "DR", "DEBIT", "DBIT", "S", "SOLL", "DEBET", "AF", "DÉBIT", "-"}
CREDIT_MARKS = {"C", "CR", "CREDIT", "CRDT", "H", "HABEN", "BIJ", "CRÉDIT", "+"}
PENDING = re.compile(r"pending|vorgemerkt|en attente|in behandeling|ausstehend|authori[sz]", re.I)
OPENING = re.compile(
    r"(start|open|begin|anfang|alter|initial|previous|d[ée]but).*"
    r"(balance|saldo|solde|kontostand)|(balance|saldo|solde|kontostand).*"
    r"(start|open|begin|anfang|alt|initial|previous|d[ée]but)",
    re.I,
)
CLOSING = re.compile(
    r"(end|clos|final|neu|new|current|fin\b).*(balance|saldo|solde|kontostand)"
    r"|(balance|saldo|solde|kontostand).*(end|clos|final|neu|new|fin\b)",
    re.I,
)


def key(name: str) -> str:
    """A column name reduced to its letters, for matching against the role words."""
    return "".join(c for c in name.lower().replace("ä", "ae").replace("ü", "ue") if c.isalpha())


def role_column(
    header: list[str], words: tuple[str, ...], among: set[int] | None = None, exact: bool = False
) -> int | None:
    """The column whose name is one of ``words`` (earlier words win), else one containing one."""
    keys = [key(name) for name in header]
    candidates = [i for i in range(len(keys)) if among is None or i in among]
    for word in words:
        for i in candidates:
            if keys[i] == word:
                return i
    for word in () if exact else words:
        for i in candidates:
            if len(word) > 3 and word in keys[i]:
                return i
    return None


def read_rows(
    text: str, delimiter: str, limit: int | None = None
) -> Iterator[tuple[int, list[str], str]]:
    """(first line, cells, original text) for each row; a quote left open is an error."""
    lines = _LINE_BREAK.split(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    start = 1
    try:
        for count, cells in enumerate(reader):
            end = reader.line_num
            if limit is not None and count >= limit:
                return
            raw = "\n".join(lines[start - 1 : end])
            if end >= len(lines) - 1 and raw.count('"') % 2:
                raise StatementFileError(
                    f"line {start}: a quoted field is never closed: the file is cut off"
                )
            yield start, cells, raw
            start = end + 1
    except csv.Error as error:
        raise StatementFileError(f"line {start}: {error} (is the file cut off?)") from None
