"""apply's read-ahead of stdin: every line once, in order; what is waiting; a bounded buffer."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from app.cli.line_feed import LineFeed


def _eventually(condition: object, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return True
        time.sleep(0.001)
    return False


@pytest.mark.parametrize("limit", [2, 3, 10, 10_000])
def test_every_line_comes_once_in_order_whatever_the_read_ahead(limit: int) -> None:
    lines = [f"line {i}" for i in range(5_000)]
    feed = LineFeed(iter(lines), read_ahead=True, limit=limit)
    taken = []
    while (line := feed.take()) is not None:
        taken.append(line)
        feed.waiting()  # looking ahead takes nothing away
    assert taken == lines
    assert feed.take() is None and not feed.waiting()  # the end stays the end


def test_a_line_not_yet_sent_is_not_waiting_and_is_taken_once_it_comes() -> None:
    sent = threading.Event()
    read = []

    def pipe() -> Iterator[str]:
        yield "first"
        sent.wait(10)
        read.append("second")
        yield "second"

    feed = LineFeed(pipe(), read_ahead=True)
    assert feed.take() == "first"
    time.sleep(0.02)
    assert not feed.waiting() and not read  # the writer has not sent it
    sent.set()
    assert _eventually(feed.waiting)
    assert feed.take() == "second" and feed.take() is None


def test_the_reader_reads_ahead_no_more_than_its_limit() -> None:
    given = 0

    def endless() -> Iterator[str]:
        nonlocal given
        while True:
            given += 1
            yield f"line {given}"

    feed = LineFeed(endless(), read_ahead=True, limit=100)
    assert _eventually(lambda: given >= 100)
    time.sleep(0.05)
    assert given <= 101  # full: it waits for room (the line it holds is the 101st)
    for _ in range(30):  # not yet half drained: still waiting
        feed.take()
    time.sleep(0.05)
    assert given <= 101
    for _ in range(30):  # now it is: it reads again, up to the limit
        feed.take()
    assert _eventually(lambda: given > 150)
    time.sleep(0.05)
    assert given - 60 <= 101


def test_a_read_error_is_raised_to_the_taker_after_the_lines_before_it() -> None:
    def failing() -> Iterator[str]:
        yield "one"
        raise OSError("the pipe broke")

    feed = LineFeed(failing(), read_ahead=True)
    assert feed.take() == "one"
    with pytest.raises(OSError, match="the pipe broke"):
        feed.take()


def test_without_read_ahead_every_line_of_the_iterable_is_waiting() -> None:
    feed = LineFeed(["a", "b"], read_ahead=False)
    assert feed.waiting() and feed.take() == "a"
    assert feed.waiting() and feed.take() == "b"
    assert not feed.waiting() and feed.take() is None
