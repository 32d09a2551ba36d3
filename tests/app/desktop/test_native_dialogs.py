"""File dialogs: the desktop's own where it has one (the XDG portal where Qt would not find it)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from app_helpers import household
from PySide6.QtWidgets import QApplication, QFileDialog, QTreeView

from app.desktop.native_dialogs import (
    RoomyQtFileDialogs,
    installed_themes,
    theme_for_native_dialogs,
)
from app.window.main_window import MainWindow
from domain.model.commands import Command

BUNDLE = {"xdgdesktopportal"}  # the bundle leaves the GTK theme out
WHEEL = {"gtk3", "xdgdesktopportal"}


@pytest.mark.parametrize(
    ("desktop", "themes", "expected"),
    [
        ("GNOME", BUNDLE, "xdgdesktopportal"),  # was Qt's own dialog: no GTK theme to show one
        ("ubuntu:GNOME", BUNDLE, "xdgdesktopportal"),
        ("KDE", WHEEL, "xdgdesktopportal"),  # a wheel's Qt has no KDE dialogs
        ("", WHEEL, "xdgdesktopportal"),
        ("GNOME", WHEEL, None),  # Qt's GTK theme shows GTK's dialogs itself
        ("X-Cinnamon", WHEEL, None),
        ("KDE", set(), None),  # no portal theme to ask for
    ],
)
def test_linux_asks_for_the_portal_where_qt_would_draw_its_own_dialog(
    desktop: str, themes: set[str], expected: str | None
) -> None:
    environ = {"XDG_CURRENT_DESKTOP": desktop}
    assert theme_for_native_dialogs(environ, "linux", themes) == expected


def test_what_the_user_or_the_platform_decides_is_left_alone() -> None:
    kde = {"XDG_CURRENT_DESKTOP": "KDE"}
    own = {**kde, "QT_QPA_PLATFORMTHEME": "qt6ct"}
    assert theme_for_native_dialogs(own, "linux", WHEEL) is None
    assert theme_for_native_dialogs({**kde, "QT_QPA_PLATFORM": "offscreen"}, "linux", WHEEL) is None
    assert theme_for_native_dialogs(kde, "darwin", WHEEL) is None
    assert theme_for_native_dialogs(kde, "win32", WHEEL) is None


def test_the_installed_themes_are_found_by_their_plugin_names() -> None:
    assert "xdgdesktopportal" in installed_themes()  # PySide6's wheels carry it


def test_the_file_menus_dialogs_never_ask_for_qts_own(
    make_book: Callable[[list[Command]], Path],
    open_window: Callable[[Path], MainWindow],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = open_window(make_book(household()))
    options: list[object] = []

    def record(*_args: object, **kwargs: Any) -> tuple[str, str]:
        options.append(kwargs.get("options", QFileDialog.Option(0)))
        return "", ""

    for name in ("getSaveFileName", "getOpenFileName"):
        monkeypatch.setattr(QFileDialog, name, staticmethod(record))
    window.files.open_book()
    window.files.save_copy()
    window.files.new_sample_book()
    assert len(options) == 3
    for option in options:
        assert not (QFileDialog.Option(option) & QFileDialog.Option.DontUseNativeDialog)  # type: ignore[arg-type]


def shown_file_dialog(qtbot: Any, folder: Path) -> QFileDialog:
    dialog = QFileDialog(None, "Open Book", str(folder), "Tallybook books (*.tallybook)")
    dialog.setViewMode(QFileDialog.ViewMode.Detail)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def listed(dialog: QFileDialog) -> int:
    tree = dialog.findChild(QTreeView, "treeView")
    assert tree is not None  # Qt's own dialog (offscreen has no other)
    return tree.model().rowCount(tree.rootIndex())


def cut_off_columns(dialog: QFileDialog) -> list[int]:
    tree = dialog.findChild(QTreeView, "treeView")
    assert tree is not None  # Qt's own dialog (offscreen has no other)
    header = tree.header()
    return [c for c in range(header.count()) if header.sectionSize(c) < tree.sizeHintForColumn(c)]


def test_qts_own_file_dialog_gets_room_for_its_columns(qtbot: Any, tmp_path: Path) -> None:
    (tmp_path / "A household's books with a long name.tallybook").write_bytes(b"x" * 40_000)
    roomy = RoomyQtFileDialogs()
    app = QApplication.instance()
    assert app is not None
    app.installEventFilter(roomy)
    try:
        dialog = shown_file_dialog(qtbot, tmp_path)
        qtbot.waitUntil(lambda: listed(dialog) >= 1)  # the folder is read in a thread
        assert cut_off_columns(dialog) == []
        room = dialog.screen().availableGeometry().width()
        assert dialog.width() >= min(RoomyQtFileDialogs.MIN_SIZE.width(), room)
    finally:
        app.removeEventFilter(roomy)
