"""Copying between book files: every command's fingerprint goes with it, whatever form its id
has (the commands table keys base32 and hex ids as bytes), looked up a batch at a time."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from domain.model.commands import new_id
from domain.store import copying
from domain.store.base import Metadata, NewEvent
from domain.store.sqlite import SqliteEventStore


def _commands(path: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT * FROM commands ORDER BY first_position").fetchall()


@pytest.mark.parametrize("batch", [3, copying.BATCH])
def test_a_copy_keeps_every_commands_fingerprint(
    tmp_path: Path, batch: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(copying, "BATCH", batch)
    first, second = tmp_path / "a.tallybook", tmp_path / "b.tallybook"
    ids = [
        new_id() if n % 3 == 0 else f"{n:032x}" if n % 3 == 1 else f"cmd {n}" for n in range(700)
    ]
    with SqliteEventStore.create(first) as source:
        with source.transaction():
            for n, command_id in enumerate(ids):
                source.append(
                    [NewEvent(f"s{n}", "Happened", 1, {"n": n}, ("all",))],
                    {f"s{n}": 0, "all": n},
                    Metadata(command_id, fingerprint=b"" if n == 5 else n.to_bytes(8, "big")),
                )
        with SqliteEventStore.create(second, like=source.info()) as copy:
            assert copy.copy_from(source) == 700 and copy.verify().ok
    copied = _commands(second)
    assert copied == _commands(first) and len(copied) == 700
    assert copied[5][3] is None and copied[6][3] == (6).to_bytes(8, "big")
