"""A report laid out as table rows (lines, section totals, checks), with an optional
comparison column, and written as CSV.

The desktop app's report view, its PDF and the CSV all show these rows, so they agree.
CSV: amounts are plain decimal numbers (``-12.50``) in their own columns, never neutralised;
every text cell that a spreadsheet would read as a formula (starting with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return) gets a leading apostrophe.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal
from typing import TextIO

from domain.model.money import decimal_string
from domain.projections.reports import Report, share

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHECK_NAMES = {
    "balance-sheet": "Assets − liabilities − equity",
    "income-statement": "Net result (income − expenses)",
}
LINE_NAMES = {"in": "Money in", "out": "Money out", "assets": "Assets",
              "liabilities": "Liabilities"}  # fmt: skip
TOTAL_NAMES = {"cash-flow": "Net", "net-worth": "Net worth"}


def neutralise(text: str) -> str:
    """``text`` made safe for a spreadsheet cell: a leading apostrophe when it starts like a
    formula, else unchanged."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


@dataclass(frozen=True, slots=True)
class TableRow:
    """One row: ``kind`` is ``line``, ``total`` or ``check``; ``other`` the comparison
    column's amount (None without one); ``difference`` = later/current less other."""

    kind: str
    section: str
    account_id: str | None
    name: str
    currency: str
    amount: int
    other: int | None = None
    difference: int | None = None
    share: Decimal | None = None
    depth: int = 0  # an account's level under its parents (its amount rolls theirs up)

    @property
    def indented_name(self) -> str:
        """The name as a tree shows it: two spaces a level."""
        return "  " * self.depth + self.name


def section_title(kind: str, name: str) -> str:
    """A section's heading: ``assets`` → ``Assets``; months and dates stay as they are."""
    return name[:1].upper() + name[1:] if kind in CHECK_NAMES or kind == "spending" else name


def table_rows(report: Report, other: Report | None = None, *, other_is_now: bool = False
               ) -> list[TableRow]:  # fmt: skip
    """The rows of ``report``, each with ``other``'s figure for the same line when given.

    ``other_is_now``: ``other`` is the same report as known later, the difference is
    other − report; else ``other`` is another period, the difference is report − other.
    Lines only ``other`` has come at the end of their section, with an amount of 0."""
    # a parent's figure is rolled up (its own plus its children's), as the accounts tree
    # shows it; the section totals add own amounts, so nothing is counted twice
    figures = (
        {(s.name, ln.account_id, ln.name if ln.account_id is None else "", ln.currency):
         ln.rolled for s in other.sections for ln in s.lines}
        if other is not None else {}
    )  # fmt: skip
    others = {s.name: s for s in other.sections} if other is not None else {}
    rows: list[TableRow] = []

    def row(kind: str, section: str, account_id: str | None, name: str, currency: str,
            amount: int, theirs: int | None, part: Decimal | None = None,
            depth: int = 0) -> TableRow:  # fmt: skip
        diff = None
        if theirs is not None:
            diff = theirs - amount if other_is_now else amount - theirs
        return TableRow(kind, section, account_id, name, currency, amount, theirs, diff, part,
                        depth)  # fmt: skip

    def key(section: str, account_id: str | None, name: str, currency: str) -> tuple[
            str, str | None, str, str]:  # fmt: skip
        return section, account_id, name if account_id is None else "", currency

    for section in report.sections:
        title = section_title(report.kind, section.name)
        seen = set()
        for line in section.lines:
            k = key(section.name, line.account_id, line.name, line.currency)
            seen.add(k)
            theirs = figures.get(k, 0) if other is not None else None
            part = None
            if report.kind == "spending":
                part = share(line.rolled, section.totals.get(line.currency, 0))
            name = LINE_NAMES.get(line.name, line.name) if line.account_id is None else line.name
            rows.append(row("line", title, line.account_id, name, line.currency, line.rolled,
                            theirs, part, line.depth))  # fmt: skip
        theirs_section = others.get(section.name)
        if theirs_section is not None:
            for line in theirs_section.lines:
                if key(section.name, line.account_id, line.name, line.currency) not in seen:
                    name = line.name
                    if line.account_id is None:
                        name = LINE_NAMES.get(line.name, line.name)
                    rows.append(row("line", title, line.account_id, name, line.currency, 0,
                                    line.rolled, depth=line.depth))  # fmt: skip
        totals = dict(section.totals)
        other_totals = dict(theirs_section.totals) if theirs_section is not None else {}
        label = TOTAL_NAMES.get(report.kind, f"Total {title.lower()}")
        for currency in sorted(set(totals) | set(other_totals)):
            theirs = other_totals.get(currency, 0) if other is not None else None
            rows.append(row("total", title, None, label, currency, totals.get(currency, 0),
                            theirs))  # fmt: skip
    check_name = CHECK_NAMES.get(report.kind)
    if check_name is not None:
        other_checks = other.checks if other is not None else {}
        for currency in sorted(set(report.checks) | set(other_checks)):
            theirs = other_checks.get(currency, 0) if other is not None else None
            rows.append(row("check", "", None, check_name, currency,
                            report.checks.get(currency, 0), theirs))  # fmt: skip
    return rows


def write_csv(
    rows: list[TableRow], out: TextIO, *, other_label: str = "", with_share: bool = False
) -> None:
    """The rows as CSV with a header line: section, kind, account id, line, currency, amount
    (and the comparison's amount and difference when ``other_label`` names it, the share
    of a spending line when asked). Text cells are neutralised; amounts are plain numbers."""
    writer = csv.writer(out, lineterminator="\r\n")
    header = ["section", "kind", "account_id", "line", "currency", "amount"]
    if other_label:
        header += [neutralise(other_label), "difference"]
    if with_share:
        header.append("share")
    writer.writerow(header)
    for r in rows:
        cells = [neutralise(r.section), r.kind, neutralise(r.account_id or ""),
                 neutralise(r.name), r.currency, decimal_string(r.amount, r.currency)]  # fmt: skip
        if other_label:
            cells += [
                "" if r.other is None else decimal_string(r.other, r.currency),
                "" if r.difference is None else decimal_string(r.difference, r.currency),
            ]
        if with_share:
            cells.append("" if r.share is None else str(r.share))
        writer.writerow(cells)
