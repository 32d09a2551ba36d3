"""Statement imports on a real book: importing N rows, and deciding a small import into an
account that already holds 100,000 imported rows (the duplicate rule reads the account's
statement-rows stream, never the log).

    PYTHONPATH=. python tests/benchmarks/bench_import.py [ROWS] [REPEATS] [BOOK_EVENTS]

Prints one JSON object: rows/s of the big import (one command, with the read models), and the
time of a 20-row import's decide (preview) and execute, with a warm service and with a fresh
one (snapshot plus tail, as a CLI run has), each repeated. With BOOK_EVENTS, the book is a copy
of the benchmarks' generated book of that many events (cached, see ``_common``) instead of an
empty one.
"""

from __future__ import annotations

import datetime as dt
import json
import resource
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from app.composition import Book  # noqa: E402
from domain.model.commands import ImportStatement, OpenAccount, StatementLine  # noqa: E402
from domain.model.events import AccountType  # noqa: E402

DAY = dt.date(2020, 1, 1)


def rows(count: int, start: int = 0) -> tuple[StatementLine, ...]:
    return tuple(
        StatementLine(
            line=n + 2,
            booking_date=DAY + dt.timedelta(days=n // 50),
            amount=Decimal(f"-{1 + n % 997}.{n % 100:02d}"),
            payee=f"Payee {n % 3000}",
            bank_id=f"FIT{n}",
            raw=f"{DAY};Payee {n % 3000};-{1 + n % 997}",
        )
        for n in range(start, start + count)
    )


def command(lines: tuple[StatementLine, ...]) -> ImportStatement:
    return ImportStatement(
        account_id="chk", file_name="big.csv", sha256="0" * 64, format="csv", rows=lines
    )


def timed(action: object) -> float:
    began = time.perf_counter()
    action()  # type: ignore[operator]
    return time.perf_counter() - began


def main() -> None:
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    events = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    with tempfile.TemporaryDirectory() as folder:
        if events:
            sys.path.insert(0, str(Path(__file__).parent))
            from _common import cached_book, copy_book

            path = copy_book(cached_book(events)[0], Path(folder))
            book = Book.open(path)
        else:
            path = Path(folder) / "import.tallybook"
            book = Book.create(path)
        book.service.execute(
            OpenAccount(name="Bank statements (bench)", account_type=AccountType.ASSET,
                        currency="EUR", opening_date=DAY, account_id="chk")
        )  # fmt: skip
        big = timed(lambda: book.service.execute(command(rows(size))))
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
        small = [command(rows(20, start=size + 20 * i)) for i in range(2 * repeats)]
        warm_preview = [timed(lambda c=c: book.service.preview(c)) for c in small[:repeats]]
        warm_execute = [timed(lambda c=c: book.service.execute(c)) for c in small[:repeats]]
        book.close()
        cold_preview, cold_execute = [], []
        for c in small[repeats:]:
            fresh = Book.open(path)
            cold_preview.append(timed(lambda c=c, f=fresh: f.service.preview(c)))
            fresh.close()
            fresh = Book.open(path)
            cold_execute.append(timed(lambda c=c, f=fresh: f.service.execute(c)))
            fresh.close()

    def ms(values: list[float]) -> list[float]:
        return sorted(round(v * 1000, 1) for v in values)

    print(json.dumps({
        "book_events_before": events,
        "import_rows": size,
        "import_seconds": round(big, 2),
        "rows_per_second": round(size / big),
        "peak_rss_mb_after_import": round(peak),
        "decide_20_rows_ms_warm": ms(warm_preview),
        "execute_20_rows_ms_warm": ms(warm_execute),
        "decide_20_rows_ms_fresh_service": ms(cold_preview),
        "execute_20_rows_ms_fresh_service": ms(cold_execute),
    }))  # fmt: skip


if __name__ == "__main__":
    main()
