"""Parsing a big bank CSV: rows per second and peak memory of the parse part of an import.

    python tests/benchmarks/bench_parse.py [ROWS] [REPEATS]      (default 100000 rows, 3 runs)

prints one JSON object. The CSV is generated (seeded): a German-bank layout with a title block,
``;`` delimiter, quoted text, decimal comma with ``.`` thousands, ``DD.MM.YYYY`` dates, a
running balance column and a footer line, about 100 bytes a row. Each run is a fresh
subprocess, so its ``peak_rss_mb`` (``ru_maxrss``) is that of one parse alone, the
interpreter included (``rss_before_parse_mb``: the same process with the modules imported and
the file read, before parsing): ``detect`` runs ``parse_statements`` as the import does without a
profile (detection reads the whole file, then the rows are read), ``profile`` with the saved
profile; ``ofx`` parses an OFX 1.x file of as many transactions. Median and spread
(min-max) over the runs. Targets for the whole import: >= 10,000 rows/s and < 300 MB.
"""

from __future__ import annotations

import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

PAYEES = (
    "Stadtwerke München",
    "REWE Markt",
    "Arbeitgeber GmbH",
    "Vermieter Müller",
    "Tankstelle Süd",
    "Café Zoé",
    "Amazon EU S.a.r.l.",
    "Deutsche Bahn",
)


def generate(rows: int, seed: int = 13) -> bytes:
    """A bank CSV of ``rows`` transactions."""
    rng = random.Random(seed)
    balance = Decimal("2500.00")
    day = date(2020, 1, 1)
    lines = [
        "Umsatzanzeige Girokonto",
        "Konto;DE02120300000000202051",
        "",
        "Buchungstag;Empfänger;Verwendungszweck;Betrag;Saldo;Währung",
    ]
    for index in range(rows):
        day += timedelta(days=rng.random() < 0.1)
        cents = rng.randint(-250_000, 150_000)
        amount = Decimal(cents) / 100
        balance += amount
        lines.append(
            f'{day:%d.%m.%Y};"{rng.choice(PAYEES)}";"Ref {index} Rechnung {seed}";'
            f"{_german(amount)};{_german(balance)};EUR"
        )
    lines.append(f"Neuer Saldo;;;{_german(balance)};;EUR")
    return ("\n".join(lines) + "\n").encode("utf-8")


def generate_ofx(rows: int, seed: int = 13) -> bytes:
    """An OFX 1.x (SGML) bank statement of ``rows`` transactions."""
    rng = random.Random(seed)
    day = date(2020, 1, 1)
    parts = [
        "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\n\n<OFX><BANKMSGSRSV1><STMTTRNRS>"
        "<STMTRS><CURDEF>EUR<BANKACCTFROM><ACCTID>DE02120300000000202051</BANKACCTFROM>"
        "<BANKTRANLIST>"
    ]
    for index in range(rows):
        day += timedelta(days=rng.random() < 0.1)
        amount = Decimal(rng.randint(-250_000, 150_000)) / 100
        parts.append(
            f"<STMTTRN>\n<TRNTYPE>OTHER\n<DTPOSTED>{day:%Y%m%d}\n<TRNAMT>{amount}\n"
            f"<FITID>F{index}\n<NAME>{rng.choice(PAYEES)}\n<MEMO>Ref {index}\n"
            "</STMTTRN>"
        )
    parts.append(
        "</BANKTRANLIST><LEDGERBAL><BALAMT>0.00<DTASOF>20300101</LEDGERBAL></STMTRS>"
        "</STMTTRNRS></BANKMSGSRSV1></OFX>\n"
    )
    return "\n".join(parts).encode("cp1252")


def _german(value: Decimal) -> str:
    text = f"{abs(value):,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
    return f"-{text}" if value < 0 else text


def measure(mode: str, path: Path) -> dict[str, float | int]:
    """One parse in this process (run in a fresh subprocess by :func:`main`)."""
    from app.statements import parse_statements
    from app.statements.csv_detect import detect_profile
    from app.statements.text import decode

    data = path.read_bytes()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    profile = None
    if mode == "profile":
        profile, _ = detect_profile(*decode(data))
    start = time.perf_counter()
    [statement] = parse_statements(data, file_name=path.name, profile=profile)
    seconds = time.perf_counter() - start
    rows = len(statement.rows)
    assert not statement.errors and statement.closing is not None
    return {
        "rows": rows,
        "seconds": round(seconds, 3),
        "rows_per_s": round(rows / seconds),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "rss_before_mb": round(before, 1),
    }


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--measure":
        print(json.dumps(measure(sys.argv[2], Path(sys.argv[3]))))
        return
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "statement.csv"
        path.write_bytes(generate(rows))
        ofx = Path(folder) / "statement.ofx"
        ofx.write_bytes(generate_ofx(rows))
        report: dict[str, object] = {
            "rows": rows,
            "bytes": path.stat().st_size,
            "cores": os.cpu_count(),
            "runs": repeats,
        }
        for mode in ("detect", "profile", "ofx"):
            runs = []
            for _ in range(repeats):
                done = subprocess.run(
                    [
                        sys.executable,
                        __file__,
                        "--measure",
                        mode,
                        str(ofx if mode == "ofx" else path),
                    ],
                    capture_output=True,
                    text=True,
                    check=True,
                )
                runs.append(json.loads(done.stdout))
            speeds = [r["rows_per_s"] for r in runs]
            rss = [r["peak_rss_mb"] for r in runs]
            report[mode] = {
                "rows_per_s": statistics.median(speeds),
                "rows_per_s_spread": [min(speeds), max(speeds)],
                "seconds": statistics.median(r["seconds"] for r in runs),
                "peak_rss_mb": max(rss),
                "rss_before_parse_mb": max(r["rss_before_mb"] for r in runs),
            }
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
