"""Verify Integrity ends with a receipt (Copy, Save Receipt…, kept in the settings), and
File ▸ Verify Against a Receipt… checks the book against a kept one or a file, in a worker."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from app_helpers import household
from book_damage import rechain_from
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog

from app.desktop.settings import AppSettings
from app.dialogs.receipt import ReceiptDialog, ReceiptPicker
from app.window.main_window import MainWindow
from domain.application.receipts import Receipt
from domain.store.sqlite import SqliteEventStore
from tests.app.conftest import MessageBoxes

Window = Callable[[Path], MainWindow]


@pytest.fixture
def book_file(make_book: Callable[[list[Any]], Path]) -> Path:
    return make_book(household())


def verified(window: MainWindow, qtbot: Any) -> ReceiptDialog:
    with qtbot.waitSignal(window.operations.verified, timeout=20_000):
        window.actions_.verify.trigger()
    dialog = window.receipts.dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def check_against(window: MainWindow, qtbot: Any, boxes: MessageBoxes, pick: Callable[
        [ReceiptPicker], None]) -> tuple[str, str]:  # fmt: skip
    """File ▸ Verify Against a Receipt…, ``pick`` in the picker: the box that says the outcome."""
    boxes.calls.clear()
    window.actions_.verify_receipt.trigger()
    picker = window.receipts.picker
    assert picker is not None and picker.isVisible()
    pick(picker)
    qtbot.waitUntil(lambda: bool(boxes.calls), timeout=20_000)
    ((kind, _title, text),) = boxes.calls
    return kind, text


def test_the_receipt_copies_saves_and_is_kept_for_the_book(
    book_file: Path, open_window: Window, qtbot: Any, settings: AppSettings,
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:  # fmt: skip
    window = open_window(book_file)
    dialog = verified(window, qtbot)
    with SqliteEventStore.open(book_file, readonly=True) as store:
        book_id, (head, digest) = store.info().book_id, store.head()
    receipt = dialog.receipt
    assert (receipt.book_id, receipt.head_position, receipt.head_hash) == (
        book_id, head, digest.hex())  # fmt: skip
    dialog.copy_button.click()
    assert Receipt.from_json(QGuiApplication.clipboard().text()) == receipt
    target = tmp_path / "receipt.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *_a, **_k: (str(target), "")))  # fmt: skip
    dialog.save_button.click()
    assert json.loads(target.read_text())["head_hash"] == digest.hex()
    assert settings.receipts(book_id) == [receipt]


def test_a_kept_receipt_holds_then_exposes_a_recomputed_chain(
    book_file: Path, open_window: Window, qtbot: Any, message_boxes: MessageBoxes
) -> None:
    window = open_window(book_file)
    receipt = verified(window, qtbot).receipt
    window.receipts.dialog.close()  # type: ignore[union-attr]
    kind, text = check_against(window, qtbot, message_boxes, lambda p: p.verify_button.click())
    assert kind == "information" and f"still has the hash of the receipt at event " \
        f"#{receipt.head_position}" in text  # fmt: skip
    rechain_from(book_file, 3)  # raw SQL: one payload altered, every later hash recomputed
    with SqliteEventStore.open(book_file, readonly=True) as store:
        assert store.verify().ok  # a plain verify cannot tell
    kind, text = check_against(window, qtbot, message_boxes, lambda p: p.verify_button.click())
    assert kind == "critical" and "has been rewritten" in text


def test_a_receipt_file_of_another_book_and_a_malformed_one_are_named(
    book_file: Path, open_window: Window, qtbot: Any, message_boxes: MessageBoxes,
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:  # fmt: skip
    window = open_window(book_file)
    other = tmp_path / "other.json"
    other.write_text(Receipt("another-book", 3, 3, "ab" * 32, verified(window, qtbot).receipt
                             .verified_at).to_json())  # fmt: skip
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *_a, **_k: (str(other), "")))  # fmt: skip
    kind, text = check_against(window, qtbot, message_boxes, lambda p: p.file_button.click())
    assert kind == "critical" and "another book" in text
    other.write_text("{not json")
    message_boxes.calls.clear()
    window.actions_.verify_receipt.trigger()
    picker = window.receipts.picker
    assert picker is not None
    picker.file_button.click()
    ((kind, _title, text),) = message_boxes.calls
    assert kind == "warning" and "not a receipt" in text and picker.isVisible()
