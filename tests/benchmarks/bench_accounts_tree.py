"""The accounts tree on a timeline move: ``AccountsModel.set_as_of`` with ACCOUNTS accounts
in a hierarchy (each account under a random earlier one of its type, a third at the top).

    python tests/benchmarks/bench_accounts_tree.py [ACCOUNTS ...]

For each size: a book with the accounts and 20 entries per account, then 100 random
positions: the whole ``set_as_of`` (read models' answer, tree, sync) and the tree and sync
alone (the accounts already read), median and p95 in ms. Prints one JSON object per size.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtWidgets import QApplication

from app.composition import Book
from app.models.accounts import AccountsModel
from app.models.sources import AccountRow
from domain.model.commands import Command, OpenAccount, Withdraw
from domain.model.events import AccountType

DAY = dt.date(2024, 1, 1)


class Fixed:
    """An accounts source answering with rows already read: the tree and the sync alone."""

    def __init__(self, rows: list[AccountRow]) -> None:
        self.rows = rows

    def accounts(self, as_of: int | None = None) -> list[AccountRow]:
        return self.rows


def commands(count: int, rng: random.Random) -> list[Command]:
    checking = OpenAccount(name="Checking", account_type=AccountType.ASSET, currency="EUR",
                           opening_date=DAY)  # fmt: skip
    out: list[Command] = [checking]
    expenses: list[str] = []
    for n in range(count - 1):
        parent = rng.choice(expenses) if expenses and rng.random() > 0.33 else ""
        opened = OpenAccount(name=f"Expense {n}", account_type=AccountType.EXPENSE,
                             currency="EUR", opening_date=DAY, parent_id=parent)  # fmt: skip
        out.append(opened)
        expenses.append(opened.account_id)
    for n in range(20 * count):
        out.append(Withdraw(account_id=checking.account_id, expense_account_id=rng.choice(expenses),
                            amount=Decimal(rng.randint(1, 9999)) / 100,
                            booking_date=DAY + dt.timedelta(days=n % 365)))  # fmt: skip
    return out


def ms(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {"median": round(statistics.median(ordered) * 1000, 2),
            "p95": round(ordered[int(len(ordered) * 0.95) - 1] * 1000, 2)}  # fmt: skip


def measure(count: int) -> dict[str, object]:
    rng = random.Random(count)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "tree.tallybook"
        with Book.open(path, create_if_missing=True) as book:
            book.service.execute_batch(commands(count, rng))
            head = book.store.head()[0]
            model = AccountsModel(book.read_models)
            whole, alone = [], []
            fixed = AccountsModel(Fixed([]))
            for _ in range(100):
                position = rng.randint(1, head)
                start = time.perf_counter()
                model.set_as_of(position)
                whole.append(time.perf_counter() - start)
                fixed._source = Fixed(book.read_models.accounts(rng.randint(1, head)))  # type: ignore[assignment]
                start = time.perf_counter()
                fixed.reload()
                alone.append(time.perf_counter() - start)
    return {"accounts": count, "events": head, "set_as_of_ms": ms(whole),
            "tree_and_sync_ms": ms(alone)}  # fmt: skip


def main() -> None:
    QApplication.instance() or QApplication([])
    for count in [int(a) for a in sys.argv[1:]] or [40, 500]:
        print(json.dumps(measure(count)), flush=True)


if __name__ == "__main__":
    main()
