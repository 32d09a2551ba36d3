"""A shared book's live updates: from another client's commit to the window's models.

    python tests/benchmarks/bench_live.py [COMMITS] [ACCOUNTS]

Starts a throwaway PostgreSQL server (tests/pg_server.py, Unix socket), opens the real main
window on a shared book (offscreen), and lets a second client commit deposits one by one.
Times from the moment the other client's commit returns to the moment the window's history
model has the row (target: within a second), and the longest the GUI thread was busy in one
go meanwhile (the catch-up runs there; target: under 100 ms). Prints JSON.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TALLYBOOK_READ_MODELS_DIR", tempfile.mkdtemp(prefix="tb-live-"))

import pg_server  # noqa: E402
from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app.composition import Book  # noqa: E402
from app.desktop.book_session import BookSession  # noqa: E402
from app.desktop.launcher import Launcher  # noqa: E402
from app.desktop.settings import AppSettings  # noqa: E402
from app.sample_data import generate_commands  # noqa: E402
from domain.model.commands import Deposit  # noqa: E402
from domain.model.events import AccountType  # noqa: E402

DAY = dt.date(2024, 6, 1)


def main(commits: int, accounts: int) -> dict[str, object]:
    started = pg_server.start()
    server = next(started)
    if isinstance(server, str):
        raise SystemExit(server)
    try:
        address = server.new_database() + "&book=club"
        with Book.open(address, create_if_missing=True) as book:
            book.service.execute_batch(list(generate_commands(accounts, 200, seed=5)))
            book.catch_up()  # a shared book projects its local copy on demand
            rows = book.read_models.accounts()
        eur = [a for a in rows if a.currency == "EUR" and not a.closed]
        asset = next(a for a in eur if a.account_type is AccountType.ASSET).account_id
        income = next(a for a in eur if a.account_type is AccountType.INCOME).account_id
        app = QApplication.instance() or QApplication([])
        ini = Path(tempfile.mkdtemp()) / "settings.ini"
        launcher = Launcher(AppSettings(QSettings(str(ini), QSettings.Format.IniFormat)))
        window = launcher.show_shared(address)
        session = window.findChild(BookSession)
        assert session is not None
        deadline = time.perf_counter() + 5
        while time.perf_counter() < deadline:  # the listener's first connect and catch-up
            app.processEvents()
        times: list[float] = []
        longest = 0.0
        with Book.open(address) as other:
            for n in range(commits):
                before = session.history.rowCount()
                other.service.execute(Deposit(
                    account_id=asset, income_account_id=income, amount=Decimal("1.00"),
                    booking_date=DAY, payee=f"Live {n}",
                ))  # fmt: skip
                committed = time.perf_counter()
                while session.history.rowCount() == before:
                    step = time.perf_counter()
                    app.processEvents()  # the catch-up runs in here, in the GUI thread
                    longest = max(longest, time.perf_counter() - step)
                    if time.perf_counter() - committed > 5:
                        raise SystemExit(f"commit {n} not in the window after 5 s")
                times.append((time.perf_counter() - committed) * 1000)
        window.close()
        times.sort()
        return {
            "commits": commits,
            "events_in_book": session.travel.head,
            "commit_to_window_ms": {
                "median": round(statistics.median(times), 1),
                "p95": round(times[int(len(times) * 0.95) - 1], 1),
                "max": round(times[-1], 1),
            },
            "target_ms": 1000,
            "longest_gui_thread_step_ms": round(longest * 1000, 1),
        }
    finally:
        for _ in started:
            pass


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:]]
    print(json.dumps(main(*(args + [100, 8][len(args) :])), indent=2))
