"""File ▸ Import Statement… through the real window: read in a worker, the CSV mapping step,
the preview (statuses from the domain's dry run), Import, duplicates, Undo Import."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from app_helpers import balance, household, open_account
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QComboBox, QFileDialog, QMessageBox

from app import preferences
from app.desktop.book_session import BookSession
from app.dialogs.csv_mapping import CsvMappingDialog
from app.dialogs.import_preview import ImportPreviewDialog
from app.import_preview import DUPLICATE_ROW, ERROR, MATCH, NEW
from app.models.import_rows import COUNTER, PAYEE, STATUS
from app.preferences import Preferences
from app.window.main_window import MainWindow
from domain.model.commands import Command
from domain.model.events import AccountType

DATA = Path(__file__).resolve().parents[2] / "data" / "statements"
CSV = DATA / "app_checking_march.csv"
OFX = DATA / "ofx1_duplicate_fitid.ofx"
Window = Callable[[Path], MainWindow]


def select(window: MainWindow, name: str) -> None:
    account = next(a for a in window._parts.accounts.accounts() if a.name == name)
    window.accounts_view.select_account(account.account_id)


def read_file(qtbot: Any, window: MainWindow, path: Path) -> None:
    window.imports.start(path)
    qtbot.waitUntil(lambda: window.imports.task is None, timeout=10000)


def through_mapping(qtbot: Any, window: MainWindow) -> ImportPreviewDialog:
    mapping = window.imports.mapping
    assert isinstance(mapping, CsvMappingDialog)
    qtbot.mouseClick(mapping.ok_button, Qt.MouseButton.LeftButton)
    # a changed mapping reads the file again, in a worker
    qtbot.waitUntil(lambda: window.imports.preview is not None, timeout=10000)
    preview = window.imports.preview
    assert isinstance(preview, ImportPreviewDialog)
    return preview


def statuses(dialog: ImportPreviewDialog) -> list[tuple[str, str]]:
    model = dialog.model
    return [
        (model.index(r, PAYEE).data(), model.row_at(r).status)  # type: ignore[union-attr]
        for r in range(model.rowCount())
    ]


def test_a_csv_goes_through_the_mapping_and_the_preview_into_the_account(
    open_window: Window, make_book: Callable[[list[Command]], Path], qtbot: Any
) -> None:
    window = open_window(make_book(household()))
    select(window, "Checking")
    read_file(qtbot, window, CSV)
    dialog = through_mapping(qtbot, window)
    assert dialog.target.currentText() == "Checking (EUR)"  # the selected account
    assert statuses(dialog)[0] == ("Market", MATCH)  # the Market entry typed by hand
    assert [s for _p, s in statuses(dialog)[1:]] == [NEW] * 5
    # learned from the book: Employer's earlier deposit went to Salary
    assert dialog.model.index(3, COUNTER).data() == "Salary"
    assert dialog.sentence.text() == (
        "Import 5 new entries into Checking; link 1 possible match to review."
    )
    # the running balance the new rows give: 1,054.50 - 3.80 - 2.40 + 1000 - 3.80 - 700
    assert dialog.model.index(5, 5).data() == "€1,344.50"
    assert dialog.model.index(0, COUNTER).data() == "linked to 2024-03-01 “Market”"
    assert "1,344.50" in dialog.totals.text()
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert window.imports.preview is None
    assert balance(window, "Checking") == "€1,344.50"
    assert window.status.currentMessage().startswith("Imported app_checking_march.csv into")
    # the mapping is saved as Checking's import profile and offered next time
    checking = window._parts.accounts.accounts()
    checking_id = next(a.account_id for a in checking if a.name == "Checking")
    assert window._settings.import_profile(checking_id)["date_format"] == "YYYY-MM-DD"


def test_a_second_import_of_the_file_shows_its_rows_as_duplicates_and_adds_nothing(
    open_window: Window, make_book: Callable[[list[Command]], Path], qtbot: Any
) -> None:
    window = open_window(make_book(household()))
    select(window, "Checking")
    read_file(qtbot, window, CSV)
    qtbot.mouseClick(through_mapping(qtbot, window).import_button, Qt.MouseButton.LeftButton)
    head = window._parts.travel.head
    read_file(qtbot, window, CSV)
    mapping = window.imports.mapping
    assert mapping is not None and "saved for this account" in mapping.about.text()
    dialog = through_mapping(qtbot, window)
    assert {s for _p, s in statuses(dialog)} == {DUPLICATE_ROW}
    assert dialog.sentence.text() == "Import 0 new entries into Checking; skip 6 duplicates."
    assert not dialog.import_button.isEnabled()
    dialog.reject()
    assert window._parts.travel.head == head


def test_a_counter_account_chosen_in_the_delegate_goes_to_every_row_of_the_payee(
    open_window: Window, make_book: Callable[[list[Command]], Path], qtbot: Any
) -> None:
    window = open_window(make_book(household()))
    select(window, "Checking")
    read_file(qtbot, window, CSV)
    dialog = through_mapping(qtbot, window)
    index = dialog.model.index(1, COUNTER)  # the first Coffee Corner
    assert index.data() == "Uncategorised"
    dialog.table.setCurrentIndex(index)
    dialog.table.edit(index)
    editor = dialog.table.findChild(QComboBox, "counterAccountEditor")
    assert editor is not None
    editor.setCurrentIndex(editor.findText("Groceries") - 1)
    qtbot.keyClick(editor, Qt.Key.Key_Down)  # the next item, Groceries, is chosen
    coffee = [r for r in range(6) if dialog.model.index(r, PAYEE).data() == "Coffee Corner"]
    assert [dialog.model.index(r, COUNTER).data() for r in coffee] == ["Groceries"] * 3
    assert dialog.model.index(5, COUNTER).data() == "Uncategorised"  # Landlord: untouched
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert (
        balance(window, "Groceries") == "€55.50"
    )  # 45.50 + 3.80 + 2.40 + 3.80: the link adds none


def test_an_ofx_imports_its_rows_and_shows_the_row_that_does_not_parse(
    open_window: Window, make_book: Callable[[list[Command]], Path], qtbot: Any
) -> None:
    checking = open_account("Checking", AccountType.ASSET, "20.00")
    checking = type(checking)(**{**checking.__dict__, "opening_date": dt.date(2024, 1, 1)})
    window = open_window(make_book([checking, open_account("Food", AccountType.EXPENSE)]))
    select(window, "Checking")
    read_file(qtbot, window, OFX)
    assert window.imports.mapping is None  # no mapping step but for a CSV
    dialog = window.imports.preview
    assert isinstance(dialog, ImportPreviewDialog)
    assert [s for _p, s in statuses(dialog)] == [NEW, NEW, NEW, ERROR]
    assert dialog.model.index(3, STATUS).data() == "error"
    assert "is no valid date" in dialog.model.index(3, PAYEE).data()
    assert "skip 1 row that does not parse" in dialog.sentence.text()
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert balance(window, "Checking") == "€1,495.00"  # 20 - 12.50 - 12.50 + 1500


def test_cancelling_while_the_file_is_read_imports_nothing(
    open_window: Window, make_book: Callable[[list[Command]], Path], qtbot: Any, tmp_path: Path
) -> None:
    big = tmp_path / "big.csv"
    rows = (f"2024-03-{1 + n % 28:02d},Payee {n},Memo,-{n % 90 + 1}.25" for n in range(60000))
    big.write_text("Date,Payee,Memo,Amount\n" + "\n".join(rows) + "\n", encoding="utf-8")
    window = open_window(make_book(household()))
    head = window._parts.travel.head
    window.imports.start(big)
    task = window.imports.task
    assert task is not None
    task.cancel()
    qtbot.waitUntil(lambda: window.imports.task is None, timeout=20000)
    assert window.imports.mapping is None and window.imports.preview is None
    assert window.status.currentMessage() == "Import cancelled: nothing was imported."
    assert window._parts.travel.head == head


def test_a_changed_mapping_reads_the_file_by_it(
    open_window: Window, make_book: Callable[[list[Command]], Path], qtbot: Any
) -> None:
    window = open_window(make_book(household()))
    select(window, "Checking")
    read_file(qtbot, window, CSV)
    mapping = window.imports.mapping
    assert isinstance(mapping, CsvMappingDialog)
    assert mapping.preview.item(0, 2).text() == "Market"
    mapping.payee.setCurrentIndex(mapping.payee.findData(2))  # the memo column
    assert mapping.preview.item(0, 2).text() == "Weekly shop"  # live
    mapping.date_format.setCurrentText("DD.MM.YYYY")
    assert not mapping.ok_button.isEnabled() and "No row reads" in mapping.message.text()
    mapping.date_format.setCurrentText("YYYY-MM-DD")
    dialog = through_mapping(qtbot, window)
    assert dialog.model.index(0, PAYEE).data() == "Weekly shop"


def test_undo_import_voids_the_imports_entries(
    open_window: Window,
    make_book: Callable[[list[Command]], Path],
    qtbot: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = open_window(make_book(household()))
    select(window, "Checking")
    read_file(qtbot, window, CSV)
    qtbot.mouseClick(through_mapping(qtbot, window).import_button, Qt.MouseButton.LeftButton)
    assert balance(window, "Checking") == "€1,344.50"
    register = window._parts.register
    imported = next(
        r for n in range(register.rowCount()) if (r := register.row_at(n)) and r.payee == "Landlord"
    )
    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    )
    assert window.imports.undo(imported.entry_id)
    assert balance(window, "Checking") == "€1,054.50"
    assert window.status.currentMessage().endswith("undone: 5 entries voided.")


def test_the_menu_asks_for_a_file(
    open_window: Window,
    make_book: Callable[[list[Command]], Path],
    qtbot: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = open_window(make_book(household()))
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *_a, **_k: (str(CSV), ""))
    )
    window.actions_.import_statement.trigger()
    qtbot.waitUntil(lambda: window.imports.mapping is not None, timeout=10000)


def test_the_rows_model_passes_the_model_tester(
    open_window: Window, make_book: Callable[[list[Command]], Path], qtbot: Any, qtmodeltester: Any
) -> None:
    window = open_window(make_book(household()))
    select(window, "Checking")
    read_file(qtbot, window, CSV)
    dialog = through_mapping(qtbot, window)
    qtmodeltester.check(dialog.model)
    dialog.model.set_category(1, "", same_payee=True)
    dialog.link.setChecked(False)
    assert dialog.sentence.text().startswith("Import 6 new entries")


def test_a_big_import_runs_in_a_worker_and_the_views_take_its_events_once(
    open_window: Window,
    make_book: Callable[[list[Command]], Path],
    qtbot: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("app.dialogs.import_preview.BIG_IMPORT", 3)
    window = open_window(make_book(household()))
    select(window, "Checking")
    read_file(qtbot, window, CSV)
    mapping = window.imports.mapping
    assert mapping is not None
    qtbot.mouseClick(mapping.ok_button, Qt.MouseButton.LeftButton)
    # the dry run of a big file runs in a worker, on its own connection, before the preview
    assert window.imports.task is not None and window.imports.preview is None
    qtbot.waitUntil(lambda: window.imports.preview is not None, timeout=10000)
    dialog = window.imports.preview
    assert isinstance(dialog, ImportPreviewDialog)
    assert statuses(dialog)[0] == ("Market", MATCH)
    head = window._parts.travel.head
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert dialog.busy and dialog.message.text() == "Importing 6 rows…"
    dialog.reject()  # not while the command runs
    assert window.imports.preview is dialog
    qtbot.waitUntil(lambda: window.imports.preview is None, timeout=10000)
    assert balance(window, "Checking") == "€1,344.50"
    # the import, the opening of Uncategorised and five entries, each shown once
    assert window._parts.travel.head == head + 7
    assert window._parts.history.rowCount() == head + 7
    assert window.status.currentMessage().startswith("Imported app_checking_march.csv")


def test_a_big_import_is_recorded_by_the_preferred_author_and_is_the_users_to_undo(
    open_window: Window,
    make_book: Callable[[list[Command]], Path],
    qtbot: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The worker's own connection records the author the window's commands do (it took
    the login name, so Undo refused the user's own import as another author's)."""
    monkeypatch.setattr("app.dialogs.import_preview.BIG_IMPORT", 3)
    monkeypatch.setattr(preferences, "current", lambda: Preferences(author="Kim Treasurer"))
    window = open_window(make_book(household()))
    select(window, "Checking")
    read_file(qtbot, window, CSV)
    mapping = window.imports.mapping
    assert mapping is not None
    qtbot.mouseClick(mapping.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.imports.preview is not None, timeout=10000)
    dialog = window.imports.preview
    assert isinstance(dialog, ImportPreviewDialog)
    head = window._parts.travel.head
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.imports.preview is None, timeout=10000)
    log = window.findChild(BookSession).book.events
    authors = {e.metadata["author"] for e in log.events_after(head, 100)}
    assert authors == {"Kim Treasurer"}
    undo = window.actions_.undo
    assert undo.isEnabled() and undo.text().startswith("&Undo Import of app_checking_march.csv")
    assert undo.toolTip() == "" or "another" not in undo.toolTip()


def test_a_file_dropped_on_the_window_is_imported(
    open_window: Window, make_book: Callable[[list[Command]], Path], qtbot: Any
) -> None:
    window = open_window(make_book(household()))
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(CSV))])
    copy = Qt.DropAction.CopyAction
    enter = QDragEnterEvent(QPoint(50, 50), copy, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)  # fmt: skip
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(50, 50), copy, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)  # fmt: skip
    QApplication.sendEvent(window, drop)
    qtbot.waitUntil(lambda: window.imports.mapping is not None, timeout=10000)


def test_undo_import_from_the_entry_menu_undoes_the_selected_entrys_import(
    open_window: Window,
    make_book: Callable[[list[Command]], Path],
    qtbot: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = open_window(make_book(household()))
    select(window, "Checking")
    read_file(qtbot, window, CSV)
    qtbot.mouseClick(through_mapping(qtbot, window).import_button, Qt.MouseButton.LeftButton)
    register = window._parts.register
    row = next(n for n in range(register.rowCount()) if register.row_at(n).payee == "Landlord")  # type: ignore[union-attr]
    window.register_panel.table.selectRow(row)
    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    )
    window.actions_.undo_import.trigger()
    assert balance(window, "Checking") == "€1,054.50"


def test_undo_this_import_on_the_history_undoes_the_import_selected_there(
    open_window: Window,
    make_book: Callable[[list[Command]], Path],
    qtbot: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = open_window(make_book(household()))
    select(window, "Checking")
    read_file(qtbot, window, CSV)
    qtbot.mouseClick(through_mapping(qtbot, window).import_button, Qt.MouseButton.LeftButton)
    history, table = window._parts.history, window.history_dock.table
    row = next(
        n
        for n in range(history.rowCount())
        if history.row_at(n).stream_id.startswith("import-")  # type: ignore[union-attr]
    )
    table.selectRow(row)
    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    )
    action = next(a for a in table.actions() if a.text() == "Undo This Import…")
    assert action.isEnabled()
    action.trigger()
    assert balance(window, "Checking") == "€1,054.50"


def test_a_new_category_opened_from_the_preview_goes_to_the_rows_of_that_payee(
    open_window: Window, make_book: Callable[[list[Command]], Path], qtbot: Any
) -> None:
    window = open_window(make_book(household()))
    select(window, "Checking")
    read_file(qtbot, window, CSV)
    dialog = through_mapping(qtbot, window)
    dialog.table.setCurrentIndex(dialog.model.index(1, PAYEE))  # Coffee Corner, money out
    qtbot.mouseClick(dialog.new_category, Qt.MouseButton.LeftButton)
    opening = dialog.category_dialog
    assert opening is not None
    assert opening.account_type.currentText() == "Expense"
    assert opening.currency.currentText() == "EUR"
    qtbot.keyClicks(opening.name, "Coffee")
    qtbot.mouseClick(opening.ok_button, Qt.MouseButton.LeftButton)
    coffee = [r for r in range(6) if dialog.model.index(r, PAYEE).data() == "Coffee Corner"]
    assert [dialog.model.index(r, COUNTER).data() for r in coffee] == ["Coffee"] * 3
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert balance(window, "Coffee") == "€10.00"


def test_a_file_the_books_refuse_says_why_and_cannot_be_imported(
    open_window: Window, make_book: Callable[[list[Command]], Path], qtbot: Any
) -> None:
    window = open_window(make_book(household()))  # Checking opened on 2024-03-01
    select(window, "Checking")
    read_file(qtbot, window, OFX)  # rows of February
    dialog = window.imports.preview
    assert isinstance(dialog, ImportPreviewDialog)
    assert dialog.sentence.text().startswith("Nothing can be imported: row 1 (line 1): Checking")
    assert "takes no entry dated before it" in dialog.sentence.text()
    assert not dialog.import_button.isEnabled()
    # the dry run follows the account chosen (Savings too was opened in March)
    dialog.target.setCurrentIndex(dialog.target.findText("Savings (EUR)"))
    assert "Savings" in dialog.sentence.text()
