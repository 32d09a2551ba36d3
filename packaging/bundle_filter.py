"""What packaging/tallybook.spec leaves out of the bundle, as plain functions it can test.

PyInstaller's PySide6 hooks collect every plugin of every Qt module in use, all of Qt's
translations and, for each plugin, the shared libraries it links to. A widgets app needs a
fraction of that. :func:`prune` takes Analysis's ``binaries`` and ``datas`` lists of
``(dest, src, typecode)`` entries and returns them without the unused parts.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from pathlib import PurePath

Entry = tuple[str, str, str]
"""A PyInstaller TOC entry: (path in the bundle, source path, typecode)."""

GetImports = Callable[[str], Iterable[tuple[str, str | None]]]
"""(name, resolved path or None) of each shared library a binary links to."""

# Python modules never used at run time. The Qt ones are not in PySide6-Essentials anyway,
# but a developer with the full PySide6 (Addons) installed must not get them bundled.
UNUSED_QT_MODULES = (
    "QtQml", "QtQuick", "QtQuick3D", "QtQuickControls2", "QtQuickWidgets", "QtQuickTest",
    "QtWebEngineCore", "QtWebEngineWidgets", "QtWebEngineQuick", "QtWebChannel",
    "QtWebSockets", "QtWebView", "QtMultimedia", "QtMultimediaWidgets", "QtSpatialAudio",
    "Qt3DCore", "Qt3DRender", "Qt3DInput", "Qt3DLogic", "Qt3DAnimation", "Qt3DExtras",
    "QtPdf", "QtPdfWidgets", "QtCharts", "QtDataVisualization", "QtGraphs", "QtGraphsWidgets",
    "QtDesigner", "QtUiTools", "QtHelp", "QtSql", "QtTest", "QtBluetooth", "QtNfc",
    "QtPositioning", "QtLocation", "QtSensors", "QtSerialPort", "QtSerialBus",
    "QtTextToSpeech", "QtRemoteObjects", "QtScxml", "QtStateMachine", "QtHttpServer",
    "QtOpenGL", "QtOpenGLWidgets", "QtAxContainer", "QtConcurrent", "QtXml", "QtSvgWidgets",
)  # fmt: skip
EXCLUDED_MODULES = (
    "tkinter", "_tkinter", "unittest", "pydoc", "pydoc_data", "idlelib", "lib2to3", "test",
    "pytest", "_pytest", "hypothesis", "pytestqt", "mypy", "ruff", "PIL", "PyInstaller",
    "setuptools", "pip", *(f"PySide6.{m}" for m in UNUSED_QT_MODULES),
)  # fmt: skip

# Qt plugin folders kept; any other folder under plugins/ is dropped. The app draws with the
# raster engine (no OpenGL widgets), so the xcb and Wayland GL integrations are not needed.
KEPT_PLUGIN_DIRS = frozenset({
    "platforms", "platformthemes", "platforminputcontexts", "imageformats", "iconengines",
    "styles", "wayland-shell-integration", "wayland-decoration-client",
})  # fmt: skip
# Plugins dropped inside the kept folders, by name without "lib" and suffix:
# - platforms for kiosks and embedded boards (a desktop needs xcb/wayland/cocoa/windows;
#   offscreen and minimal serve the self-test and CI);
# - the GTK 3 theme, which would load the system's GTK against the bundle's own older
#   GLib/Pango copies (a classic crash) and pulls ~10 MB of them in; the XDG portal stays;
# - image formats the app never reads (it ships PNG, built into QtGui, and SVG).
DROPPED_PLUGINS = frozenset({
    "qeglfs", "qlinuxfb", "qvnc", "qvkkhrdisplay", "qminimalegl",
    "qgtk3",
    "qtiff", "qwebp", "qtga", "qwbmp", "qpdf", "qicns",
})  # fmt: skip
# Qt's own translations: the app installs no QTranslator (its texts and number formats come
# from Babel), so none are loaded. Set ("qtbase_",) if it starts translating standard dialogs.
KEPT_TRANSLATIONS: tuple[str, ...] = ()
# Qt libraries (Linux/Windows files, macOS frameworks) that only unused modules load.
_DROPPED_QT_LIBRARY = re.compile(
    r"(^|/)(lib)?Qt6?(Qml|Quick|Pdf|VirtualKeyboard|EglFs|Designer|Sql|Test|Help|Lottie)"
    r"[A-Za-z0-9]*(\.framework(/|$)|\.so|\.dll|\.dylib|$)",
    re.IGNORECASE,
)


def _plugin_stem(name: str) -> str:
    stem = name.split(".", 1)[0]
    return stem[3:] if stem.startswith("lib") else stem


def _below_qt(dest: str) -> list[str] | None:
    """Path parts below PySide6/Qt/ (PySide6/Qt6/ on some builds), or None."""
    parts = PurePath(dest).parts
    if len(parts) >= 2 and parts[0] == "PySide6" and parts[1] in ("Qt", "Qt6"):
        return list(parts[2:])
    return None


def keep(entry: Entry, babel_languages: frozenset[str] | None = None) -> bool:
    """Whether one collected file belongs in the bundle.

    ``babel_languages`` (e.g. ``{"en", "de"}``) keeps only those languages' Babel locale data
    (32 MB for all ~1000 locales); money in any other locale is then formatted as en_US.
    """
    dest = PurePath(entry[0]).as_posix()
    if _DROPPED_QT_LIBRARY.search(dest):
        return False
    if babel_languages is not None and dest.startswith("babel/locale-data/"):
        stem = PurePath(dest).stem
        return stem == "root" or stem.split("_", 1)[0] in babel_languages
    below = _below_qt(dest)
    if below is None:
        return True
    if below[:1] == ["qml"]:
        return False
    if below[:1] == ["translations"]:
        return bool(KEPT_TRANSLATIONS) and below[-1].startswith(KEPT_TRANSLATIONS)
    if below[:1] == ["plugins"] and len(below) >= 3:
        return below[1] in KEPT_PLUGIN_DIRS and _plugin_stem(below[-1]) not in DROPPED_PLUGINS
    return True


def orphans(kept: list[Entry], dropped: list[Entry], get_imports: GetImports) -> set[str]:
    """Destinations in ``kept`` that only ``dropped`` binaries link to.

    PyInstaller collects each plugin's libraries during Analysis, so dropping a plugin later
    leaves them behind. A library goes only when something dropped links to it and nothing
    kept does, by resolved path or by name (an import that cannot be resolved keeps it).
    """

    def real(path: str) -> str:
        return os.path.normcase(os.path.realpath(path))

    def closure(sources: Iterable[str]) -> tuple[set[str], set[str]]:
        paths: set[str] = set()
        names: set[str] = set()
        stack = list(sources)
        while stack:
            for name, resolved in get_imports(stack.pop()):
                names.add(os.path.basename(name))
                if resolved and real(resolved) not in paths:
                    paths.add(real(resolved))
                    stack.append(resolved)
        return paths, names

    dropped_deps, _ = closure(e[1] for e in dropped)
    candidates = [e for e in kept if real(e[1]) in dropped_deps]
    roots = [e[1] for e in kept if real(e[1]) not in dropped_deps]
    needed_paths, needed_names = closure(roots)
    return {
        e[0]
        for e in candidates
        if real(e[1]) not in needed_paths and PurePath(e[0]).name not in needed_names
    }


def babel_languages_from(text: str | None) -> frozenset[str] | None:
    """``"en, de"`` → ``{"en", "de"}``; empty or None → None (keep every locale)."""
    languages = frozenset(part.strip() for part in (text or "").split(",") if part.strip())
    return languages or None


def link_target(entry: Entry) -> str:
    """A SYMLINK entry's target as a bundle path (its src is relative to the link)."""
    return os.path.normpath(os.path.join(os.path.dirname(entry[0]), entry[1]))


def prune(
    binaries: list[Entry],
    datas: list[Entry],
    get_imports: GetImports,
    babel_languages: frozenset[str] | None = None,
) -> tuple[list[Entry], list[Entry], set[str]]:
    """``binaries`` and ``datas`` without unused Qt parts and the libraries only they used.

    Also drops the top-level SYMLINK entries (kept by PyInstaller in ``datas``, e.g.
    ``libQt6Gui.so.6 -> PySide6/Qt/lib/libQt6Gui.so.6``) whose target is gone, so the bundle
    carries no dangling links. ``babel_languages``: see :func:`keep`. Returns (binaries,
    datas, names of the orphans removed).
    """
    kept = [e for e in binaries if keep(e)]
    dropped = [e for e in binaries if not keep(e)]
    lonely = orphans(kept, dropped, get_imports)
    gone = lonely | {e[0] for e in dropped}
    new_binaries = [e for e in kept if e[0] not in lonely]
    new_datas = [
        e
        for e in datas
        if keep(e, babel_languages) and not (e[2] == "SYMLINK" and link_target(e) in gone)
    ]
    return new_binaries, new_datas, lonely
