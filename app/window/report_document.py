"""A computed report as a printable document: PDF export and Print… share one layout.

The page names the book, the report and its period, the "known at" event with its hash and
the book's head with its hash, so a printed report can later be proven against the book
(``tallybook-cli verify --expect-head``, and ``report --known-at``).
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QWidget

from app.background.report_jobs import ReportResult
from app.formatting import date_text, money_text
from app.models.report_rows import share_text, shown_rows

TITLES = {
    "balance-sheet": "Balance Sheet",
    "income-statement": "Income Statement",
    "spending": "Spending by Category",
    "cash-flow": "Cash Flow",
    "net-worth": "Net Worth",
}


def period_text(result: ReportResult) -> str:
    """ "on 31/12/2015" or "1/1/2015 – 31/12/2015" in the locale's date format."""
    request = result.request
    if request.first is None:
        return f"on {date_text(request.last)}"
    return f"{date_text(request.first)} – {date_text(request.last)}"


def provenance_text(result: ReportResult) -> str:
    """What the report was computed from: the known-at event and the head, with hashes."""
    known = f"as known at event #{result.known_at}"
    if result.known_at_hash:
        known += f" (hash {result.known_at_hash})"
    return f"{known}; book head #{result.head}, hash {result.head_hash}"


def status_text(result: ReportResult) -> str:
    """The Reports window's status line: the period and the known-at event."""
    known = f"Known at event #{result.known_at} of {result.head}"
    if result.request.recorded_by is not None:
        known += f" (the last recorded up to {result.request.recorded_by:%Y-%m-%d %H:%M} UTC)"
    if result.known_at_hash:
        known += f", hash {result.known_at_hash[:12]}…"
    if result.known_at >= result.head:
        known += " (now)"
    return f"{period_text(result).capitalize()} · {known}"


def report_html(result: ReportResult, book_name: str) -> str:
    """The report as simple HTML that QTextDocument lays out (a table with a header)."""
    e = html.escape
    title = TITLES.get(result.request.kind, result.request.kind)
    compared = bool(result.other_label)
    shares = result.request.kind == "spending"
    heads = ["Line", "Currency", "Known then" if result.request.now else "Amount"]
    if compared:
        heads += [result.other_label, "Difference"]
    if shares:
        heads.append("Share")
    parts = [
        f"<h2>{e(book_name)} — {e(title)}</h2>",
        f"<p>{e(period_text(result))}</p>",
        f"<p style='font-size:8pt'>{e(provenance_text(result))}</p>",
        "<table width='100%' cellspacing='0' cellpadding='3' border='0'><tr>",
        *(f"<th align='{'left' if i < 2 else 'right'}'>{e(h)}</th>" for i, h in enumerate(heads)),
        "</tr>",
    ]
    for shown in shown_rows(result.rows):
        r = shown.row
        if r is None:
            parts.append(f"<tr><td colspan='{len(heads)}'><b>{e(shown.heading)}</b></td></tr>")
            continue
        cells = [r.indented_name, r.currency, money_text(r.amount, r.currency)]
        if compared:
            cells += [
                "" if v is None else money_text(v, r.currency) for v in (r.other, r.difference)
            ]
        if shares:
            cells.append("" if r.share is None else share_text(r.share))
        weight = "" if r.kind == "line" else " style='font-weight:bold'"
        parts.append(f"<tr{weight}>" + "".join(
            f"<td align='{'left' if i < 2 else 'right'}'>{e(c)}</td>" for i, c in enumerate(cells)
        ) + "</tr>")  # fmt: skip
    parts.append("</table>")
    if result.request.now:
        parts.append(
            f"<p>{result.changes_total} later event(s) changed these figures: "
            + e(", ".join(f"#{p} {kind}" for p, kind in result.changes))
            + "</p>"
        )
    return "".join(parts)


def report_document(result: ReportResult, book_name: str) -> QTextDocument:
    document = QTextDocument()
    document.setHtml(report_html(result, book_name))
    return document


def export_pdf(result: ReportResult, book_name: str, path: Path) -> None:
    """Write the report as an A4 PDF at ``path``."""
    writer = QPdfWriter(str(path))
    margins = QMarginsF(15, 15, 15, 15)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                     QPageLayout.Orientation.Portrait, margins,
                                     QPageLayout.Unit.Millimeter))  # fmt: skip
    writer.setTitle(f"{book_name} — {TITLES.get(result.request.kind, '')}")
    writer.setCreator("Tallybook")
    report_document(result, book_name).print_(writer)


def print_report(result: ReportResult, book_name: str, parent: QWidget) -> bool:
    """Print through the platform's print dialog; False if the user cancelled it."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintDialog(printer, parent)
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return False
    report_document(result, book_name).print_(printer)
    return True
