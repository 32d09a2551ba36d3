"""``tallybook --self-test``: prove an installation works end to end, without a display.

It creates a temporary book, builds the real main window through the launcher
(:class:`app.desktop.launcher.Launcher`), posts an entry through the controller, moves the
timeline back and returns to the present, verifies the hash chain, checks the per-book lock
and the raise handshake, prints one JSON line and exits 0 — or prints
``{"ok": false, "error": ...}`` and exits 1. The platform is ``offscreen`` unless
``QT_QPA_PLATFORM`` says otherwise.

As soon as the window is on screen it prints ``SELFTEST window-shown``, so that
``packaging/smoke.py`` can time start-up from outside the process. ``TALLYBOOK_SELFTEST_OUT``
names a file that also receives the JSON (a windowed Windows build has no stdout).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

WINDOW_SHOWN = "SELFTEST window-shown"
_T0 = time.perf_counter()


class SelfTestFailure(Exception):
    """A check of the self-test did not hold."""


def process_age_s() -> float:
    """Seconds since this process started (Linux: from the kernel), else since import."""
    try:
        stat = Path("/proc/self/stat").read_text()
        uptime_seconds = float(Path("/proc/uptime").read_text().split()[0])
    except OSError:
        return time.perf_counter() - _T0
    # Field 22 (starttime, in clock ticks after boot) follows the parenthesised command name.
    start_ticks = int(stat.rsplit(")", 1)[1].split()[19])
    return uptime_seconds - start_ticks / os.sysconf("SC_CLK_TCK")


def check(condition: bool, what: str) -> None:
    if not condition:
        raise SelfTestFailure(what)


def run_self_test(argv: Sequence[str]) -> int:
    """Run every check in a fresh ``QApplication``; returns the exit code."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(list(argv[:1]))
    assert isinstance(app, QApplication)
    with tempfile.TemporaryDirectory(prefix="tallybook-selftest-") as tmp:
        try:
            summary = _checks(app, Path(tmp))
        except Exception as exc:  # report any failure as data, with the reason
            summary = {
                "ok": False,
                "error": f"{type(exc).__name__}: {exc}",
                "traceback": traceback.format_exc(limit=8),
            }
    _emit(json.dumps(summary, sort_keys=True))
    return 0 if summary.get("ok") else 1


def _checks(app: Any, tmp: Path) -> dict[str, Any]:
    from PySide6.QtCore import QSettings

    from app.desktop import book_claim, bundle
    from app.desktop.launcher import Launcher
    from app.desktop.settings import AppSettings

    bundle.apply_desktop_identity(app)
    check(not app.windowIcon().isNull(), f"no window icon under {bundle.resources_dir()}")
    path = tmp / "Self-test.tallybook"

    guard = book_claim.BookGuard()
    # A throw-away settings file: the self-test must not add to the user's recent books.
    settings = AppSettings(QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat))
    launcher = Launcher(settings, guard=guard)
    try:
        return _window_checks(app, launcher, guard, path)
    finally:
        for open_window in list(launcher.windows.values()):
            open_window.close()  # closes its book too
        app.processEvents()
        guard.release_all()


def _window_checks(app: Any, launcher: Any, guard: Any, path: Path) -> dict[str, Any]:
    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import qVersion

    from app import maintenance
    from app.desktop import book_claim, bundle
    from app.desktop.book_session import BookSession
    from domain.model.commands import Deposit, OpenAccount
    from domain.model.events import AccountType

    started = time.perf_counter()
    window = launcher.show_book(path)
    _wait_until(app, window.isVisible, "the main window to be shown")
    app.processEvents()  # let the first paint through: the window is usable from here
    shown_after = process_age_s()
    _emit(WINDOW_SHOWN)
    window_ms = (time.perf_counter() - started) * 1000

    check(guard.holds(path), "the book was opened without taking its lock")
    session = window.findChild(BookSession)
    check(session is not None, "the window has no book session")
    assert session is not None
    today = dt.date.today()
    checking = OpenAccount(name="Checking", account_type=AccountType.ASSET, currency="EUR",
                           opening_balance=Decimal("100.00"), opening_date=today)  # fmt: skip
    salary = OpenAccount(name="Salary", account_type=AccountType.INCOME, currency="EUR",
                         opening_date=today)  # fmt: skip
    deposit = Deposit(account_id=checking.account_id, income_account_id=salary.account_id,
                      amount=Decimal("42.50"), booking_date=today, payee="Self-test")  # fmt: skip
    for command in (checking, salary, deposit):
        check(session.controller.execute(command), f"the controller refused {command!r}")
    app.processEvents()

    def balance() -> int | None:
        rows = {row.account_id: row for row in session.accounts.accounts()}
        row = rows.get(checking.account_id)
        return None if row is None else row.balance

    travel = session.travel
    head = travel.head
    # Checking, Opening Balances and the opening balance's entry, Salary, the deposit
    check(head == 5, f"expected 5 events, the timeline's head is {head}")
    check(balance() == 14250, f"Checking shows {balance()} minor units, not 14250")
    shown = session.accounts.index_of_account(checking.account_id).isValid()
    check(shown, "Checking is not in the view")

    travel.move_to(3)  # just after Checking's opening balance: no Salary, no deposit yet
    app.processEvents()
    check(not travel.in_present and session.accounts.as_of == 3, "the timeline did not move")
    check(balance() == 10000, f"as of #3 Checking shows {balance()}, not 10000")
    names = {row.name for row in session.accounts.accounts()}
    check("Salary" not in names, "as of #3 Salary should not exist yet")
    travel.return_to_present()
    app.processEvents()
    check(travel.in_present and balance() == 14250, "returning to the present failed")

    report = maintenance.verify(session.book.path)
    check(report.ok and report.head_position == head, f"integrity check failed: {report}")
    # a bundled C walk that cannot load (a library it links missing) would go unnoticed:
    # verify falls back to Python
    walk_built, walk_loads = maintenance.c_walk()
    check(walk_loads or not walk_built, "the C walk of the hash chain is there but cannot load")

    # A second launch on this book must be told to stand down (and raise this window).
    second = book_claim.claim_book(path, raise_timeout_ms=3000)
    check(second.mode is book_claim.ClaimMode.RAISED, f"a second launch got {second.mode}")
    return {
        "ok": True,
        "events": head,
        "balance_minor": 14250,
        "head_hash": report.head_hash,
        "window_shown_s": round(shown_after, 3),
        "window_build_ms": round(window_ms, 1),
        "platform": app.platformName(),
        "qt": qVersion(),
        "pyside": pyside_version,
        "python": sys.version.split()[0],
        "frozen": bundle.is_frozen(),
        "c_walk": walk_loads,
    }


def _wait_until(app: Any, condition: Callable[[], bool], what: str, timeout_s: float = 10) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise SelfTestFailure(f"timed out waiting for {what}")
        app.processEvents()


def _emit(line: str) -> None:
    if sys.stdout is not None:  # None in a windowed Windows build
        print(line, flush=True)
    out = os.environ.get("TALLYBOOK_SELFTEST_OUT")
    if out:
        with open(out, "a", encoding="utf-8") as file:
            file.write(line + "\n")
