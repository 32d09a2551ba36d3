"""Walking a big book's hash chain in child processes, one range of positions each.

Every event's check needs only the hash stored before it, so ranges are independent: the
child walking positions a..b starts from the hash stored at a - 1 and checks each stored hash
against the one recomputed from the row and the hash stored before it. Each boundary is
covered twice over: the range before checks the row at a - 1 against its own predecessor.
Processes, not threads: the walk is Python code holding the GIL (in the app it also
competed with the GUI thread for it). The children only answer "all chained up to here";
wherever one stops, :mod:`domain.store.verification` walks on in-process from there, so a
break is named by the one walk that always did it.
"""

from __future__ import annotations

import json
import os
import selectors
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from domain.store import chain_scan
from domain.store.sqlite import native_walk

MIN_EVENTS = 200_000
"""Below this a child costs more to start (~50 ms of CPU) than its share saves."""
NATIVE_MIN_EVENTS = 2_000
"""Below this the walk in Python takes a few milliseconds: no thread is worth starting."""
_LOADER = (
    "import importlib.util as u\n"
    "s = u.spec_from_file_location('tallybook_chain_scan', {path!r})\n"
    "m = u.module_from_spec(s)\n"
    "s.loader.exec_module(m)\n"
    "m.serve()\n"
)
_POLL_S = 0.02

Progress = Callable[[int, int], bool]


def workers() -> int:
    """Children to start: one per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def walk_aside(
    uri: str,
    genesis: bytes,
    total: int,
    progress: Progress | None,
    children: int,
) -> tuple[int, bool] | None:
    """Walk positions 1..``total`` of the book at ``uri`` in ``children`` processes: the first
    position not known to chain (``total + 1`` if all do) and whether ``progress`` cancelled.
    None if the children could not do it (the walk then runs in-process from the start).

    Where the walk in C is built (:mod:`domain.store.sqlite.native_walk`) it runs in
    ``children`` threads instead, from a smaller book on."""
    if native_walk.available():
        if total < NATIVE_MIN_EVENTS:
            return None
        return native_walk.walk(uri, genesis, total, progress, children)
    if total < MIN_EVENTS:
        return None
    # a bundle's executable is the app itself; Windows cannot select() on pipes
    if getattr(sys, "frozen", False) or sys.platform == "win32" or children < 2:
        return None
    bounds = [total * k // children for k in range(children + 1)]
    loader = _LOADER.format(path=str(Path(chain_scan.__file__).resolve()))
    procs: list[subprocess.Popen[bytes]] = []
    try:
        for k in range(children):
            proc = subprocess.Popen(
                [sys.executable, "-I", "-S", "-c", loader],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            )  # fmt: skip
            procs.append(proc)
            assert proc.stdin is not None
            request = {
                "uri": uri, "first": bounds[k] + 1, "last": bounds[k + 1],
                "previous": genesis.hex() if k == 0 else None,
            }  # fmt: skip
            proc.stdin.write(json.dumps(request).encode() + b"\n")
            proc.stdin.close()
        return _collect(procs, bounds, total, progress)
    except OSError:  # no process could be started (or its pipe broke)
        return None
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            if proc.stdout is not None:
                proc.stdout.close()


def _collect(
    procs: list[subprocess.Popen[bytes]],
    bounds: list[int],
    total: int,
    progress: Progress | None,
) -> tuple[int, bool] | None:
    """Read the children's lines until each has answered; the first position not known to
    chain, or None if a child died without answering."""
    done = [0] * len(procs)
    results: dict[int, dict[str, object]] = {}
    pending = [b""] * len(procs)
    with selectors.DefaultSelector() as selector:
        for k, proc in enumerate(procs):
            assert proc.stdout is not None
            selector.register(proc.stdout.fileno(), selectors.EVENT_READ, k)
        while len(results) < len(procs):
            for key, _ in selector.select(_POLL_S):
                k = key.data
                chunk = os.read(key.fd, 65536)  # unbuffered: no line waits in a buffer
                if not chunk:  # the child ended
                    selector.unregister(key.fd)
                    if k not in results:
                        return None
                    continue
                *lines, pending[k] = (pending[k] + chunk).split(b"\n")
                for line in lines:
                    if line.startswith(b"progress "):
                        done[k] = int(line.split()[1])
                    else:
                        results[k] = json.loads(line)
                        done[k] = bounds[k + 1] - bounds[k]
            if progress is not None and progress(sum(done), total) is False:
                return done[0] + 1, True
    for k in range(len(procs)):
        result = results[k]
        if not result["ok"]:
            stopped = result["next"]
            return (stopped if isinstance(stopped, int) else bounds[k] + 1), False
    return total + 1, False
