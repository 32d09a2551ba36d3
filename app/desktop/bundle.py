"""Where the bundled resources are, from a source checkout and from a PyInstaller bundle.

Call :func:`apply_desktop_identity` once, right after creating the ``QApplication``: it sets
the window icon and the names that desktops use to match windows to
``io.tallybook.Tallybook.desktop`` (Wayland shows the desktop file's icon, not the window's).
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtGui import QGuiApplication, QIcon

APP_ID = "io.tallybook.Tallybook"
APP_NAME = "Tallybook"
ICON_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)


def is_frozen() -> bool:
    """True inside a PyInstaller bundle."""
    return bool(getattr(sys, "frozen", False)) and hasattr(sys, "_MEIPASS")


def resources_dir() -> Path:
    """The ``resources/`` folder: beside the bundle's code when frozen, else the repo's."""
    bundle = getattr(sys, "_MEIPASS", None)  # set by the PyInstaller bootloader
    if bundle is not None:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


def icon_path(size: int | None = None) -> Path:
    """The SVG icon source, or the PNG of one of :data:`ICON_SIZES` pixels."""
    icons = resources_dir() / "icons"
    if size is None:
        return icons / "tallybook.svg"
    if size not in ICON_SIZES:
        raise ValueError(f"no {size}px icon; sizes are {ICON_SIZES}")
    return icons / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"


def app_icon() -> QIcon:
    """The application icon with every rendered size (crisp at 16 px), or an empty icon."""
    icon = QIcon()
    for size in ICON_SIZES:
        path = icon_path(size)
        if path.is_file():
            icon.addFile(str(path), QSize(size, size))
    return icon


def apply_desktop_identity(app: QGuiApplication) -> None:
    """Name the app and set its window icon, so task bars and docks show Tallybook's."""
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(app_icon())
