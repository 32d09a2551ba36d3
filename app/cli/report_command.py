"""``tallybook-cli report``: a report on both time axes, as one JSON object."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import Any

from app.cli.book_files import open_readable
from app.cli.output import complain, emit
from domain.model.money import decimal_string
from domain.projections import reports
from domain.projections.reports import Report


class _BadArguments(Exception):
    pass


def known_at_position(text: str | None, head: int, position_at: Any) -> int:
    """``--known-at``: a position 0..head, or an ISO date-time (naive: UTC; a bare date: the
    end of that day) mapped to the last event recorded at or before it."""
    if text is None:
        return head
    if text.strip().isdigit():
        position = int(text)
        if position > head:
            raise _BadArguments(f"--known-at {position} is outside 0..{head}")
        return position
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        raise _BadArguments(
            f"--known-at must be a position or an ISO date-time, got {text!r}"
        ) from None
    if len(text.strip()) == 10:  # a bare date: as known at the end of that day
        when = when.replace(hour=23, minute=59, second=59, microsecond=999_999)
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return int(position_at(when))


def _dates(args: argparse.Namespace) -> tuple[dt.date | None, dt.date]:
    if args.kind == "balance-sheet":
        if args.first is not None or args.last is not None:
            raise _BadArguments("balance-sheet takes --date, not --from/--to")
        return None, args.date or dt.date.today()
    if args.date is not None:
        raise _BadArguments(f"{args.kind} takes --from/--to, not --date")
    last = args.last or dt.date.today()
    first = args.first or dt.date(last.year, 1, 1)
    if first > last:
        raise _BadArguments(f"--from {first} is after --to {last}")
    return first, last


def _options(args: argparse.Namespace, book: Any) -> dict[str, Any]:
    """``--step`` and ``--account`` (an id or a name) as ``reports.report`` takes them."""
    options: dict[str, Any] = {}
    if args.step is not None:
        options["step"] = args.step
    if args.account is not None:
        from domain.projections.history_filter import find_account

        accounts = book.read_models.accounts()
        account_id = find_account(accounts, args.account)
        if account_id is None:
            raise _BadArguments(f"--account {args.account!r}: no account has this id or name")
        if not any(a.account_id == account_id and a.account_type.value == "asset"
                   for a in accounts):  # fmt: skip
            raise _BadArguments(f"--account {args.account!r} is not an asset account")
        options["account_id"] = account_id
    return options


def _money(amount: int, currency: str) -> str:
    return decimal_string(amount, currency)


def report_json(report: Report) -> dict[str, Any]:
    """The report's sections, lines, totals and checks with decimal-string amounts."""
    sections = []
    for section in report.sections:
        lines = []
        for line in section.lines:
            item: dict[str, Any] = {
                "id": line.account_id,
                "name": line.name,
                "currency": line.currency,
                "amount": _money(line.amount, line.currency),
            }
            if line.account_id is not None:  # where it sits, and what rolls up into it
                item["parent_id"] = line.parent_id
                item["depth"] = line.depth
                item["total"] = _money(line.rolled, line.currency)
            if report.kind == "spending":
                total = section.totals.get(line.currency, 0)
                item["share"] = str(reports.share(line.amount, total))
            lines.append(item)
        totals = {c: _money(a, c) for c, a in sorted(section.totals.items())}
        sections.append({"name": section.name, "lines": lines, "totals": totals})
    out: dict[str, Any] = {"known_at": report.known_at, "sections": sections}
    if report.checks or report.kind in ("balance-sheet", "income-statement"):
        out["checks"] = {c: _money(a, c) for c, a in report.checks.items()}
    if report.kind == "balance-sheet":
        out["balanced"] = all(a == 0 for a in report.checks.values())
    return out


def difference(then: Report, now: Report) -> list[dict[str, Any]]:
    """Every line whose amount differs between the two, with both amounts."""
    before, after = then.figures(), now.figures()
    names = {
        line.account_id: line.name for r in (then, now) for s in r.sections for line in s.lines
    }
    rows = []
    for key in sorted(set(before) | set(after), key=lambda k: tuple(str(x) for x in k)):
        old, new = before.get(key, 0), after.get(key, 0)
        if old != new:
            section, account_id, name, currency = key
            rows.append({
                "section": section, "id": account_id, "name": name or names[account_id],
                "currency": currency, "then": _money(old, currency),
                "now": _money(new, currency), "difference": _money(new - old, currency),
            })  # fmt: skip
    return rows


def cmd_report(args: argparse.Namespace) -> int:
    try:
        first, last = _dates(args)
        if args.compare_previous and args.kind != "income-statement":
            raise _BadArguments("--compare-previous is for income-statement only")
        if args.step is not None and args.kind != "net-worth":
            raise _BadArguments("--step is for net-worth only")
        if args.account is not None and args.kind != "cash-flow":
            raise _BadArguments("--account is for cash-flow only")
    except _BadArguments as exc:
        complain(str(exc))
        return 1
    book = open_readable(args.book)
    try:
        head = book.store.head()[0]
        try:
            p = known_at_position(args.known_at, head, book.store.position_at)
            options = _options(args, book)
        except _BadArguments as exc:
            complain(str(exc))
            return 1
        with book.read_models.querying(p) as (conn, known_at):
            prior = now = None
            try:
                then = reports.report(conn, args.kind, known_at, first, last, **options)
            except ValueError as exc:  # the account is no asset account as known then
                complain(f"--account {args.account!r}: {exc}")
                return 1
            out: dict[str, Any] = {"kind": args.kind, "head": head}
            if first is None:
                out["date"] = last.isoformat()
            else:
                out["from"], out["to"] = first.isoformat(), last.isoformat()
            if args.kind == "net-worth":
                out["step"] = then.step
            if args.kind == "cash-flow":
                out["account"] = then.account_id
            out.update(report_json(then))
            if args.compare_previous and first is not None:
                before = reports.previous_period(first, last)
                prior = reports.income_statement(conn, known_at, *before)
                out["previous"] = {"from": before[0].isoformat(), "to": before[1].isoformat()}
                out["previous"].update(report_json(prior))
                out["previous"]["difference"] = difference(prior, then)
            if args.compare_now:
                now = reports.report(conn, args.kind, head, first, last, **options)
                changes, total = reports.changes(conn, then, head)
                out["now"] = report_json(now)
                out["difference"] = difference(then, now)
                out["changes"] = [{"position": pos, "type": kind} for pos, kind in changes]
                out["changes_total"] = total
            if args.csv:
                _write_csv(then, prior if args.compare_previous else None,
                           now if args.compare_now else None)  # fmt: skip
                return 0
    finally:
        book.close()
    emit(sys.stdout, out)
    return 0


def _write_csv(then: Report, prior: Report | None, now: Report | None) -> None:
    """``--csv``: the report's rows (with the figures now, else the previous period's)."""
    from domain.projections.report_table import table_rows, write_csv

    other, label = (now, "now") if now is not None else (prior, "previous period")
    rows = table_rows(then, other, other_is_now=now is not None)
    write_csv(rows, sys.stdout, other_label=label if other is not None else "",
              with_share=then.kind == "spending")  # fmt: skip
