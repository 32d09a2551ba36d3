"""Damaged statement files: cut anywhere or with bytes changed, a file either reads or is
refused with a StatementFileError, never another exception (no traceback for the user)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.statements import StatementFileError, parse_statements

DATA = Path(__file__).resolve().parents[2] / "data" / "statements"
SHARED = Path(__file__).resolve().parents[3] / ".." / "shared" / "statements"
FILES = sorted(p for p in DATA.iterdir() if p.is_file())
if SHARED.is_dir():
    FILES += sorted(p for p in SHARED.rglob("*") if p.is_file() and p.parent != SHARED)


def _read_or_refuse(data: bytes, name: str) -> None:
    try:
        statements = parse_statements(data, file_name=name)
    except StatementFileError as error:
        assert str(error) and "\n" not in str(error)
        return
    for statement in statements:
        for failure in statement.errors:
            assert "\n" not in failure.message


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cut=st.floats(min_value=0, max_value=1),
    flips=st.lists(st.tuples(st.floats(min_value=0, max_value=1), st.integers(0, 255)), max_size=4),
)
def test_a_damaged_file_reads_or_is_refused_in_one_line(
    path: Path, cut: float, flips: list[tuple[float, int]]
) -> None:
    data = bytearray(path.read_bytes())
    for where, byte in flips:
        data[int(where * (len(data) - 1))] = byte
    _read_or_refuse(bytes(data[: max(1, int(cut * len(data)))]), path.name)


_CELLS = st.one_of(
    st.text(alphabet="0123456789.,-/ ()$€'", max_size=12),
    st.sampled_from(
        [
            "2024-01-02",
            "31.12.2023",
            "01/02/24",
            "13/01/2024",
            "1.234,56",
            "(12.00)",
            "Datum",
            "Amount",
            "Betrag",
            "Debit",
            "Credit",
            "Saldo",
            "EUR",
            "pending",
        ]
    ),
    st.text(max_size=6),
)
_MT940 = st.sampled_from(
    [
        ":20:X",
        ":25:123",
        ":60F:C240101EUR1,00",
        ":60M:D240101EUR1,",
        ":62F:C240102EUR2,00",
        ":62M:C241301EUR2,00",
        ":61:2401020102CR1,00NTRFNONREF//A",
        ":61:240102RD1,00N",
        ":61:999999D1,00NTRF",
        ":86:?20abc?32Name",
        ":86:text",
        "-",
        "-}",
        "{1:F01}{4:",
        "more",
    ]
)
_QIF = st.sampled_from(
    [
        "!Type:Bank",
        "!Type:CCard",
        "!Type:Invst",
        "!Account",
        "!Option:AutoSwitch",
        "NName",
        "B1,00",
        "D1/2/24",
        "D31.12.2024",
        "D13/13/13",
        "T-1,000.00",
        "T1.2.3",
        "PPayee",
        "SCat",
        "$1.00",
        "^",
        "",
    ]
)
_OFX = st.sampled_from(
    [
        "<OFX>",
        "</OFX>",
        "<STMTRS>",
        "</STMTRS>",
        "<CCSTMTRS>",
        "<STMTTRN>",
        "</STMTTRN>",
        "<STMTTRNP>",
        "<TRNAMT>-1.00",
        "<TRNAMT>1,5",
        "<TRNAMT>x",
        "<DTPOSTED>20240230",
        "<DTPOSTED>20240101",
        "<FITID>1",
        "<LEDGERBAL>",
        "<BALAMT>zz",
        "<DTASOF>2024",
        "</BANKTRANLIST>",
    ]
)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    rows=st.lists(st.lists(_CELLS, min_size=1, max_size=6), min_size=1, max_size=12),
    delimiter=st.sampled_from([",", ";", "\t"]),
)
def test_generated_csv_text_reads_or_is_refused_in_one_line(
    rows: list[list[str]], delimiter: str
) -> None:
    text = "\n".join(delimiter.join(cells) for cells in rows)
    _read_or_refuse(text.encode(), "generated.csv")


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    mt940=st.lists(_MT940, max_size=14),
    qif=st.lists(_QIF, max_size=20),
    ofx=st.lists(_OFX, max_size=25),
)
def test_generated_lines_of_each_format_read_or_are_refused_in_one_line(
    mt940: list[str], qif: list[str], ofx: list[str]
) -> None:
    for lines, name in ((mt940, "x.sta"), (qif, "x.qif"), (ofx, "x.ofx")):
        _read_or_refuse("\n".join(lines).encode(), name)
