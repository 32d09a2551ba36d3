"""Lines of input for ``apply``, and whether the next one is already there.

``apply`` groups the lines that are waiting into one commit; to know whether one is waiting
without waiting for it, a thread reads stdin ahead into a queue (a select on the pipe would
miss lines already in the reader's buffer, and Windows cannot select on pipes).
"""

from __future__ import annotations

import enum
import queue
import threading
from collections.abc import Iterable, Iterator

Line = str | bytes

READ_AHEAD = 10_000
"""Lines read ahead at most (bounded, so a huge input is not read into memory)."""


class _Mark(enum.Enum):
    END = enum.auto()
    NOT_YET = enum.auto()


class _Failed:
    """Reading stdin raised: the reader raises it in its turn."""

    def __init__(self, exc: BaseException) -> None:
        self.exc = exc


class LineFeed:
    """Lines from ``lines``; read ahead by a thread if ``read_ahead`` (else every line of
    ``lines`` counts as waiting, as a list's do)."""

    def __init__(self, lines: Iterable[Line], *, read_ahead: bool) -> None:
        self._lines: Iterator[Line] = iter(lines)
        self._held: Line | _Mark | None = None
        self._queue: queue.Queue[Line | _Mark | _Failed] | None = None
        if read_ahead:
            self._queue = queue.Queue(READ_AHEAD)
            threading.Thread(target=self._read, name="apply-stdin", daemon=True).start()

    def _read(self) -> None:
        assert self._queue is not None
        try:
            for line in self._lines:
                self._queue.put(line)
        except BaseException as exc:  # a read error reaches the reader, not a thread's stderr
            self._queue.put(_Failed(exc))
        self._queue.put(_Mark.END)

    def _get(self, *, wait: bool) -> Line | _Mark:
        if self._queue is None:
            return next(self._lines, _Mark.END)
        try:
            item = self._queue.get(block=wait)
        except queue.Empty:
            return _Mark.NOT_YET
        if isinstance(item, _Failed):
            raise item.exc
        return item

    def take(self) -> Line | None:
        """The next line, waiting for it if need be; None at the end."""
        item, self._held = self._held, None
        if item is None:
            item = self._get(wait=True)
        if item is _Mark.END:
            self._held = _Mark.END  # the end stays the end
            return None
        assert not isinstance(item, _Mark)
        return item

    def waiting(self) -> bool:
        """Whether a next line is already there (taking it would not wait)."""
        if self._held is None:
            item = self._get(wait=False)
            if item is _Mark.NOT_YET:
                return False
            self._held = item
        return self._held is not _Mark.END
