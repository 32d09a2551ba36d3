"""``tallybook`` arguments: Qt's own options are Qt's, whatever is left names the book."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from app.__main__ import parse_args

ROOT = Path(__file__).resolve().parents[2]

_PROBE = """
import json, sys
from app.__main__ import app_arguments, create_application
app = create_application(sys.argv)
args = app_arguments(app)
print(json.dumps({"book": str(args.book) if args.book else None,
                  "self_test": args.self_test, "style": app.style().name().lower()}))
"""


def started_with(*argv: str) -> dict[str, object]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *argv],
        capture_output=True, text=True, env=env, timeout=60, check=True,
    )  # fmt: skip
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_a_qt_option_with_a_value_is_not_taken_for_the_book() -> None:
    assert started_with("-style", "fusion") == {
        "book": None, "self_test": False, "style": "fusion"
    }  # fmt: skip


def test_the_book_is_found_among_qt_options() -> None:
    assert started_with("-style", "fusion", "Club.tallybook", "-reverse")["book"] == (
        "Club.tallybook"
    )


def test_the_self_test_is_recognised_before_qt_starts() -> None:
    # main() must see it before building a QApplication: the self-test picks its platform
    assert parse_args(["-style", "fusion", "--self-test"]).self_test
    assert not parse_args(["Club.tallybook"]).self_test
