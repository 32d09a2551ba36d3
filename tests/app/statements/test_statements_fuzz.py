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
