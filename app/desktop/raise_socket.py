"""A local socket per book: a later launch asks the process holding the book to raise its window.

The socket's name is a hash of the book's absolute path and the user, so every launch on one
book by one user finds the same server. Only the process holding the book's lock listens.
"""

from __future__ import annotations

import getpass
import hashlib
import os
import sys
from collections.abc import Callable

from PySide6.QtCore import QEventLoop, QObject, QTimer
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QWidget

from app.desktop.paths import canonical_book_path

RAISE = b"raise\n"
ACK = b"ok\n"


def server_name(book: str | os.PathLike[str]) -> str:
    """The local socket name for ``book``: the same for every launch by this user on this path.

    A hash keeps the name short (Unix socket paths are limited to ~100 bytes) and free of
    characters a pipe name cannot hold; the user is part of it so two users never collide.
    """
    key = f"{_user()}\0{os.path.normcase(canonical_book_path(book))}"
    return "tallybook-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]


class RaiseServer(QObject):
    """Listens on the book's local socket; answers ``raise`` by calling ``on_raise``."""

    def __init__(
        self,
        book: str | os.PathLike[str],
        on_raise: Callable[[], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._on_raise = on_raise
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._on_new_connection)
        self.name = server_name(book)

    def listen(self) -> bool:
        # Only the lock holder listens, so a socket left by a crashed holder is ours to remove.
        QLocalServer.removeServer(self.name)
        return self._server.listen(self.name)

    def close(self) -> None:
        self._server.close()

    @property
    def error(self) -> str:
        return self._server.errorString()

    def _on_new_connection(self) -> None:
        while (socket := self._server.nextPendingConnection()) is not None:
            socket.readyRead.connect(lambda s=socket: self._on_ready_read(s))
            socket.disconnected.connect(socket.deleteLater)
            if socket.canReadLine():
                self._on_ready_read(socket)

    def _on_ready_read(self, socket: QLocalSocket) -> None:
        if not socket.canReadLine():
            return
        request = bytes(socket.readLine().data())
        if request == RAISE:
            self._on_raise()
            socket.write(ACK)
            socket.flush()
        socket.disconnectFromServer()


def serve_raise_requests(
    book: str | os.PathLike[str], on_raise: Callable[[], None], parent: QObject | None = None
) -> RaiseServer | None:
    """Start answering other launches on ``book``; ``None`` if the socket cannot listen.

    Call after :func:`acquire_book` succeeded, and keep the returned object alive.
    """
    server = RaiseServer(book, on_raise, parent)
    return server if server.listen() else None


def ask_running_instance_to_raise(book: str | os.PathLike[str], timeout_ms: int = 1500) -> bool:
    """Ask the process serving ``book`` to bring its window forward; True once it confirmed.

    Waits in an event loop (never a blocking ``waitFor…``), so a server in this very process
    is served too, and retries the connection until ``timeout_ms``: the holder takes the lock
    a moment before it starts listening.
    """
    _allow_foreground_switch()
    return _RaiseRequest(server_name(book)).run(timeout_ms)


class _RaiseRequest(QObject):
    """One ``raise`` round trip: connect (retrying), send, wait for the acknowledgement."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self._name = name
        self._reply = b""
        self._done = False
        self._ok = False
        self._loop = QEventLoop(self)
        self._socket = QLocalSocket(self)
        self._socket.connected.connect(self._on_connected)
        self._socket.readyRead.connect(self._on_ready_read)
        self._socket.errorOccurred.connect(self._on_error)
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.setInterval(50)
        self._retry.timeout.connect(self._connect)
        self._deadline = QTimer(self)
        self._deadline.setSingleShot(True)
        self._deadline.timeout.connect(self._finish)

    def run(self, timeout_ms: int) -> bool:
        self._deadline.start(max(1, timeout_ms))
        self._connect()
        if not self._done:
            self._loop.exec()
        self._retry.stop()
        self._deadline.stop()
        self._socket.abort()
        return self._ok

    def _connect(self) -> None:
        self._socket.abort()
        self._reply = b""
        self._socket.connectToServer(self._name)

    def _on_connected(self) -> None:
        self._socket.write(RAISE)
        self._socket.flush()

    def _on_ready_read(self) -> None:
        self._reply += bytes(self._socket.readAll().data())
        if self._reply.endswith(b"\n"):
            self._ok = self._reply == ACK
            self._finish()

    def _on_error(self, error: QLocalSocket.LocalSocketError) -> None:
        if self._done:
            return
        if error == QLocalSocket.LocalSocketError.PeerClosedError:
            # The server read our request and hung up: the reply (if any) is in the buffer.
            self._on_ready_read()
            self._finish()
        else:  # not listening (yet), or refused: try again until the deadline
            self._retry.start()

    def _finish(self) -> None:
        self._done = True
        self._loop.quit()


def raise_window(window: QWidget) -> None:
    """Bring ``window`` to the front (un-minimise, raise, focus): a ready ``on_raise``."""
    if window.isMinimized():
        window.showNormal()
    window.show()
    window.raise_()
    window.activateWindow()


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (containers)
        return str(os.getuid()) if hasattr(os, "getuid") else "user"


def _allow_foreground_switch() -> None:
    """On Windows let the raised process take the foreground (else it only flashes)."""
    if sys.platform == "win32":
        import ctypes

        asfw_any = -1
        ctypes.windll.user32.AllowSetForegroundWindow(asfw_any)
