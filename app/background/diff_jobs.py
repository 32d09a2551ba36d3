"""The diff of two moments for the desktop app, computed off the GUI thread.

:class:`DiffSource` answers the Diff window: every account's balance at two moments (fast:
the read models' balances at each), and, for one account at a time, the register rows one
moment counts and the other not, which sum to that account's difference. Each call opens
the book read-only in the calling thread (SQLite connections never cross threads).
"""

from __future__ import annotations

import itertools
from array import array
from dataclasses import dataclass
from pathlib import Path

from app.composition import Book
from app.formatting import babel_locale_name, money_text
from app.models.history import event_text
from domain.model.events import AccountType
from domain.projections.diff import DiffColumns, Moment, diff_balances, diff_columns
from domain.projections.rows import PATH_SEPARATOR, account_paths

FIRST_SCREEN = 40  # lines described in the worker: about what a lines table first shows


@dataclass(frozen=True, slots=True)
class DiffAccount:
    """One account's balances (natural sign, minor units) at the two moments."""

    account_id: str
    path: str  # "Expenses ▸ Car ▸ Fuel", names as at the second moment
    account_type: AccountType
    currency: str
    acct: int  # the read models' number of the account: what its lines are asked by
    before: int
    after: int

    @property
    def difference(self) -> int:
        return self.after - self.before


@dataclass(frozen=True, slots=True)
class DiffResult:
    first: Moment
    second: Moment
    accounts: list[DiffAccount]
    head: int  # the book's head when computed


@dataclass(frozen=True, slots=True)
class LinesResult:
    """The lines of one account between the two moments, in (booking date, position)."""

    first: Moment
    second: Moment
    account_id: str
    lines: DiffColumns
    running: array[int]  # the sum of the lines up to each (the last: the difference)
    described: dict[int, str]  # position -> its event's text, for the first screenful


def clamp(moment: Moment, head: int) -> Moment:
    return Moment(max(0, min(moment.position, head)), moment.day)


class DiffSource:
    """Diffs the book at ``path``."""

    def __init__(self, path: Path) -> None:
        self._path = path

    def balances(self, first: Moment, second: Moment) -> DiffResult:
        with (
            Book.open(self._path, readonly=True) as book,
            book.read_models.querying() as (conn, head),
        ):
            first, second = clamp(first, head), clamp(second, head)
            diffs = diff_balances(conn, first, second)
        paths = account_paths([d.account for d in diffs])
        accounts = [
            DiffAccount(d.account.account_id, PATH_SEPARATOR.join(paths[d.account.account_id]),
                        d.account.account_type, d.account.currency, d.account.opened_position,
                        d.before, d.after)
            for d in diffs
        ]  # fmt: skip
        return DiffResult(first, second, accounts, head)

    def lines(self, first: Moment, second: Moment, account: DiffAccount) -> LinesResult:
        with Book.open(self._path, readonly=True) as book:
            with book.read_models.querying() as (conn, _head):
                found = diff_columns(conn, first, second, account.acct)
            # summed, and the first screenful described and formatted, here rather than in
            # the GUI thread: a long span has a line per entry, each event is read on its own
            running = array("q", itertools.accumulate(found.amounts))
            locale, described = babel_locale_name(), {}
            for index in range(min(len(found), FIRST_SCREEN)):
                line, total = found.line(index), running[index]
                row = (
                    None
                    if line.opening
                    else book.read_models.history_row(line.position, locale=locale)
                )
                if row is not None:
                    described[line.position] = event_text(row)
                for amount in (line.amount, total):  # warms money_text's cache
                    money_text(amount, account.currency)
        return LinesResult(first, second, account.account_id, found, running, described)
