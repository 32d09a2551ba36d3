"""A shared book's line to its server: listens for other clients' commits and watches
that the server can be reached, in a thread of its own so the GUI never waits on the network.

The thread only listens; catching up the local copy and the views happens in the GUI thread,
on ``committed`` (the book's connections live there).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QObject, Signal

from domain.model.errors import StoreError

WAIT_S = 0.1  # how long one wait blocks: also how long closing the window can wait
RETRY_S = 1.0  # between attempts to reach a server that went away
CHECK_EVERY_S = 5.0  # a round trip now and then: a silent network drop must show too


class Listener(Protocol):
    """What :class:`domain.store.postgres.notify.ChangeListener` does."""

    def wait(self, timeout: float) -> bool: ...

    def check(self) -> None: ...

    def close(self) -> None: ...


class ServerLink(QObject):
    """``committed`` when the book changed on the server (and once after reconnecting);
    ``reachable_changed(bool)`` when the server goes away or comes back. ``note`` says why the
    book is read-only meanwhile ("" while the server answers)."""

    committed = Signal()
    reachable_changed = Signal(bool)

    def __init__(
        self, connect: Callable[[], Listener], server: str, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._connect = connect
        self._server = server
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.reachable = True
        self.reachable_changed.connect(self._on_reachable_changed)

    @property
    def note(self) -> str:
        if self.reachable:
            return ""
        return (
            f"The server {self._server} cannot be reached; retrying… The book is read-only "
            "until it is back."
        )

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="tallybook-listen", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """End the thread (it notices within ``WAIT_S``)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2 * WAIT_S + 1)
            self._thread = None

    def is_running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _on_reachable_changed(self, reachable: bool) -> None:
        self.reachable = reachable  # set in the GUI thread: what the window reads

    def _run(self) -> None:
        with contextlib.suppress(RuntimeError):  # the window was gone before this ended
            self._listen_until_stopped()

    def _listen_until_stopped(self) -> None:
        up = True
        while not self._stop.is_set():
            try:
                listener = self._connect()
            except StoreError:
                if up:
                    up = False
                    self.reachable_changed.emit(False)
                self._stop.wait(RETRY_S)
                continue
            try:
                if not up:
                    up = True
                    self.reachable_changed.emit(True)
                # what was committed before this LISTEN (while away, or since the book opened)
                self.committed.emit()
                self._listen(listener)
            except StoreError:
                up = False
                self.reachable_changed.emit(False)
            finally:
                listener.close()

    def _listen(self, listener: Listener) -> None:
        since_check = 0.0
        while not self._stop.is_set():
            if listener.wait(WAIT_S):
                self.committed.emit()
                since_check = 0.0
                continue
            since_check += WAIT_S
            if since_check >= CHECK_EVERY_S:
                listener.check()
                since_check = 0.0
