"""Whole-process ``tallybook-cli apply`` throughput: lines per second for a file of N lines.

    python tests/benchmarks/bench_apply.py [LINES] [--repeats R] [--before DIR]
        [--only VARIANT,...] [--no-bytecode-cache]

Each run applies the same JSON-lines file (accounts opened by the first lines, then deposits,
withdrawals and transfers by account name) to a new book, as one process from start to exit,
stdin from the file. Variants run in turn (A B C A B C ...) so that drift of the machine's
speed hits all alike: ``group`` (this tree), ``no-group`` (this tree with ``--no-group``: one
commit per line) and, with ``--before DIR``, ``before`` (the code in DIR, say a checkout of the
main branch). Prints one JSON object: per variant the median, min and max lines/s.

Each tree's modules run from a bytecode cache of its own (``PYTHONPYCACHEPREFIX`` in the
temporary folder), filled by one untimed run per variant first, as an installed program has
its ``.pyc`` files; ``--no-bytecode-cache`` keeps the environment as it is (where
``PYTHONDONTWRITEBYTECODE`` is set, every process compiles the tree's ~110 modules again).
``--only`` runs some of the variants.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]

OPENINGS = [
    {"command": "open_account", "name": "Checking", "account_type": "asset", "currency": "EUR",
     "opening_balance": "1000.00", "opening_date": "2024-01-01"},
    {"command": "open_account", "name": "Savings", "account_type": "asset", "currency": "EUR",
     "opening_date": "2024-01-01"},
    {"command": "open_account", "name": "Salary", "account_type": "income", "currency": "EUR",
     "opening_date": "2024-01-01"},
    {"command": "open_account", "name": "Rent", "account_type": "expense", "currency": "EUR",
     "opening_date": "2024-01-01"},
]  # fmt: skip


def workload(count: int) -> list[str]:
    """``count`` JSON lines: the openings, then a deposit, a withdrawal and a transfer in turn
    (the balance only grows, so every line succeeds)."""
    lines = [json.dumps(o) for o in OPENINGS]
    day = 0
    while len(lines) < count:
        date = f"2024-{1 + day // 28 % 12:02d}-{1 + day % 28:02d}"
        step = len(lines) % 3
        if step == 0:
            line = {"command": "deposit", "account": "Checking", "income_account": "Salary",
                    "amount": "100.00", "booking_date": date, "payee": "ACME"}  # fmt: skip
        elif step == 1:
            line = {"command": "withdraw", "account": "Checking", "expense_account": "Rent",
                    "amount": "30.00", "booking_date": date}  # fmt: skip
        else:
            line = {"command": "transfer", "from_account": "Checking", "to_account": "Savings",
                    "amount": "10.00", "booking_date": date}  # fmt: skip
            day += 1
        lines.append(json.dumps(line))
    return lines[:count]


def run_once(
    code: Path,
    extra: list[str],
    lines_file: Path,
    folder: Path,
    count: int,
    pycache: Path | None = None,
) -> tuple[float, float]:
    """Lines/s of one whole ``apply`` process on a new book, by the clock and per second of
    the CPU it used (user + system: less hit by other work on the machine); checks every
    line succeeded."""
    book = folder / f"b{time.monotonic_ns()}.tallybook"
    out = folder / "answers.jsonl"
    env = {**os.environ, "PYTHONPATH": str(code), "TALLYBOOK_READ_MODELS_DIR": str(folder)}
    if pycache is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(pycache)
    with lines_file.open("rb") as stdin, out.open("wb") as stdout:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        status = subprocess.run(
            [sys.executable, "-m", "app.cli.main", "apply", str(book), *extra],
            stdin=stdin, stdout=stdout, env=env, cwd=code, check=False,
        ).returncode  # fmt: skip
        seconds = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    answers = out.read_text().splitlines()
    if status or len(answers) != count or not all('"ok": true' in a for a in answers):
        raise SystemExit(f"{code} {extra}: exit {status}, {len(answers)} answers")
    for leftover in folder.glob(f"{book.name}*"):
        leftover.unlink()
    return count / seconds, count / cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lines", type=int, nargs="?", default=20_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--before", type=Path, help="another checkout to compare with")
    parser.add_argument("--only", help="comma-separated variants to run (group, no-group, before)")
    parser.add_argument(
        "--no-bytecode-cache", action="store_true", help="run with the environment as it is"
    )
    args = parser.parse_args()
    variants: dict[str, tuple[Path, list[str]]] = {
        "group": (ROOT, []),
        "no-group": (ROOT, ["--no-group"]),
    }
    if args.before is not None:
        variants["before"] = (args.before.resolve(), [])
    if args.only:
        variants = {name: variants[name] for name in args.only.split(",")}
    rates: dict[str, list[float]] = {name: [] for name in variants}
    cpu_rates: dict[str, list[float]] = {name: [] for name in variants}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        lines_file = folder / "lines.jsonl"
        lines_file.write_text("\n".join(workload(args.lines)) + "\n")
        caches: dict[str, Path | None] = {
            name: None if args.no_bytecode_cache else folder / f"pycache-{name}"
            for name in variants
        }
        if not args.no_bytecode_cache:  # fill each cache (and the file cache): untimed
            for name, (code, extra) in variants.items():
                run_once(code, extra, lines_file, folder, args.lines, caches[name])
        for _ in range(args.repeats):
            for name, (code, extra) in variants.items():
                rate, cpu_rate = run_once(code, extra, lines_file, folder, args.lines, caches[name])
                rates[name].append(rate)
                cpu_rates[name].append(cpu_rate)
    result: dict[str, Any] = {
        "lines": args.lines,
        "repeats": args.repeats,
        "bytecode_cache": not args.no_bytecode_cache,
    }
    for name, values in rates.items():
        result[name] = {
            "median_lines_per_s": round(statistics.median(values)),
            "min": round(min(values)),
            "max": round(max(values)),
            "median_lines_per_cpu_s": round(statistics.median(cpu_rates[name])),
        }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
