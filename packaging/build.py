"""Build the Tallybook bundle with PyInstaller, on Linux, macOS or Windows.

    python packaging/build.py            # icons, bundle, size report
    python packaging/build.py --smoke    # ... then run the bundle's --self-test

Run it with the project's virtual environment's Python (``make package`` does). It installs
the ``package`` extra (PyInstaller, Pillow) into that environment when missing, renders the
icons from resources/icons/tallybook.svg, runs packaging/tallybook.spec and prints the
bundle's unpacked size, failing when it is over ``--max-mb``. Needs no display and no network
beyond the package index (and that only for the first install of the extra).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "tallybook.spec"
DIST = ROOT / "dist"
WORK = ROOT / "build" / "pyinstaller"
MAX_MB = 200.0

INSTALL_DESKTOP = """#!/bin/sh
# Add Tallybook to this user's desktop: menu entry, icon, and *.tallybook files open in it.
here=$(cd "$(dirname "$0")" && pwd)
exec sh "$here/_internal/packaging/linux/install.sh" --bundle "$here" "$@"
"""


def bundle_path(dist: Path = DIST) -> Path:
    """What the build produces: the .app on macOS, else the one-folder bundle."""
    return dist / "Tallybook.app" if sys.platform == "darwin" else dist / "Tallybook"


def executable(dist: Path = DIST) -> Path:
    """The bundle's executable."""
    if sys.platform == "darwin":
        return dist / "Tallybook.app" / "Contents" / "MacOS" / "tallybook"
    return dist / "Tallybook" / ("tallybook.exe" if sys.platform == "win32" else "tallybook")


def size_of(folder: Path) -> tuple[int, int]:
    """(bytes, files) under ``folder``, counting symlinks as links, not as their targets."""
    total = files = 0
    for dirpath, _dirs, names in os.walk(folder):
        for name in names:
            total += (Path(dirpath) / name).lstat().st_size
            files += 1
    return total, files


def package_requirements() -> list[str]:
    """The ``package`` extra of pyproject.toml: what building needs beyond the app."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    return list(project["optional-dependencies"]["package"])


def ensure_build_tools() -> None:
    """Install the ``package`` extra into this environment if PyInstaller or Pillow is missing."""
    missing = [m for m in ("PyInstaller", "PIL") if importlib.util.find_spec(m) is None]
    if not missing:
        return
    if sys.prefix == sys.base_prefix and not os.environ.get("TALLYBOOK_ALLOW_SYSTEM_PIP"):
        raise SystemExit(
            f"build.py: {', '.join(missing)} missing and {sys.executable} is not a virtual "
            "environment; run it with .venv/bin/python (make package)"
        )
    requirements = package_requirements()
    print(f"build.py: installing {' '.join(requirements)}", flush=True)
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", *requirements], check=True)
    importlib.invalidate_caches()


def run(cmd: list[str], env: dict[str, str] | None = None) -> None:
    print("+ " + " ".join(cmd), flush=True)
    subprocess.run(cmd, cwd=ROOT, check=True, env=env)


def build(*, clean: bool, dist: Path, languages: str = "") -> Path:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}  # icon rendering needs no display
    env["TALLYBOOK_BABEL_LANGUAGES"] = languages  # read by tallybook.spec
    run([sys.executable, str(ROOT / "packaging" / "make_icons.py")], env=env)
    cmd = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
           "--distpath", str(dist), "--workpath", str(WORK), str(SPEC)]  # fmt: skip
    if clean:
        cmd.insert(3, "--clean")
    started = time.monotonic()
    run(cmd, env=env)
    print(f"build.py: PyInstaller took {time.monotonic() - started:.0f} s")
    if sys.platform.startswith("linux"):
        script = dist / "Tallybook" / "install-desktop.sh"
        script.write_text(INSTALL_DESKTOP, encoding="utf-8")
        script.chmod(0o755)
    return bundle_path(dist)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the Tallybook bundle with PyInstaller.")
    parser.add_argument("--clean", action="store_true", help="empty PyInstaller's caches first")
    parser.add_argument("--smoke", action="store_true", help="run the bundle's --self-test")
    parser.add_argument("--dist", type=Path, default=DIST, help="output folder (%(default)s)")
    parser.add_argument("--locales", default="", metavar="en,de,...",
                        help="bundle only these languages' Babel data (default: all, 32 MB); "
                        "money in other locales is then formatted as en_US")  # fmt: skip
    parser.add_argument("--max-mb", type=float, default=MAX_MB,
                        help="fail if the unpacked bundle is larger (%(default)s MB)")  # fmt: skip
    args = parser.parse_args(argv)

    ensure_build_tools()
    bundle = build(clean=args.clean, dist=args.dist.resolve(), languages=args.locales)
    size, files = size_of(bundle)
    mb = size / 1_000_000
    print(f"build.py: {bundle} — {mb:.1f} MB unpacked in {files} files")
    if shutil.which("du") and sys.platform != "win32":
        du = subprocess.run(["du", "-sh", str(bundle)], capture_output=True, text=True)
        print(f"build.py: du -sh: {du.stdout.strip()}")
    if mb > args.max_mb:
        print(f"build.py: bundle is over the {args.max_mb:.0f} MB budget", file=sys.stderr)
        return 1
    if args.smoke:
        smoke = ROOT / "packaging" / "smoke.py"
        return subprocess.run([sys.executable, str(smoke), str(executable(args.dist))]).returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
