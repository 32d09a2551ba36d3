"""packaging/linux/install.sh into a throw-away home: desktop entry, MIME type, icons, removal."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "packaging" / "linux" / "install.sh"
APP_ID = "io.tallybook.Tallybook"

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="freedesktop integration")


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


def _run(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / ".local/share"),
    }
    return subprocess.run(
        ["sh", str(SCRIPT), *args], env=env, capture_output=True, text=True, check=True
    )


def _fake_bundle(tmp_path: Path) -> Path:
    bundle = tmp_path / "Tallybook"
    bundle.mkdir()
    exe = bundle / "tallybook"
    exe.write_text("#!/bin/sh\nexit 0\n")
    exe.chmod(0o755)
    return bundle


def test_install_places_desktop_entry_mime_type_and_icons(home: Path, tmp_path: Path) -> None:
    _run(home, "--bundle", str(_fake_bundle(tmp_path)))
    data = home / ".local/share"
    installed_exe = data / "tallybook/bundle/tallybook"
    desktop = (data / f"applications/{APP_ID}.desktop").read_text()
    assert f"Exec={installed_exe} %f" in desktop.splitlines()
    assert "MimeType=application/x-tallybook;" in desktop.splitlines()
    assert (home / ".local/bin/tallybook").resolve() == installed_exe.resolve()
    assert (data / f"mime/packages/{APP_ID}.xml").is_file()
    for size in (16, 48, 512):
        theme = data / f"icons/hicolor/{size}x{size}"
        assert (theme / f"apps/{APP_ID}.png").is_file()
        assert (theme / "mimetypes/application-x-tallybook.png").is_file()


@pytest.mark.skipif(shutil.which("update-mime-database") is None, reason="needs shared-mime-info")
def test_installed_mime_type_claims_tallybook_files(home: Path, tmp_path: Path) -> None:
    _run(home, "--bundle", str(_fake_bundle(tmp_path)))
    book = tmp_path / "Household.tallybook"
    other = tmp_path / "other.sqlite3"
    for path in (book, other):
        path.write_bytes(b"SQLite format 3\x00" + bytes(84))
    # A fresh process: QMimeDatabase reads the XDG caches once.
    probe = (
        "import sys\n"
        "from PySide6.QtCore import QMimeDatabase\n"
        "db = QMimeDatabase()\n"
        "print(*(db.mimeTypeForFile(p).name() for p in sys.argv[1:]))\n"
    )
    env = {**os.environ, "XDG_DATA_HOME": str(home / ".local/share")}
    out = subprocess.run(
        [sys.executable, "-c", probe, str(book), str(other)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert out == ["application/x-tallybook", "application/vnd.sqlite3"]
    if shutil.which("update-desktop-database"):
        cache = (home / ".local/share/applications/mimeinfo.cache").read_text()
        assert f"application/x-tallybook={APP_ID}.desktop;" in cache


def test_uninstall_removes_what_install_placed(home: Path, tmp_path: Path) -> None:
    _run(home, "--bundle", str(_fake_bundle(tmp_path)))
    _run(home, "--uninstall")
    data = home / ".local/share"
    assert not (data / f"applications/{APP_ID}.desktop").exists()
    assert not (data / f"mime/packages/{APP_ID}.xml").exists()
    assert not (data / "tallybook").exists()
    assert not (home / ".local/bin/tallybook").exists()
    assert not list((data / "icons").rglob("*.png"))


def test_install_without_bundle_or_command_refuses(home: Path, tmp_path: Path) -> None:
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / ".local/share"),
    }
    # A copy of the script outside the repo, so no dist/ bundle is found beside it.
    script = tmp_path / "packaging/linux/install.sh"
    script.parent.mkdir(parents=True)
    shutil.copy(SCRIPT, script)
    result = subprocess.run(["sh", str(script)], env=env, capture_output=True, text=True)
    assert result.returncode == 1
    assert "no bundle" in result.stderr


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="desktop-file-utils")
def test_desktop_entry_is_valid() -> None:
    desktop = ROOT / f"resources/linux/{APP_ID}.desktop"
    result = subprocess.run(["desktop-file-validate", str(desktop)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Exec=tallybook %f" in desktop.read_text().splitlines()


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="needs appstreamcli")
def test_appstream_metainfo_is_valid() -> None:
    metainfo = ROOT / f"resources/linux/{APP_ID}.metainfo.xml"
    result = subprocess.run(
        ["appstreamcli", "validate", "--no-net", str(metainfo)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
