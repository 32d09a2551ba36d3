"""The entry row's completion: how long a keystroke in the payee or account field takes.

    QT_QPA_PLATFORM=offscreen python tests/benchmarks/bench_autocomplete.py [PAYEES ACCOUNTS]

(default 5000 payees, 500 accounts) prints one JSON object. The payee field completes over
PAYEES generated names (most recent first, as :class:`PayeeSuggestions` lists them), the
account field over ACCOUNTS names, with the real widgets (:class:`CompletingEdit`):

- ``filter_ms``: the completer's filtering alone, ``setCompletionPrefix`` and
  ``currentCompletion``, for every 1- to 4-letter prefix of 300 random names;
- ``keystroke_ms``: one real key press (``QTest.keyClick``) in the field, until the inline
  completion is shown, typing 300 random names' first 4 letters from an empty field;
- ``after_change_ms``: the same, but the list changes before each name (a payee moved to
  the front, as after every recorded entry), which empties QCompleter's cache of filtered
  prefixes: every first letter filters the whole list again. The worst case.

Median, p95 and max in ms. Target: a keystroke answered within 30 ms.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.models.completions import NamesModel
from app.window.entry_fields import CompletingEdit

SAMPLES = 300
_SYLLABLES = ("ka", "ro", "mi", "sa", "te", "lu", "ne", "bo", "da", "fi", "go", "ha", "pe",
              "ri", "so", "tu", "ve", "wa", "zi", "ma")  # fmt: skip
_KINDS = ("Market", "Bakery", "Café", "GmbH", "Shop", "Pharmacy", "Garage", "Bar", "& Sons")


def names(count: int, seed: int) -> list[str]:
    """``count`` distinct shop-like names ("Kamisa Bakery")."""
    rng = random.Random(seed)
    found: dict[str, None] = {}
    while len(found) < count:
        word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))).title()
        found[f"{word} {rng.choice(_KINDS)}"] = None
    return list(found)


def stats(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "median_ms": round(statistics.median(ordered) * 1000, 3),
        "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1] * 1000, 3),
        "max_ms": round(ordered[-1] * 1000, 3),
        "samples": len(ordered),
    }


def measure(listed: list[str], seed: int) -> dict[str, dict[str, float]]:
    model = NamesModel()
    model.fill(listed)
    edit = CompletingEdit(model)
    edit.show()
    edit.activateWindow()  # a line completes only while it has the focus
    edit.setFocus()
    deadline = time.monotonic() + 5
    while not edit.hasFocus() and time.monotonic() < deadline:
        QApplication.processEvents()
    completer = edit.completer()
    rng = random.Random(seed)
    picked = [rng.choice(listed) for _ in range(SAMPLES)]
    filtering: list[float] = []
    for name in picked:
        for length in range(1, 5):
            start = time.perf_counter()
            completer.setCompletionPrefix(name[:length])
            completer.currentCompletion()
            filtering.append(time.perf_counter() - start)
    warm = type_names(edit, picked, lambda _name: None)
    cold = type_names(edit, picked, lambda name: model.to_front([name]))
    return {"filter_ms": stats(filtering), "keystroke_ms": stats(warm),
            "after_change_ms": stats(cold)}  # fmt: skip


def type_names(
    edit: CompletingEdit, picked: list[str], before: Callable[[str], None]
) -> list[float]:
    keys: list[float] = []
    completed = 0
    for name in picked:
        before(name)
        edit.clear()
        for char in name[:4]:
            start = time.perf_counter()
            QTest.keyClick(edit, char)
            keys.append(time.perf_counter() - start)
        text = edit.text()
        assert text.casefold().startswith(name[:4].casefold())
        completed += len(text) > 4 and bool(edit.selectedText())
    assert completed == len(picked), "every name typed was completed in place"
    return keys


def main() -> None:
    payees, accounts = (int(a) for a in sys.argv[1:3]) if len(sys.argv) >= 3 else (5000, 500)
    app = QApplication.instance() or QApplication([])
    result = {
        "payees": {"count": payees, **measure(names(payees, 1), 2)},
        "accounts": {"count": accounts, **measure(names(accounts, 3), 4)},
        "target_ms": 30,
    }
    print(json.dumps(result, indent=2))
    del app


if __name__ == "__main__":
    main()
