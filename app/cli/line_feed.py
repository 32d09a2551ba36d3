"""Lines of input for ``apply``, and whether the next one is already there.

``apply`` groups the lines that are waiting into one commit; to know whether one is waiting
without waiting for it, a thread reads stdin ahead (a select on the pipe would miss lines
already in the reader's buffer, and Windows cannot select on pipes).

The lines pass through a deque, not a ``queue.Queue``: a queue takes a lock and notifies
the other thread for every line, and with a full queue each line taken woke the reader to
read one more, trading the GIL twice a line (a tenth of ``apply``'s time). Here a line is
taken without a lock while lines are there; the reader is woken only when the taker waits
for one, or when a full read-ahead has been drained to half.
"""

from __future__ import annotations

import collections
import enum
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

    def __init__(self, lines: Iterable[Line], *, read_ahead: bool, limit: int = READ_AHEAD) -> None:
        self._lines: Iterator[Line] = iter(lines)
        self._held: Line | _Mark | None = None
        self._ready: collections.deque[Line | _Mark | _Failed] = collections.deque()
        self._limit = max(2, limit)
        # one lock for both sides: only one of them can be waiting (for a line, or for room)
        self._turn = threading.Condition(threading.Lock())
        self._taker_waits = False
        self._reader_waits = False
        self._threaded = read_ahead
        if read_ahead:
            threading.Thread(target=self._read, name="apply-stdin", daemon=True).start()

    def _read(self) -> None:
        try:
            for line in self._lines:
                self._put(line)
        except BaseException as exc:  # a read error reaches the reader, not a thread's stderr
            self._put(_Failed(exc))
        self._put(_Mark.END)

    def _put(self, item: Line | _Mark | _Failed) -> None:
        ready, turn = self._ready, self._turn
        with turn:
            ready.append(item)
            if self._taker_waits:
                turn.notify()
            while len(ready) >= self._limit:  # full: wait until it is half drained
                self._reader_waits = True
                turn.wait()

    def _get(self, *, wait: bool) -> Line | _Mark:
        if not self._threaded:
            return next(self._lines, _Mark.END)
        ready = self._ready
        if not ready:
            if not wait:
                return _Mark.NOT_YET
            with self._turn:
                while not ready:  # the reader appends under this lock: no wakeup is lost
                    if self._reader_waits:  # for room, with none there: wakes it in any case
                        self._reader_waits = False
                        self._turn.notify()
                    self._taker_waits = True
                    self._turn.wait()
                self._taker_waits = False
        item = ready.popleft()  # only this thread takes: a line seen there is still there
        # (read without the lock: a wakeup missed here is given when the deque is empty)
        if self._reader_waits and len(ready) <= self._limit // 2:
            with self._turn:
                self._reader_waits = False
                self._turn.notify()
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
