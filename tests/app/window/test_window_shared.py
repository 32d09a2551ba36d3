"""Shared books (PostgreSQL) in the window: File ▸ Open Shared Book…, Open Recent, live
updates from other clients, an auditor's read-only window, and the server going away."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pg_server as pg_server_module
import pytest
from app_helpers import DAY, balance, household, open_account
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QFileDialog

from app.composition import Book
from app.desktop.book_session import BookSession
from app.desktop.launcher import Launcher
from app.desktop.paths import default_book_path
from app.desktop.settings import AppSettings
from app.dialogs.open_shared import OpenSharedDialog
from app.window.main_window import MainWindow
from domain.application.receipts import Outcome
from domain.model.commands import Command, Deposit
from domain.model.events import AccountType
from tests.app.conftest import MessageBoxes

psycopg = pytest.importorskip("psycopg")

PASSWORD = "Sw0rdf1sh-never-kept"
STATEMENT = Path(__file__).resolve().parents[2] / "data" / "statements" / "app_checking_march.csv"
LIVE_MS = 1000  # another client's commit is in the window within a second


@pytest.fixture
def shared(pg_url: str) -> str:
    """A shared book (``club``) holding the household's six commands."""
    address = f"{pg_url}&book=club"
    with Book.open(address, create_if_missing=True) as book:
        for command in household():
            book.service.execute(command)
    return address


def other_client(address: str, *commands: Command) -> None:
    """Another user's Tallybook (or the CLI) records ``commands`` on the server."""
    with Book.open(address) as book:
        for command in commands:
            book.service.execute(command)


def account_id(address: str, name: str) -> str:
    with Book.open(address) as book:
        return next(a.account_id for a in book.read_models.accounts() if a.name == name)


def deposit(address: str, amount: str) -> Deposit:
    return Deposit(account_id=account_id(address, "Checking"),
                   income_account_id=account_id(address, "Salary"),
                   amount=Decimal(amount), booking_date=DAY, payee="Club")  # fmt: skip


def session_of(window: MainWindow) -> BookSession:
    session = window.findChild(BookSession)
    assert session is not None
    return session


def fill(qtbot: Any, dialog: OpenSharedDialog, **fields: str) -> None:
    for name, text in fields.items():
        field = getattr(dialog, name)
        field.clear()
        qtbot.keyClicks(field, text)


def socket_and_database(pg_url: str) -> tuple[str, str]:
    parts = urlsplit(pg_url)
    return dict(parse_qsl(parts.query))["host"], parts.path.strip("/")


@pytest.fixture
def file_window(make_book: Callable[[list[Command]], Path], launcher: Launcher) -> MainWindow:
    return launcher.show_book(make_book(household()))


def test_open_shared_book_asks_for_the_server_and_never_keeps_the_password(
    shared: str,
    pg_url: str,
    file_window: MainWindow,
    launcher: Launcher,
    settings: AppSettings,
    tmp_path: Path,
    qtbot: Any,
    message_boxes: MessageBoxes,
) -> None:
    dialog = file_window.files.open_shared_book()
    assert dialog.isVisible() and not dialog.open_button.isEnabled()  # no database yet
    socket, database = socket_and_database(pg_url)
    fill(qtbot, dialog, host=socket, database=database, user="postgres", book="Club")
    assert not dialog.open_button.isEnabled()
    assert "lower-case" in dialog.message.text()
    dialog.book.clear()
    qtbot.keyClicks(dialog.book, "club")
    qtbot.keyClicks(dialog.password, PASSWORD)
    assert dialog.open_button.isEnabled() and PASSWORD not in dialog.message.text()
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(launcher.windows) == 2, timeout=10_000)
    window = next(w for w in launcher.windows.values() if w is not file_window)
    assert window.windowTitle() == "club on this computer — Tallybook"
    assert balance(window, "Checking") == "€1,054.50"
    assert window.status.path_label.text().startswith("postgresql://postgres@/")
    assert not window.read_only and window.actions_.deposit.isEnabled()
    # nowhere to be found: settings, menus, titles, messages, the banner
    window.files.fill_recent_menu()
    shown = [w.windowTitle() for w in launcher.windows.values()]
    shown += [a.text() + a.toolTip() + a.statusTip() for a in window.recent_menu.actions()]
    shown += [window.status.path_label.text(), window.status.currentMessage()]
    shown += [window.banner.label.text(), *message_boxes.texts()]
    assert shown and not any(PASSWORD in text for text in shown)
    ini = tmp_path / "settings.ini"  # the settings fixture's file
    on_disk = QSettings(str(ini), QSettings.Format.IniFormat)
    on_disk.sync()  # written out: what a later run (or anyone reading the file) finds
    assert not any(PASSWORD in str(on_disk.value(key)) for key in on_disk.allKeys())
    stored = ini.read_bytes()
    assert b"recent_shared_books" in stored and PASSWORD.encode() not in stored
    assert settings.recent_shared_books() == [f"{pg_url}&book=club"]


def test_test_connection_says_what_it_found_without_blocking(
    shared: str, pg_url: str, file_window: MainWindow, qtbot: Any
) -> None:
    dialog = file_window.files.open_shared_book()
    socket, database = socket_and_database(pg_url)
    fill(qtbot, dialog, host=socket, database=database, user="postgres", book="nobook")
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "no Tallybook book" in dialog.message.text(), timeout=5000)
    fill(qtbot, dialog, book="club")
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == "Connecting…"  # the click returned: the test runs aside
    qtbot.waitUntil(lambda: dialog.message.text().startswith("Connected:"), timeout=5000)
    assert "9 event(s)" in dialog.message.text() and "read and write" in dialog.message.text()
    dialog.reject()


def test_open_recent_lists_a_shared_book_and_reopens_it(
    shared: str, file_window: MainWindow, launcher: Launcher, qtbot: Any
) -> None:
    window = launcher.show_shared(shared)
    window.close()
    QApplication.processEvents()
    assert len(launcher.windows) == 1
    file_window.files.fill_recent_menu()
    menu = file_window.recent_menu.actions()
    (action,) = [a for a in menu if a.text() == "club on this computer"]
    assert action.toolTip() == shared
    action.trigger()
    qtbot.waitUntil(lambda: len(launcher.windows) == 2, timeout=10_000)
    # a second open raises the window instead of opening the book twice
    assert launcher.open_shared_book(shared) and len(launcher.windows) == 2


def test_another_clients_commit_is_in_the_window_within_a_second(
    shared: str, launcher: Launcher, qtbot: Any
) -> None:
    window = launcher.show_shared(shared)
    session = session_of(window)
    assert session.link is not None and session.link.is_running()
    assert not session.watcher.is_running()  # no polling: the server says when
    history_rows = session.history.rowCount()
    assert session.register.account is not None
    assert session.register.account.name == "Checking"  # the first account, selected
    register_rows = session.register.rowCount()
    other_client(shared, deposit(shared, "10.00"))
    qtbot.waitUntil(lambda: balance(window, "Checking") == "€1,064.50", timeout=LIVE_MS)
    qtbot.waitUntil(lambda: session.history.rowCount() == history_rows + 1, timeout=LIVE_MS)
    assert session.register.rowCount() == register_rows + 1
    assert session.travel.head == 10 and window.status.count_label.text().startswith("10")
    other_client(shared, open_account("Dues", AccountType.EXPENSE))
    qtbot.waitUntil(lambda: session.travel.head == 11, timeout=LIVE_MS)
    assert any(row.name == "Dues" for row in session.accounts.accounts())


def test_own_commands_and_others_interleaved_keep_every_row(
    shared: str, launcher: Launcher, qtbot: Any
) -> None:
    window = launcher.show_shared(shared)
    session = session_of(window)
    session.link.stop()  # so the other client's commit is only found by our own command
    other_client(shared, deposit(shared, "1.00"))
    assert session.controller.execute(deposit(shared, "2.00"))
    assert session.travel.head == 11 and session.history.rowCount() == 11
    assert balance(window, "Checking") == "€1,057.50"


def test_the_timeline_stays_in_the_past_while_others_commit(
    shared: str, launcher: Launcher, qtbot: Any
) -> None:
    window = launcher.show_shared(shared)
    session = session_of(window)
    session.travel.move_to(5)
    assert not session.travel.in_present
    other_client(shared, deposit(shared, "10.00"))
    qtbot.waitUntil(lambda: session.travel.head == 10, timeout=LIVE_MS)
    assert session.travel.cursor == 5 and "as of event #5" in window.banner.label.text()
    session.travel.return_to_present()
    assert balance(window, "Checking") == "€1,064.50"


_ROLES = """
CREATE ROLE {p}_auditor LOGIN;
GRANT USAGE ON SCHEMA club TO {p}_auditor;
GRANT SELECT ON ALL TABLES IN SCHEMA club TO {p}_auditor;
"""


def test_an_auditor_gets_a_read_only_window_saying_why(
    shared: str, pg_url: str, launcher: Launcher, qtbot: Any
) -> None:
    prefix = urlsplit(pg_url).path.strip("/")
    with psycopg.connect(pg_url.split("&")[0], autocommit=True) as conn:
        conn.execute(_ROLES.format(p=prefix))
    auditor = shared.replace("postgresql://postgres@", f"postgresql://{prefix}_auditor@")
    assert launcher.open_shared_book(auditor)
    qtbot.waitUntil(lambda: len(launcher.windows) == 1, timeout=10_000)
    (window,) = launcher.windows.values()
    assert window.read_only and window.windowTitle().endswith("(read-only) — Tallybook")
    note = window.banner.label.text()
    assert window.banner.isVisibleTo(window)
    assert f"role {prefix}_auditor may read club on this computer but not write" in note
    assert not any(action.isEnabled() for action in window.actions_.editing)
    other_client(shared, deposit(shared, "10.00"))  # an auditor sees the books live too
    qtbot.waitUntil(lambda: balance(window, "Checking") == "€1,064.50", timeout=LIVE_MS)


@pytest.fixture
def stoppable(pg_server: pg_server_module.PgServer) -> Iterator[pg_server_module.PgServer]:
    yield pg_server
    if pg_server.pg_ctl("status", check=False).returncode != 0:
        pg_server.start()  # the other tests need it back


def test_a_server_out_of_reach_makes_the_window_read_only_until_it_is_back(
    shared: str, stoppable: pg_server_module.PgServer, launcher: Launcher, qtbot: Any
) -> None:
    window = launcher.show_shared(shared)
    session = session_of(window)
    command = deposit(shared, "5.00")
    stoppable.pg_ctl("stop", "-m", "fast", "-w")
    banner = "The server on this computer cannot be reached; retrying…"
    qtbot.waitUntil(lambda: window.banner.label.text().startswith(banner), timeout=5000)
    assert window.banner.label.text().endswith("The book is read-only until it is back.")
    assert window.read_only and not window.actions_.deposit.isEnabled()
    assert window.windowTitle() == "club on this computer (read-only) — Tallybook"
    rejected: list[str] = []
    session.controller.command_rejected.connect(lambda _c, message: rejected.append(message))
    assert not session.controller.execute(command)  # sent anyway: refused, said why
    assert "could not be written" in rejected[0] and "cannot be reached" in rejected[0]
    stoppable.start()
    qtbot.waitUntil(lambda: not window.read_only, timeout=10_000)
    assert not window.banner.isVisibleTo(window) and window.actions_.deposit.isEnabled()
    assert window.windowTitle() == "club on this computer — Tallybook"
    assert session.controller.execute(command)  # the same command id, safe to send again
    assert balance(window, "Checking") == "€1,059.50"
    other_client(shared, deposit(shared, "10.00"))
    qtbot.waitUntil(lambda: balance(window, "Checking") == "€1,069.50", timeout=LIVE_MS)


@pytest.fixture
def password_role(shared: str, pg_url: str, pg_server: pg_server_module.PgServer) -> Iterator[str]:
    """A writer role the server lets in with its password only (scram-sha-256)."""
    role = f"{urlsplit(pg_url).path.strip('/')}_pw"
    hba = pg_server.data_dir / "pg_hba.conf"
    rules = hba.read_text()
    with psycopg.connect(pg_url.split("&")[0], autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {role} LOGIN PASSWORD '{PASSWORD}'")
        conn.execute(f"GRANT USAGE ON SCHEMA club TO {role}")
        conn.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA club TO {role}")
        conn.execute(f"GRANT INSERT ON club.events, club.stream_links, club.commands TO {role}")
        conn.execute(f"GRANT INSERT, UPDATE ON club.snapshots TO {role}")
    hba.write_text(f"local all {role} scram-sha-256\n{rules}")
    pg_server.pg_ctl("reload")
    yield role
    hba.write_text(rules)
    pg_server.pg_ctl("reload")


def test_a_typed_password_opens_the_book_and_is_kept_nowhere(
    password_role: str,
    shared: str,
    pg_url: str,
    file_window: MainWindow,
    launcher: Launcher,
    tmp_path: Path,
    qtbot: Any,
    message_boxes: MessageBoxes,
) -> None:
    socket, database = socket_and_database(pg_url)
    dialog = file_window.files.open_shared_book()
    fill(qtbot, dialog, host=socket, database=database, user=password_role, book="club")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)  # no password: the server says no
    qtbot.waitUntil(lambda: bool(message_boxes.texts("critical")), timeout=10_000)
    (refused,) = message_boxes.texts("critical")
    assert "password" in refused and "type it in File ▸ Open Shared Book…" in refused
    assert "command" not in refused  # there was none: nothing to send again
    dialog = file_window.files.open_shared_book()  # again, with the password
    fill(qtbot, dialog, host=socket, database=database, user=password_role, book="club")
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(launcher.windows) == 2, timeout=10_000)
    window = next(w for w in launcher.windows.values() if w is not file_window)
    session = session_of(window)
    # the listener got in with it too: another client's commit shows, the window stays writable
    other_client(shared, deposit(shared, "10.00"))
    qtbot.waitUntil(lambda: balance(window, "Checking") == "€1,064.50", timeout=LIVE_MS)
    assert not window.read_only
    assert session.controller.execute(deposit(shared, "1.00"))
    with Book.open(shared) as book:  # recorded as the password's role
        assert book.events.events_after(10, 1)[0].metadata["author"].startswith(password_role)
    window.files.fill_recent_menu()
    shown = [w.windowTitle() for w in launcher.windows.values()]
    shown += [a.text() + a.toolTip() + a.statusTip() for a in window.recent_menu.actions()]
    shown += [window.status.path_label.text(), window.status.currentMessage()]
    shown += [window.banner.label.text(), *message_boxes.texts()]
    assert not any(PASSWORD in text for text in shown)
    ini = tmp_path / "settings.ini"
    on_disk = QSettings(str(ini), QSettings.Format.IniFormat)
    on_disk.sync()
    assert password_role in str(on_disk.value("recent_shared_books"))
    assert PASSWORD.encode() not in ini.read_bytes()


def test_save_a_copy_of_a_shared_book_starts_in_the_books_folder(
    shared: str, launcher: Launcher, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = launcher.show_shared(shared)
    asked: list[str] = []
    target = tmp_path / "club copy.tallybook"

    def answer(_parent: object, _title: str, suggestion: str, *_a: object) -> tuple[str, str]:
        asked.append(suggestion)
        return str(target), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(answer))
    with qtbot.waitSignal(window.operations.copied, timeout=10_000):
        window.actions_.save_copy.trigger()
    # not beside the local copy in the cache, where nobody would look for it
    assert Path(asked[0]) == default_book_path().with_name("club on this computer copy.tallybook")
    with Book.open(target) as copy, Book.open(shared) as original:
        assert copy.store.head() == original.store.head()


def test_verify_integrity_walks_the_servers_chain_not_the_local_copy(
    shared: str, pg_url: str, launcher: Launcher, qtbot: Any
) -> None:
    window = launcher.show_shared(shared)
    qtbot.waitUntil(lambda: not window.operations.checking, timeout=20_000)
    # someone with the server's superuser rights rewrites an event the window already copied
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("SET session_replication_role = replica")  # past the append-only triggers
        conn.execute("UPDATE club.events SET data = replace(data, 'Checking', 'Chequing')")
    with qtbot.waitSignal(window.operations.verified, timeout=20_000) as verified:
        window.actions_.verify.trigger()
    report = verified.args[0]
    assert not report.ok and report.problem == "altered"
    assert window.banner.alarmed and not window.actions_.deposit.isEnabled()


@pytest.mark.parametrize("big", [False, True], ids=["on the window's connection", "in a worker"])
def test_a_statement_imports_into_a_shared_book_and_reaches_the_server(
    shared: str, launcher: Launcher, qtbot: Any, monkeypatch: pytest.MonkeyPatch, big: bool
) -> None:
    if big:  # a big import (and its dry run) runs on a worker's own connection to the server
        monkeypatch.setattr("app.dialogs.import_preview.BIG_IMPORT", 3)
    window = launcher.show_shared(shared)
    assert window.actions_.import_statement.isVisible() and window.actions_.reconcile.isVisible()
    if big:  # the server's word that something was committed may come late: not waited for
        session = session_of(window)
        assert session.link is not None
        session.link.committed.disconnect(session.watcher.poll)
    checking = account_id(shared, "Checking")
    window.accounts_view.select_account(checking)
    window.imports.start(STATEMENT)
    qtbot.waitUntil(lambda: window.imports.mapping is not None, timeout=10_000)
    mapping = window.imports.mapping
    assert mapping is not None
    qtbot.mouseClick(mapping.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.imports.preview is not None, timeout=10_000)
    dialog = window.imports.preview
    assert dialog is not None
    head = window._parts.travel.head
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.imports.preview is None, timeout=10_000)
    assert balance(window, "Checking") == "€1,344.50"
    assert window._parts.travel.head == head + 7  # each event shown once
    assert window._parts.history.rowCount() == head + 7
    with Book.open(shared, readonly=True) as book:  # what another user sees
        assert book.service.account(checking).balance == 134450
        authors = {e.metadata["author"] for e in book.events.events_after(head, 100)}
    assert len(authors) == 1 and authors.pop().endswith(")")  # "role (login)", as the window's


def test_a_receipt_of_a_shared_book_is_checked_against_the_servers_chain(
    shared: str, pg_url: str, launcher: Launcher, qtbot: Any
) -> None:
    window = launcher.show_shared(shared)
    qtbot.waitUntil(lambda: not window.operations.checking, timeout=20_000)
    with qtbot.waitSignal(window.operations.verified, timeout=20_000):
        window.actions_.verify.trigger()
    assert window.receipts.dialog is not None
    receipt = window.receipts.dialog.receipt
    window.receipts.dialog.close()
    with psycopg.connect(pg_url, autocommit=True) as conn:  # behind the triggers' back
        conn.execute("SET session_replication_role = replica")
        conn.execute("UPDATE club.events SET data = replace(data, 'Checking', 'Chequing')")
    task = window.receipts.check(receipt)
    with qtbot.waitSignal(task.finished, timeout=20_000) as checked:
        pass
    assert checked.args[0].outcome is Outcome.BROKEN  # the server's rows, not the local copy
