"""ISO 20022 CAMT.053 (bank-to-customer statement), any schema version (.001.02 to .001.08+).

Each ``Stmt`` is one statement: ``Acct`` its account (IBAN or other id) and currency, the
``OPBD`` (else ``PRCD``) balance its opening, ``CLBD`` its closing. Each ``Ntry`` is a row,
positive for ``CRDT`` and negative for ``DBIT`` (a reversal, ``RvslInd``, is booked with the
indicator of its own direction, so it needs no flip); ``NtryRef`` or ``AcctSvcrRef`` is the
bank id, ``Sts`` ``PDNG`` marks it pending. The stdlib parser suffices: the format is plain
XML, and a DOCTYPE (entity tricks) is refused outright.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal

from app.statements.amounts import AmountError, parse_amount
from app.statements.errors import StatementFileError
from domain.model.statements import Balance, RowError, Statement, StatementRow

_NOREF = {"", "NOTPROVIDED", "NONREF", "NONE"}


def _text(element: ET.Element | None, path: str) -> str:
    found = element.find(path) if element is not None else None
    return (found.text or "").strip() if found is not None else ""


def _signed(element: ET.Element) -> tuple[Decimal, str]:
    """The element's ``Amt``, negative under ``DBIT``, and its currency."""
    amt = element.find("Amt")
    if amt is None or not (amt.text or "").strip():
        raise ValueError("no amount")
    value = parse_amount(amt.text or "", ".", "")
    if value < 0:
        raise ValueError(f"negative amount {amt.text!r} (the sign is CdtDbtInd's)")
    indicator = _text(element, "CdtDbtInd")
    if indicator not in ("CRDT", "DBIT"):
        raise ValueError(f"CdtDbtInd is {indicator!r}, not CRDT or DBIT")
    return (-value if indicator == "DBIT" else value), amt.get("Ccy", "").upper()


def _date(element: ET.Element | None) -> date | None:
    text = _text(element, "Dt") or _text(element, "DtTm")
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        raise ValueError(f"{text!r} is no valid date") from None


def _balances(stmt: ET.Element) -> dict[str, Balance]:
    found: dict[str, Balance] = {}
    for bal in stmt.findall("Bal"):
        code = _text(bal, "Tp/CdOrPrtry/Cd") or _text(bal, "Tp/CdOrPrtry/Prtry")
        if code in found:
            continue
        try:
            amount, _ = _signed(bal)
            found[code] = Balance(amount, _date(bal.find("Dt")))
        except (ValueError, AmountError) as error:
            raise StatementFileError(
                f"statement {_text(stmt, 'Id')!r}: balance {code}: {error}"
            ) from None
    return found


def _parties(ntry: ET.Element, credit: bool) -> tuple[str, str]:
    """The other side's name and the remittance text of an entry."""
    names, texts = [], []
    for tx in ntry.iterfind("NtryDtls/TxDtls"):
        side = "Dbtr" if credit else "Cdtr"
        name = _text(tx, f"RltdPties/{side}/Nm") or _text(tx, f"RltdPties/{side}/Pty/Nm")
        if name and name not in names:
            names.append(name)
        texts += [(u.text or "").strip() for u in tx.iterfind("RmtInf/Ustrd") if u.text]
        if not texts and _text(tx, "AddtlTxInf"):
            texts.append(_text(tx, "AddtlTxInf"))
    extra = _text(ntry, "AddtlNtryInf")
    return ", ".join(names), " | ".join(texts + ([extra] if extra else []))


def _bank_id(ntry: ET.Element) -> str | None:
    for path in ("AcctSvcrRef", "NtryRef"):
        if _text(ntry, path).upper() not in _NOREF:
            return _text(ntry, path)
    details = ntry.findall("NtryDtls/TxDtls")
    if len(details) == 1:
        for path in ("Refs/AcctSvcrRef", "Refs/TxId", "Refs/EndToEndId"):
            if _text(details[0], path).upper() not in _NOREF:
                return _text(details[0], path)
    return None


def _statement(stmt: ET.Element, first_ordinal: int) -> Statement:
    ident = _text(stmt, "Id")
    account = _text(stmt, "Acct/Id/IBAN") or _text(stmt, "Acct/Id/Othr/Id") or None
    balances = _balances(stmt)
    currency = (
        _text(stmt, "Acct/Ccy").upper()
        or next((b.get("Ccy", "").upper() for b in stmt.iterfind("Bal/Amt")), "")
        or None
    )
    rows, errors, notes = [], [], [f"CAMT.053 statement {ident!r}"]
    for ordinal, ntry in enumerate(stmt.iterfind("Ntry"), start=first_ordinal):
        where = f"entry {ordinal} (statement {ident!r})"
        try:
            amount, ccy = _signed(ntry)
            booked = _date(ntry.find("BookgDt")) or _date(ntry.find("ValDt"))
            if booked is None:
                raise ValueError("no booking date")
        except (ValueError, AmountError) as error:
            errors.append(RowError(ordinal, f"{where}: {error}"))
            continue
        if currency and ccy and ccy != currency:
            errors.append(
                RowError(ordinal, f"{where}: amount in {ccy}, the statement is in {currency}")
            )
            continue
        status = _text(ntry, "Sts/Cd") or _text(ntry, "Sts")
        payee, memo = _parties(ntry, amount > 0)
        if _text(ntry, "RvslInd").lower() == "true":
            memo = f"reversal: {memo}".rstrip(": ")
        rows.append(
            StatementRow(
                line=ordinal,
                booking_date=booked,
                amount=amount,
                payee=payee,
                memo=memo,
                bank_id=_bank_id(ntry),
                raw=ET.tostring(ntry, encoding="unicode").strip(),
                pending=status in ("PDNG", "INFO"),
            )
        )
    opening = balances.get("OPBD") or balances.get("PRCD")
    return Statement(
        format="camt053",
        rows=tuple(rows),
        errors=tuple(errors),
        currency=currency,
        account_hint=account,
        opening=opening,
        closing=balances.get("CLBD"),
        notes=tuple(notes),
    )


_MAX_DEPTH = 64
"""CAMT.053 nests about 12 deep; far deeper is no statement (and would exhaust recursion)."""


def _parse_xml(data: bytes) -> ET.Element:
    depth, root = 0, None  # the last element to end is the root
    element: ET.Element
    try:
        for event, element in ET.iterparse(io.BytesIO(data), events=("start", "end")):
            depth += 1 if event == "start" else -1
            if depth > _MAX_DEPTH:
                raise StatementFileError(f"not a statement: XML nested over {_MAX_DEPTH} deep")
            root = element
    except ET.ParseError as error:
        line = error.position[0]
        reason = str(error).split(":")[0]
        raise StatementFileError(f"line {line}: the XML is broken or cut off ({reason})") from None
    except LookupError as error:  # the declaration names an encoding Python does not know
        raise StatementFileError(f"not a statement: the XML declares {error}") from None
    if not isinstance(root, ET.Element):
        raise StatementFileError("not a statement: the XML has no elements")
    return root


def parse_camt053(data: bytes) -> list[Statement]:
    """Every ``Stmt`` of a CAMT.053 file."""
    if b"<!DOCTYPE" in data[:4096].upper():
        raise StatementFileError("not a statement: a CAMT.053 file has no DOCTYPE")
    root = _parse_xml(data)
    for element in root.iter():
        if isinstance(element.tag, str):
            element.tag = element.tag.rsplit("}", 1)[-1]
    statements = root.findall("BkToCstmrStmt/Stmt") if root.tag == "Document" else []
    if not statements:
        raise StatementFileError(
            "not a statement: the XML holds no CAMT.053 statement (Document/BkToCstmrStmt/Stmt)"
        )
    parsed, ordinal = [], 1
    for stmt in statements:
        parsed.append(_statement(stmt, ordinal))
        ordinal += len(stmt.findall("Ntry"))
    return parsed
