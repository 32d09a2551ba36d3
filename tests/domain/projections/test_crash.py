"""kill -9 while commands are written: the read-model cache never runs ahead of the book."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from projection_book import Book
from test_catch_up import assert_matches_fold

from domain.application.service import BookService
from domain.projections import ReadModels
from domain.store.sqlite import SqliteEventStore

STRESS = max(1, int(os.environ.get("TALLYBOOK_STRESS", "1")))
ROOT = Path(__file__).resolve().parents[3]

# executes generated commands through a Book (read models attached) and prints each
# command's last position once it is committed
_WRITER = """
import sys
from app.composition import Book
from app.sample_data import generate_commands
with Book.open(sys.argv[1], create_if_missing=True) as book:
    print("ready", flush=True)
    for command in generate_commands(8, 100_000, seed=11):
        try:
            events = book.service.execute(command)
        except Exception:
            continue  # a rule the generator broke: nothing was appended
        print(events[-1].position, flush=True)
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_after_kill_9_the_cache_lags_or_matches_and_catches_up(tmp_path: Path) -> None:
    path = tmp_path / "crash.tallybook"
    writer = subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(path)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    acked = 0
    try:
        assert writer.stdout is not None
        assert writer.stdout.readline().strip() == "ready"
        while acked < 150 * STRESS:
            line = writer.stdout.readline()
            assert line, writer.stderr.read() if writer.stderr else "writer ended"
            acked = int(line)
        os.kill(writer.pid, signal.SIGKILL)  # mid-command, most likely
    finally:
        writer.kill()
        writer.wait()
    assert writer.returncode == -signal.SIGKILL

    store = SqliteEventStore.open(path)
    try:
        head = store.head()[0]
        assert head >= acked
        models = ReadModels(store)
        assert models.checkpoint() <= head  # may lag (not flushed), never leads
        models.catch_up()
        book = Book(path, store, models, BookService(store, projectors=(models,)))
        assert_matches_fold(book)
        assert store.verify().ok
    finally:
        store.close()
