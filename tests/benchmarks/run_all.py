"""Run every benchmark script and print one combined JSON object (``make bench``).

    python tests/benchmarks/run_all.py [SIZE ...]     (default: 10000 100000)

Sizes are event counts of the generated workload; ``SIZES="10000 1000000" make bench``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import _common as c

SCRIPTS = ("bench_store.py", "bench_read.py", "bench_read_all.py", "bench_gui.py")  # gui: offscreen


def main(argv: list[str]) -> int:
    c.pin_code()  # every script of the run uses one copy of the code, and so one set of books
    sizes = [a.replace("_", "") for a in argv] or [str(s) for s in c.DEFAULT_SIZES]
    combined: dict[str, Any] = {"machine": c.machine(), "sizes": {}}
    here = Path(__file__).parent
    for script in SCRIPTS:
        done = subprocess.run(
            [sys.executable, str(here / script), *sizes],
            check=False,
            stdout=subprocess.PIPE,
            text=True,
        )
        if done.returncode != 0:
            print(f"run_all: {script} failed", file=sys.stderr)
            return 1
        for size, figures in json.loads(done.stdout)["sizes"].items():
            merged = combined["sizes"].setdefault(size, {})
            # the first script's import figures say whether this run built the book
            merged.update({k: v for k, v in figures.items() if k not in merged})
    print(json.dumps(combined, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
