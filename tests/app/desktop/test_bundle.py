"""app.desktop.bundle: resources from a checkout and a PyInstaller bundle; the committed icons."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from app.desktop import bundle

ROOT = Path(__file__).resolve().parents[3]


def test_from_source_resources_are_the_repositorys() -> None:
    assert bundle.resources_dir() == ROOT / "resources"
    assert bundle.icon_path().is_file()


def test_in_a_bundle_resources_are_under_meipass(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert bundle.resources_dir() == tmp_path / "resources"
    assert bundle.icon_path(32) == (
        tmp_path / "resources/icons/hicolor/32x32/apps/io.tallybook.Tallybook.png"
    )


@pytest.mark.parametrize("size", bundle.ICON_SIZES)
def test_each_committed_png_has_its_size(qtbot: QtBot, size: int) -> None:
    image = QImage(str(bundle.icon_path(size)))
    assert (image.width(), image.height()) == (size, size)
    assert image.hasAlphaChannel()


def test_unknown_icon_size_is_refused() -> None:
    with pytest.raises(ValueError, match="no 17px icon"):
        bundle.icon_path(17)


def test_app_icon_offers_every_size(qtbot: QtBot) -> None:
    sizes = {(s.width(), s.height()) for s in bundle.app_icon().availableSizes()}
    assert sizes == {(s, s) for s in bundle.ICON_SIZES}


def test_windows_and_macos_icons_are_committed() -> None:
    ico = (bundle.resources_dir() / "icons/tallybook.ico").read_bytes()
    icns = (bundle.resources_dir() / "icons/tallybook.icns").read_bytes()
    assert ico[:4] == b"\x00\x00\x01\x00"  # ICO header, type 1 = icon
    assert icns[:4] == b"icns" and int.from_bytes(icns[4:8], "big") == len(icns)
