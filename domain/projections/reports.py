"""Reports on both time axes: what was true on a booking date (or in a period) as known at
an event position.

Every report is a list of sections of lines with per-currency totals, amounts in minor units
in each account's natural sign (assets and expenses positive when debited, the others when
credited). Accounts under a parent roll up into it: a section's account lines come in tree
order (each parent before the lines below it, ``depth`` their level) and a line's ``total`` is
its own amount plus those below it in its currency; a section's totals add own amounts only.
``p`` is the "known at" position; dates are ``datetime.date``. Figures come from the read
models' register rows (see ``report_queries``), never from a replay.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection

from domain.projections import report_queries as rq
from domain.projections import report_sums as rs
from domain.projections.tables import day_number

KINDS = ("balance-sheet", "income-statement", "spending", "cash-flow", "net-worth")
RESULT = "Current result (income - expenses)"
"""The equity line of a balance sheet that carries income less expenses up to its date."""


@dataclass(frozen=True, slots=True)
class Line:
    """One figure: an account's (``account_id`` set) or a computed one."""

    account_id: str | None
    name: str
    currency: str
    amount: int
    parent_id: str = ""  # the account's parent ("" at the top)
    depth: int = 0  # its level in the section's tree
    total: int | None = None  # amount plus the lines below it; None: no line is below it

    @property
    def rolled(self) -> int:
        """The amount with what rolls up into it."""
        return self.amount if self.total is None else self.total


@dataclass(slots=True)
class Section:
    """Lines under one heading, with their total per currency."""

    name: str
    lines: list[Line] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)

    def add(self, line: Line) -> None:
        self.lines.append(line)
        self.totals[line.currency] = self.totals.get(line.currency, 0) + line.amount


@dataclass(slots=True)
class Report:
    """A computed report; ``checks`` holds per-currency figures that must be zero (or not)."""

    kind: str
    known_at: int
    first: dt.date | None
    last: dt.date
    sections: list[Section]
    checks: dict[str, int] = field(default_factory=dict)
    step: str = "month"  # net worth's points: "month" ends or each "day"
    account_id: str | None = None  # cash flow of this asset account alone; None: all

    def figures(self) -> dict[tuple[str, str | None, str, str], int]:
        """Every line keyed (section, account id, name, currency), for comparisons."""
        return {
            (s.name, line.account_id, line.name if line.account_id is None else "", line.currency):
            line.amount
            for s in self.sections
            for line in s.lines
        }  # fmt: skip


def rolled_up(lines: Iterable[Line], order: Callable[[Line], Any] | None = None) -> list[Line]:
    """``lines`` in tree order: each account line under the nearest of its parents (by
    ``parent_id``) among the lines of its currency, with its depth and total. Siblings keep
    their order, or are sorted by ``order`` (given the lines with their totals)."""
    given = list(lines)
    parents = {line.account_id: line.parent_id for line in given if line.account_id}
    keyed = {(line.account_id, line.currency): line for line in given if line.account_id}
    children: dict[tuple[str, str] | None, list[Line]] = defaultdict(list)
    for line in given:
        above = parents.get(line.account_id, "") if line.account_id else ""
        seen: set[str] = set()
        while above and (above, line.currency) not in keyed and above not in seen:
            seen.add(above)  # seen: a book written around the parent rules
            above = parents.get(above, "")
        key = (above, line.currency) if above and (above, line.currency) in keyed else None
        children[key].append(line)
    totals: dict[tuple[str, str], int] = {}

    def total(line: Line) -> int:  # own amount plus everything below, computed once
        key = (line.account_id or "", line.currency)
        if key not in totals:
            below = children.get(key, []) if line.account_id else []
            totals[key] = line.amount + sum(total(child) for child in below)
        return totals[key]

    def below(line: Line) -> list[Line]:
        return children.get((line.account_id, line.currency), []) if line.account_id else []

    def rolled(lines: list[Line], depth: int) -> list[Line]:
        out = [replace(n, depth=depth, total=total(n) if below(n) else None) for n in lines]
        return out if order is None else sorted(out, key=order)

    out: list[Line] = []

    def walk(line: Line) -> None:
        out.append(line)
        for child in rolled(below(line), line.depth + 1):
            walk(child)

    for root in rolled(children[None], 0):
        walk(root)
    return out


def share(amount: int, total: int) -> Decimal:
    """``amount`` as a fraction of ``total``, to four decimals (0 for a zero total)."""
    return (
        Decimal(0) if total == 0 else (Decimal(amount) / Decimal(total)).quantize(Decimal("0.0001"))
    )


def _lines(
    conn: Connection, p: int, types: Iterable[str], first: dt.date | None, last: dt.date
) -> list[tuple[str, Line]]:
    """(type, line) of the accounts of ``types``: rows booked first..last, or (first None)
    the balance on ``last``, opening balance included."""
    wanted = set(types)
    accounts = [a for a in rq.accounts(conn, p) if a[2] in wanted]
    to = day_number(last.isoformat())
    acct_keys = [a[5] for a in accounts]
    if first is not None:
        sums = rs.period_sums(conn, p, day_number(first.isoformat()), to, acct_keys)
        return [(a[2], Line(a[0], a[1], a[3], sums.get(a[5], 0), a[7])) for a in accounts]
    # the opening balance and every row up to the date: whole months from the month tables
    moved = rs.period_sums(conn, p, None, to, acct_keys)
    amounts = {a[5]: a[4] + moved.get(a[5], 0) for a in accounts}
    return [(a[2], Line(a[0], a[1], a[3], amounts[a[5]], a[7])) for a in accounts]


def balance_sheet(conn: Connection, p: int, on: dt.date) -> Report:
    """Assets, liabilities and equity on ``on``; income less expenses up to then is the
    equity's "current result" line. ``checks``: assets - liabilities - equity per currency,
    zero when the books balance."""
    names = {"asset": "assets", "liability": "liabilities", "equity": "equity"}
    sections = {kind: Section(name) for kind, name in names.items()}
    result: dict[str, int] = defaultdict(int)
    for kind, line in _lines(conn, p, (*names, "income", "expense"), None, on):
        if kind in sections:
            sections[kind].add(line)
        else:
            result[line.currency] += line.amount if kind == "income" else -line.amount
    for currency in sorted(result):
        sections["equity"].add(Line(None, RESULT, currency, result[currency]))
    for section in sections.values():
        section.lines = rolled_up(section.lines)
    report = Report("balance-sheet", p, None, on, list(sections.values()))
    currencies = {c for s in report.sections for c in s.totals}
    report.checks = {
        c: sections["asset"].totals.get(c, 0)
        - sections["liability"].totals.get(c, 0)
        - sections["equity"].totals.get(c, 0)
        for c in sorted(currencies)
    }
    return report


def income_statement(conn: Connection, p: int, first: dt.date, last: dt.date) -> Report:
    """Income and expenses booked first..last; ``checks``: the net result per currency."""
    income, expenses = Section("income"), Section("expenses")
    for kind, line in _lines(conn, p, ("income", "expense"), first, last):
        (income if kind == "income" else expenses).add(line)
    income.lines, expenses.lines = rolled_up(income.lines), rolled_up(expenses.lines)
    report = Report("income-statement", p, first, last, [income, expenses])
    currencies = sorted(set(income.totals) | set(expenses.totals))
    report.checks = {c: income.totals.get(c, 0) - expenses.totals.get(c, 0) for c in currencies}
    return report


def previous_period(first: dt.date, last: dt.date) -> tuple[dt.date, dt.date]:
    """The period of the same length just before first..last."""
    length = last - first
    return first - length - dt.timedelta(days=1), first - dt.timedelta(days=1)


def spending(conn: Connection, p: int, first: dt.date, last: dt.date) -> Report:
    """Expenses by category booked first..last, largest first (shares: see :func:`share`)."""
    section = Section("expenses")
    lines = [line for _, line in _lines(conn, p, ("expense",), first, last)]
    for line in rolled_up(lines, order=lambda line: (line.currency, -line.rolled, line.name)):
        section.add(line)
    return Report("spending", p, first, last, [section])


def _months(first: dt.date, last: dt.date) -> list[int]:
    months, (year, month) = [], (first.year, first.month)
    while (year, month) <= (last.year, last.month):
        months.append(year * 100 + month)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def cash_flow(
    conn: Connection, p: int, first: dt.date, last: dt.date, account_id: str | None = None
) -> Report:
    """Per month of first..last and currency: money into the asset accounts, out of them
    (negative) and net. Transfers among asset accounts of one currency are neither. With
    ``account_id``, that one asset account's: a transfer to another is money out of it."""
    assets = [a for a in rq.accounts(conn, p) if a[2] == "asset"]
    if account_id is not None:
        assets = [a for a in assets if a[0] == account_id]
        if not assets:
            raise ValueError(f"no asset account {account_id} as known at event {p}")
    flows = rq.asset_flows(
        conn, p, day_number(first.isoformat()), day_number(last.isoformat()), [a[5] for a in assets]
    )
    currencies = sorted({c for _, c in flows} | {a[3] for a in assets})
    sections = []
    for month in _months(first, last):
        section = Section(f"{month // 100:04d}-{month % 100:02d}")
        for currency in currencies:
            money_in, money_out = flows.get((month, currency), (0, 0))
            section.add(Line(None, "in", currency, money_in))
            section.add(Line(None, "out", currency, money_out))
        sections.append(section)
    return Report("cash-flow", p, first, last, sections, account_id=account_id)


def _month_end(month: int) -> dt.date:
    year, number = divmod(month, 100)
    following = dt.date(year + number // 12, number % 12 + 1, 1)
    return following - dt.timedelta(days=1)


STEPS = ("month", "day")
"""Net worth's points: month ends or days."""


def net_worth(
    conn: Connection, p: int, first: dt.date, last: dt.date, step: str = "month"
) -> Report:
    """Assets and liabilities (negative) at the end of each month of first..last (the last
    point on ``last`` itself), or (``step`` "day") on each day; a section's total is the net
    worth per currency."""
    if step not in STEPS:
        raise ValueError(f"net worth steps by {' or '.join(STEPS)}, not {step!r}")
    start = dt.date(first.year, first.month, 1) if step == "month" else first
    # the balances the day before the first point, then each point's sums added on
    before = _lines(conn, p, ("asset", "liability"), None, start - dt.timedelta(days=1))
    base = {line.account_id: line.amount for _, line in before}
    accounts = [a for a in rq.accounts(conn, p) if a[2] in ("asset", "liability")]
    keys = [a[5] for a in accounts]
    moved: dict[tuple[int, int], int]
    if step == "month":
        moved = rs.month_sums(conn, p, day_number(start.isoformat()),
                              day_number(last.isoformat()), keys)  # fmt: skip
        points = [(m, min(_month_end(m), last).isoformat()) for m in _months(first, last)]
    else:
        moved = rs.day_sums(conn, p, start, last, keys)
        points = [(d, f"{d // 10000:04d}-{d // 100 % 100:02d}-{d % 100:02d}")
                  for d in rs.days(start, last)]  # fmt: skip
    running = {a[5]: base[a[0]] for a in accounts}
    sections = []
    for point, name in points:
        section = Section(name)
        totals: dict[tuple[str, str], int] = defaultdict(int)
        for _, _, kind, currency, _, acct, _, _ in accounts:
            running[acct] += moved.get((acct, point), 0)
            label, sign = ("assets", 1) if kind == "asset" else ("liabilities", -1)
            totals[(label, currency)] += sign * running[acct]
        for currency in sorted({c for _, c in totals}):
            section.add(Line(None, "assets", currency, totals[("assets", currency)]))
            section.add(Line(None, "liabilities", currency, totals[("liabilities", currency)]))
        sections.append(section)
    return Report("net-worth", p, first, last, sections, step=step)


def report(
    conn: Connection,
    kind: str,
    p: int,
    first: dt.date | None,
    last: dt.date,
    *,
    step: str = "month",
    account_id: str | None = None,
) -> Report:
    """The report of ``kind`` (one of :data:`KINDS`); ``first`` is ignored by balance-sheet
    and required by the others; ``step`` is net worth's, ``account_id`` cash flow's."""
    if kind == "balance-sheet":
        return balance_sheet(conn, p, last)
    if first is None:
        raise ValueError(f"{kind} needs a period")
    if kind == "net-worth":
        return net_worth(conn, p, first, last, step)
    if kind == "cash-flow":
        return cash_flow(conn, p, first, last, account_id)
    builders = {"income-statement": income_statement, "spending": spending}
    return builders[kind](conn, p, first, last)


def changes(
    conn: Connection, then: Report, now: int, limit: int = 1000
) -> tuple[list[tuple[int, str]], int]:
    """The events recorded after ``then.known_at`` up to ``now`` that moved its figures:
    those with register rows booked in its dates (up to ``limit``, and the count of all)."""
    first = (
        None
        if then.first is None or then.kind == "net-worth"
        else day_number(then.first.isoformat())
    )
    # one account's cash flow moves with that account's rows alone
    accts = [a[5] for a in rq.accounts(conn, now) if then.account_id in (None, a[0])]
    last = day_number(then.last.isoformat())
    return rq.changes(conn, then.known_at, now, first, last, accts, limit)
