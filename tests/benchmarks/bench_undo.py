"""Undo and redo on a big book: each kind of command undone and redone, timed.

    python tests/benchmarks/bench_undo.py 10000 1000000 [--repeats R]

On a copy of the cached book of each size (``_common.cached_book``) it opens four accounts of
its own, then per kind of command (deposit, withdrawal, transfer, split, void, correction,
open, rename, close, reconcile; and a withdrawal between the generated book's two busiest
accounts) records one (untimed) and times what Edit ▸ Undo does: ask the
stacks (``BookService.undo_stacks``) and execute the UndoChange; then the same for Redo; and
the stacks' refresh the menu does after each. Prints one JSON object: per size and kind the
median and p95 in ms over R repeats. Target: undo and redo of any command <= 50 ms on
1,000,000 events; deriving the stacks reads back from the head, never the whole log.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import _common as c

REPEATS = 15
DAY = dt.date(2030, 1, 1)  # after the generated book's dates


def _repeats() -> int:
    if "--repeats" in sys.argv:
        at = sys.argv.index("--repeats")
        value = int(sys.argv[at + 1])
        del sys.argv[at : at + 2]
        return value
    return REPEATS


def measure_undo(size: int, repeats: int | None = None) -> dict[str, Any]:
    from app.composition import Book
    from domain.model.commands import (
        CloseAccount,
        Command,
        CorrectEntry,
        Deposit,
        OpenAccount,
        PostSplitEntry,
        Reconcile,
        RedoChange,
        RenameAccount,
        SplitLine,
        Transfer,
        UndoChange,
        VoidEntry,
        Withdraw,
        new_id,
    )
    from domain.model.events import AccountType

    count = repeats or int(os.environ.get("TALLYBOOK_BENCH_UNDO_REPEATS", REPEATS))
    source, _ = c.cached_book(size)
    with tempfile.TemporaryDirectory() as folder:
        book = Book.open(c.copy_book(source, Path(folder)))
        try:
            service = book.service
            tag = new_id()[-6:]

            def opened(name: str, kind: AccountType, opening: str = "0") -> str:
                command = OpenAccount(name=f"{name} {tag}", account_type=kind, currency="EUR",
                                      opening_balance=Decimal(opening), opening_date=DAY)
                service.execute(command)
                return command.account_id

            chk = opened("Checking", AccountType.ASSET, "100000")
            sav = opened("Savings", AccountType.ASSET)
            food = opened("Food", AccountType.EXPENSE)
            pay = opened("Pay", AccountType.INCOME)

            def spend(entry_id: str = "") -> Withdraw:
                more = {"entry_id": entry_id} if entry_id else {}
                return Withdraw(account_id=chk, expense_account_id=food, amount=Decimal("4.5"),
                                booking_date=DAY, **more)  # type: ignore[arg-type]

            def fresh_entry() -> str:
                command = spend()
                service.execute(command)
                return command.entry_id

            n = 0

            def renamed() -> Command:
                nonlocal n
                n += 1
                return RenameAccount(account_id=sav, new_name=f"Savings {tag} {n}")

            def closable() -> Command:
                account = opened(f"Spare {new_id()[-6:]}", AccountType.ASSET)
                return CloseAccount(account_id=account, closed_on=DAY)

            def reconciled() -> Command:
                entry = fresh_entry()
                cleared = service.account(chk).balance  # every entry in force is ticked
                return Reconcile(account_id=chk, statement_date=DAY,
                                 balance=Decimal(cleared) / 100,
                                 entry_ids=_unreconciled(service, chk, entry))

            busy_asset, busy_expense = _busy_accounts(service)

            kinds: dict[str, Callable[[], Command]] = {
                # on two of the generated book's accounts, with their long streams
                "withdrawal_busy_accounts": lambda: Withdraw(
                    account_id=busy_asset, expense_account_id=busy_expense,
                    amount=Decimal("1.25"), booking_date=DAY),
                "deposit": lambda: Deposit(account_id=chk, income_account_id=pay,
                                           amount=Decimal("10"), booking_date=DAY),
                "withdrawal": spend,
                "transfer": lambda: Transfer(from_account_id=chk, to_account_id=sav,
                                             amount=Decimal("3"), booking_date=DAY),
                "split": lambda: PostSplitEntry(booking_date=DAY, lines=(
                    SplitLine(account_id=chk, amount=Decimal("-6")),
                    SplitLine(account_id=food, amount=Decimal("4")),
                    SplitLine(account_id=sav, amount=Decimal("2")))),
                "void": lambda: VoidEntry(entry_id=fresh_entry(), voided_on=DAY),
                "correction": lambda: CorrectEntry(
                    entry_id=fresh_entry(),
                    replacement=Withdraw(account_id=chk, expense_account_id=food,
                                         amount=Decimal("5.4"), booking_date=DAY)),
                "open_account": lambda: OpenAccount(
                    name=f"New {new_id()[-8:]}", account_type=AccountType.ASSET,
                    currency="EUR", opening_balance=Decimal(50), opening_date=DAY),
                "rename_account": renamed,
                "close_account": closable,
                "reconcile": reconciled,
            }  # fmt: skip
            out: dict[str, Any] = {"events": book.store.head()[0], "repeats": count}
            for kind, make in kinds.items():
                undo_s: list[float] = []
                redo_s: list[float] = []
                refresh_s: list[float] = []
                for _ in range(count):
                    service.execute(make())
                    started = time.perf_counter()
                    step = service.undo_stacks("en_US").undo
                    assert step is not None and not step.refusal, step
                    service.execute(UndoChange(undoes=step.command_id))
                    undo_s.append(time.perf_counter() - started)
                    refresh_s.append(c.timed(lambda: service.undo_stacks("en_US")))
                    started = time.perf_counter()
                    again = service.undo_stacks("en_US").redo
                    assert again is not None and not again.refusal, again
                    service.execute(RedoChange(redoes=again.command_id))
                    redo_s.append(time.perf_counter() - started)
                out[kind] = {
                    "undo": c.latency_ms(undo_s),
                    "redo": c.latency_ms(redo_s),
                    "stacks_refresh": c.latency_ms(refresh_s),
                }
            out["events_after"] = book.store.head()[0]
            return out
        finally:
            book.close()


def _busy_accounts(service: Any) -> tuple[str, str]:
    """The open asset account (overdraft allowed) and expense account of the generated book
    with the most events in their streams."""
    from domain.model.events import AccountType

    best: dict[AccountType, tuple[int, str]] = {}
    for account_id in service.chart().display:
        account = service.account(account_id)
        if account.closed or account.currency != "EUR" or not account.overdraft_allowed:
            continue
        if account.account_type in (AccountType.ASSET, AccountType.EXPENSE):
            found = best.get(account.account_type, (-1, ""))
            best[account.account_type] = max(found, (account.version, account_id))
    return best[AccountType.ASSET][1], best[AccountType.EXPENSE][1]


def _unreconciled(service: Any, account_id: str, newest: str) -> tuple[str, ...]:
    """The account's entries not reconciled yet: those of the book's own accounts opened by
    this run are few, and the newest is always among them."""
    done = service.reconciliation(account_id).entries
    ids = [newest]
    for stored in service.store.read_stream(f"account-{account_id}"):
        entry_id = stored.data.get("entry_id")
        if stored.type == "EntryPosted" and entry_id not in done and entry_id != newest:
            try:
                if not service.entry(entry_id).voided:
                    ids.append(entry_id)
            except Exception:
                continue
    return tuple(ids)


MEASURES = {"undo": measure_undo}

if __name__ == "__main__":
    repeats = _repeats()
    if repeats != REPEATS:
        os.environ["TALLYBOOK_BENCH_UNDO_REPEATS"] = str(repeats)
    c.main_for(__file__, MEASURES, plan=("undo",))
