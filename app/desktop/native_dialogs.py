"""The desktop's own file dialogs on Linux, where Qt would otherwise draw its own.

Qt shows a desktop's file dialog through a platform theme: GTK 3's on GNOME-like desktops, or
the XDG desktop portal's (which GNOME, KDE and others serve over D-Bus), which Qt picks by
itself only inside Flatpak and Snap. The bundle leaves the GTK theme out (see
``packaging/bundle_filter.py``), and KDE has no theme of its own in a wheel's Qt, so there Qt
fell back to its own dialog, with cut-off columns. The portal theme keeps the desktop's look
and shows the portal's dialog when the desktop serves one, else Qt's, which
:class:`RoomyQtFileDialogs` then gives room for its columns.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

from PySide6.QtCore import QEvent, QLibraryInfo, QObject, QSize
from PySide6.QtWidgets import QFileDialog, QHeaderView, QTreeView

THEME_VARIABLE = "QT_QPA_PLATFORMTHEME"
PORTAL = "xdgdesktopportal"
GTK = "gtk3"
# the desktops for which Qt itself tries the GTK 3 theme first (qgenericunixthemes.cpp)
GTK_DESKTOPS = frozenset({"GNOME", "X-CINNAMON", "PANTHEON", "UNITY", "MATE", "XFCE", "LXDE"})


def theme_for_native_dialogs(
    environ: Mapping[str, str], platform: str, themes: Iterable[str]
) -> str | None:
    """The platform theme to ask Qt for, so file dialogs are the desktop's; None to leave
    Qt's own choice (not Linux, a theme the user set, a display-less platform, Qt's GTK
    theme on a GTK desktop, or no portal theme installed)."""
    installed = set(themes)
    if not platform.startswith("linux") or environ.get(THEME_VARIABLE):
        return None
    if environ.get("QT_QPA_PLATFORM", "").split(":")[0] in ("offscreen", "minimal"):
        return None
    if PORTAL not in installed:
        return None
    desktops = set(environ.get("XDG_CURRENT_DESKTOP", "").upper().split(":"))
    if GTK in installed and desktops & GTK_DESKTOPS:
        return None  # Qt's GTK theme shows GTK's own dialogs
    return PORTAL


def installed_themes() -> set[str]:
    """The names of the platform theme plugins this Qt has (``gtk3``, ``xdgdesktopportal``)."""
    folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platformthemes"
    if not folder.is_dir():
        return set()
    names = (entry.name.split(".", 1)[0] for entry in folder.iterdir())
    return {name.removeprefix("lib").removeprefix("q") for name in names}


def prefer_native_file_dialogs() -> None:
    """Ask Qt for the theme that shows the desktop's file dialogs (before the QApplication)."""
    theme = theme_for_native_dialogs(os.environ, sys.platform, installed_themes())
    if theme is not None:
        os.environ[THEME_VARIABLE] = theme


class RoomyQtFileDialogs(QObject):
    """Where Qt draws its own file dialog (no desktop dialog to show), give its columns the
    room they need: its details view starts at a width that cuts off size, type and date.

    Installed on the application, it sees every dialog shown, also those the static
    ``QFileDialog.get…FileName`` functions make."""

    MIN_SIZE = QSize(860, 500)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and isinstance(watched, QFileDialog):
            self.widen(watched)
        return False

    def widen(self, dialog: QFileDialog) -> None:
        tree = dialog.findChild(QTreeView, "treeView")
        if tree is None:  # a desktop's dialog, not drawn by Qt
            return
        header = tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, header.count()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        screen = dialog.screen()
        room = screen.availableGeometry().size() if screen is not None else self.MIN_SIZE
        width = min(max(dialog.width(), self.MIN_SIZE.width()), room.width())
        height = min(max(dialog.height(), self.MIN_SIZE.height()), room.height())
        dialog.resize(width, height)
