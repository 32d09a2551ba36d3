"""packaging/smoke.py against stand-in executables, and build.py's helpers."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="stand-ins are shell scripts")


def _load(name: str) -> ModuleType:
    sys.path.insert(0, str(ROOT / "packaging"))  # smoke.py imports its sibling build.py
    try:
        spec = importlib.util.spec_from_file_location(name, ROOT / "packaging" / f"{name}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(ROOT / "packaging"))


smoke = _load("smoke")
build = _load("build")

PASSING = {"ok": True, "events": 3, "platform": "offscreen", "qt": "6", "frozen": True}


def stand_in(tmp_path: Path, body: str) -> Path:
    """An executable that plays the bundle: ``body`` is Python run for ``--self-test``."""
    script = tmp_path / "tallybook"
    script.write_text(f"#!{sys.executable}\nimport json, os, sys, time\n{body}\n")
    script.chmod(0o755)
    return script


def test_passing_self_test_is_reported_with_its_start_up_time(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exe = stand_in(tmp_path, (
        "assert sys.argv[1:] == ['--self-test'] and os.environ['QT_QPA_PLATFORM'] == 'offscreen'\n"
        "print('SELFTEST window-shown', flush=True)\n"
        f"print(json.dumps({PASSING!r}))"
    ))  # fmt: skip
    assert smoke.main([str(exe), "--runs", "2"]) == 0
    out = capsys.readouterr().out
    assert "smoke: ok" in out and "median" in out and "over 2 run(s)" in out


def test_failing_self_test_fails_the_smoke_check_with_its_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exe = stand_in(tmp_path, (
        "print(json.dumps({'ok': False, 'error': 'integrity check failed'}))\n"
        "sys.exit(1)"
    ))  # fmt: skip
    assert smoke.main([str(exe)]) == 1
    assert "integrity check failed" in capsys.readouterr().err


def test_a_crash_without_output_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    exe = stand_in(tmp_path, "sys.stderr.write('cannot load the Qt platform plugin'); sys.exit(3)")
    assert smoke.main([str(exe)]) == 1
    err = capsys.readouterr().err
    assert "printed no result" in err and "Qt platform plugin" in err


def test_a_hung_bundle_is_killed_at_the_timeout(tmp_path: Path) -> None:
    exe = stand_in(tmp_path, "import threading; threading.Event().wait(60)  # hangs")
    result = smoke.run_once(exe, "offscreen", timeout=0.5)
    assert result["ok"] is False and "killed after" in result["error"]


def test_result_file_serves_a_build_without_stdout(tmp_path: Path) -> None:
    exe = stand_in(tmp_path, (
        "with open(os.environ['TALLYBOOK_SELFTEST_OUT'], 'w') as f:\n"
        f"    f.write(json.dumps({PASSING!r}) + '\\n')"
    ))  # fmt: skip
    assert smoke.run_once(exe, "offscreen", timeout=30)["ok"] is True


def test_missing_bundle_says_to_build_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert smoke.main([str(tmp_path / "nothing")]) == 2
    assert "run packaging/build.py first" in capsys.readouterr().err


def test_package_extra_brings_pyinstaller_and_pillow() -> None:
    names = " ".join(build.package_requirements()).lower()
    assert "pyinstaller" in names and "pillow" in names


def test_size_counts_links_once(tmp_path: Path) -> None:
    (tmp_path / "lib.so").write_bytes(bytes(1000))
    os.symlink("lib.so", tmp_path / "lib.so.6")
    size, files = build.size_of(tmp_path)
    assert files == 2 and 1000 < size < 1100


def test_executable_is_inside_the_bundle() -> None:
    exe = build.executable(Path("dist"))
    assert exe.name.startswith("tallybook")
    assert build.bundle_path(Path("dist")) in exe.parents
