"""Walking a book's hash chain in C (``chainwalk.c``), one range of positions per thread.

The Python walk costs 4–7 µs an event, most of it making Python objects of each row's ten
columns and encoding the text back to bytes; in C an event costs about 1.5 µs, and ctypes
lets go of the GIL for each call, so threads walk ranges side by side (and beside the GUI
thread) with no child process to start. The library is built by ``make`` where a C compiler
and the shared libraries Python itself uses (``libsqlite3``, ``libcrypto``) are there; where it
is missing, :mod:`domain.store.sqlite.walk_aside` walks in child processes instead.

Like the children, the C walk only answers "all chained up to here", and is stricter than the
Python walk (see chainwalk.c): wherever it stops, :mod:`domain.store.verification` walks on
in Python from there, so what a break is called is decided by one walk only.
"""

from __future__ import annotations

import ctypes
import functools
import threading
from collections.abc import Callable
from pathlib import Path

LIBRARY = Path(__file__).with_name("_chainwalk.so")
ENABLED = True
"""Tests turn it off to walk in child processes where the library is built."""
CHUNK = 65_536
"""Positions a call walks (about 0.1 s): how often progress is told and cancel is seen."""
_WAIT_S = 0.02
_ERROR = 256

Progress = Callable[[int, int], bool]


@functools.cache
def _library() -> ctypes.CDLL | None:
    try:
        lib = ctypes.CDLL(str(LIBRARY))
    except OSError:  # not built here
        return None
    lib.tb_open.restype = ctypes.c_void_p
    lib.tb_open.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_int]
    lib.tb_close.restype = None
    lib.tb_close.argtypes = [ctypes.c_void_p]
    lib.tb_walk.restype = ctypes.c_longlong
    lib.tb_walk.argtypes = [
        ctypes.c_void_p, ctypes.c_longlong, ctypes.c_longlong, ctypes.c_char_p,
        ctypes.c_int, ctypes.c_char_p, ctypes.c_int,
    ]  # fmt: skip
    lib.tb_sqlite.restype = ctypes.c_void_p
    lib.tb_sqlite.argtypes = []
    return lib if same_sqlite(lib) else None


def same_sqlite(lib: ctypes.CDLL) -> bool:
    """Whether ``lib`` calls the very SQLite that Python's ``sqlite3`` calls. Two copies of
    SQLite in one process each keep their own record of the POSIX locks on a file, and
    closing a file in one drops the other's locks (SQLite's "howtocorrupt" page, 2.2.1)."""
    import _sqlite3

    try:
        ours = ctypes.CDLL(_sqlite3.__file__).sqlite3_libversion
    except (OSError, AttributeError):  # linked in statically and not exported
        return False
    theirs: int | None = lib.tb_sqlite()
    return theirs is not None and ctypes.cast(ours, ctypes.c_void_p).value == theirs


def available() -> bool:
    """Whether the C walk can run here."""
    return ENABLED and _library() is not None


def walk(
    uri: str, genesis: bytes, total: int, progress: Progress | None, threads: int
) -> tuple[int, bool] | None:
    """Walk positions 1..``total`` of the book at ``uri`` in ``threads`` threads: the first
    position not known to chain (``total + 1`` if all do) and whether ``progress`` (called
    on this thread) cancelled. None if the library is missing or the book cannot be opened
    by it (the walk then runs in Python from the start)."""
    lib = _library() if ENABLED else None
    if lib is None:
        return None
    if progress is not None and progress(0, total) is False:
        return 1, True
    bounds = [total * k // threads for k in range(threads + 1)]
    ranges = [_Range(lib, uri, bounds[k] + 1, bounds[k + 1]) for k in range(threads)]
    ranges[0].previous.raw = genesis
    ranges[0].known = True
    stop, cancelled = threading.Event(), False
    runners = [threading.Thread(target=r.run, args=(stop,), name="chain walk") for r in ranges]
    for runner in runners:
        runner.start()
    try:
        while alive := [runner for runner in runners if runner.is_alive()]:
            alive[0].join(_WAIT_S)
            done = sum(r.done for r in ranges)
            if progress is not None and not cancelled and progress(done, total) is False:
                stop.set()
                cancelled = True
    finally:
        stop.set()
        for runner in runners:
            runner.join()
    if any(r.failed for r in ranges):
        return None
    if cancelled:
        return ranges[0].first + ranges[0].done, True
    for r in ranges:
        if r.stopped <= r.last:
            return r.stopped, False
    return total + 1, False


class _Range:
    """One thread's positions ``first``..``last``: how far it got, and where it stopped."""

    def __init__(self, lib: ctypes.CDLL, uri: str, first: int, last: int) -> None:
        self._lib = lib
        self._uri = uri
        self.first = first
        self.last = last
        self.previous = ctypes.create_string_buffer(32)
        self.known = False  # previous holds the hash before first (else the C reads it)
        self.done = 0
        self.stopped = first
        self.failed = False  # the book could not be opened

    def run(self, stop: threading.Event) -> None:
        lib, error = self._lib, ctypes.create_string_buffer(_ERROR)
        handle = lib.tb_open(self._uri.encode(), error, _ERROR)
        if not handle:
            self.failed = True
            return
        try:
            position = self.first
            while position <= self.last:
                if stop.is_set():
                    break
                upto = min(position + CHUNK - 1, self.last)
                reached = lib.tb_walk(
                    handle, position, upto, self.previous, int(self.known), error, _ERROR
                )
                self.known = True
                if reached < 0:  # SQLite failed (a damaged page): Python names it
                    break
                position = reached
                self.done = position - self.first
                if position <= upto:  # this row does not chain (or reads differently)
                    break
            self.stopped = position
        finally:
            lib.tb_close(handle)
