"""packaging/bundle_filter.py: which collected files the PyInstaller spec leaves out."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "packaging" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses and typing look modules up by name
    spec.loader.exec_module(module)
    return module


bf = _load("bundle_filter")


def entry(dest: str, src: str = "", typecode: str = "BINARY") -> tuple[str, str, str]:
    return (dest, src or f"/src/{dest}", typecode)


@pytest.mark.parametrize(
    "dest",
    [
        "PySide6/Qt/plugins/platforms/libqxcb.so",
        "PySide6/Qt/plugins/platforms/libqwayland.so",
        "PySide6/Qt/plugins/platforms/libqoffscreen.so",
        "PySide6/Qt/plugins/platforms/qwindows.dll",
        "PySide6/Qt/plugins/platforms/libqcocoa.dylib",
        "PySide6/Qt/plugins/styles/qmodernwindowsstyle.dll",
        "PySide6/Qt/plugins/imageformats/libqsvg.so",
        "PySide6/Qt/plugins/iconengines/libqsvgicon.so",
        "PySide6/Qt/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so",
        "PySide6/Qt/plugins/platformthemes/libqxdgdesktopportal.so",
        "PySide6/Qt/lib/libQt6Widgets.so.6",
        "PySide6/Qt/lib/libQt6Network.so.6",
        "PySide6/Qt/lib/libQt6Svg.so.6",
        "PySide6/Qt/lib/QtWidgets.framework/Versions/A/QtWidgets",
        "PySide6/QtWidgets.abi3.so",
        "libsqlite3.so.0",
        "babel/locale-data/de_DE.dat",
        "resources/icons/tallybook.svg",
    ],
)
def test_what_a_widgets_app_uses_is_kept(dest: str) -> None:
    assert bf.keep(entry(dest))


@pytest.mark.parametrize(
    "dest",
    [
        "PySide6/Qt/plugins/platforms/libqeglfs.so",
        "PySide6/Qt/plugins/platforms/libqvnc.so",
        "PySide6/Qt/plugins/platforms/libqlinuxfb.so",
        "PySide6/Qt/plugins/platformthemes/libqgtk3.so",
        "PySide6/Qt/plugins/imageformats/libqtiff.so",
        "PySide6/Qt/plugins/imageformats/qwebp.dll",
        "PySide6/Qt/plugins/xcbglintegrations/libqxcb-glx-integration.so",
        "PySide6/Qt/plugins/sqldrivers/libqsqlite.so",
        "PySide6/Qt/plugins/tls/libqopensslbackend.so",
        "PySide6/Qt/plugins/qmltooling/libqmldbg_debugger.so",
        "PySide6/Qt/translations/qtbase_de.qm",
        "PySide6/Qt/translations/qtdeclarative_fr.qm",
        "PySide6/Qt/qml/QtQuick/Controls/libqtquickcontrols2plugin.so",
        "PySide6/Qt/lib/libQt6Qml.so.6",
        "PySide6/Qt/lib/libQt6QuickControls2.so.6",
        "PySide6/Qt/lib/libQt6Pdf.so.6",
        "PySide6/Qt/lib/QtQml.framework/Versions/A/QtQml",
        "PySide6/Qt6Quick.dll",
    ],
)
def test_unused_qt_parts_are_left_out(dest: str) -> None:
    assert not bf.keep(entry(dest))


def test_libraries_only_dropped_plugins_use_go_with_them(tmp_path: Path) -> None:
    gtk = "PySide6/Qt/plugins/platformthemes/libqgtk3.so"
    xcb = "PySide6/Qt/plugins/platforms/libqxcb.so"
    links: dict[str, list[tuple[str, str | None]]] = {
        f"/src/{gtk}": [("libgtk-3.so.0", None), ("libpango.so", "/usr/lib/libpango.so"),
                        ("libglib.so", "/usr/lib/libglib.so")],
        f"/src/{xcb}": [("libglib.so", "/usr/lib/libglib.so"), ("libxcb.so", None)],
        "/usr/lib/libpango.so": [("libharfbuzz.so", "/usr/lib/libharfbuzz.so")],
        # the unresolved name is enough to keep libxcb-util
        "/usr/lib/libglib.so": [("libxcb-util.so", None)],
    }  # fmt: skip

    def get_imports(src: str) -> Iterable[tuple[str, str | None]]:
        return links.get(src, [])

    binaries = [
        entry(gtk),
        entry(xcb),
        entry("libpango.so", "/usr/lib/libpango.so"),
        entry("libharfbuzz.so", "/usr/lib/libharfbuzz.so"),
        entry("libglib.so", "/usr/lib/libglib.so"),
        entry("libxcb-util.so", "/usr/lib/libxcb-util.so"),
    ]
    datas = [
        ("libpango.so.1", "libpango.so", "SYMLINK"),
        ("libglib.so.1", "libglib.so", "SYMLINK"),
        ("resources/icons/tallybook.svg", "/src/svg", "DATA"),
    ]
    kept, kept_datas, lonely = bf.prune(binaries, datas, get_imports)
    assert lonely == {"libpango.so", "libharfbuzz.so"}
    assert [e[0] for e in kept] == [xcb, "libglib.so", "libxcb-util.so"]
    assert [e[0] for e in kept_datas] == ["libglib.so.1", "resources/icons/tallybook.svg"]


def test_babel_data_can_be_limited_to_some_languages() -> None:
    languages = bf.babel_languages_from(" de, en ,")
    assert languages == {"de", "en"}
    kept = [
        name
        for name in ("root", "de", "de_CH", "en_150", "fr", "fr_CA", "dea")
        if bf.keep(entry(f"babel/locale-data/{name}.dat"), languages)
    ]
    assert kept == ["root", "de", "de_CH", "en_150"]
    assert bf.keep(entry("babel/global.dat"), languages)
    assert bf.keep(entry("babel/locale-data/fr.dat"), bf.babel_languages_from(""))
