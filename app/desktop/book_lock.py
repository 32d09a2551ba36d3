"""One writer per book: a lock file beside the book, and a local socket to raise the holder.

Policy (what :func:`claim_book` decides, and what ``app/__main__.py`` does with it):

1. Take ``<book>.lock`` (a :class:`QLockFile`; a lock left by a crashed process is detected as
   stale by its process id and name and taken over) → open the book for writing, and call
   :func:`serve_raise_requests` so later launches on the same book find this window.
2. The lock is held by a live Tallybook → send it ``raise`` over a :class:`QLocalSocket` whose
   name is a hash of the book's absolute path and the user; if it answers, its window comes
   forward and this process exits 0.
3. It does not answer (another user or host, a hung process), or no lock file can be made (a
   read-only folder) → open the book read-only and show :attr:`Claim.note` to say why.

macOS does not pass a double-clicked document in ``argv``: it sends a ``QFileOpenEvent`` to the
application. Install :class:`FileOpenFilter` on the ``QApplication`` to receive those while
running, and call :func:`wait_for_file_open` at start-up (when no path was given on macOS) to
collect the document that launched the app.
"""

from __future__ import annotations

import enum
import getpass
import hashlib
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QEventLoop,
    QLockFile,
    QObject,
    QTimer,
)
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QWidget

RAISE = b"raise\n"
ACK = b"ok\n"


def lock_path(book: str | os.PathLike[str]) -> Path:
    """The lock file beside ``book``: ``Household.tallybook`` → ``Household.tallybook.lock``."""
    path = _canonical(book)
    return path.with_name(path.name + ".lock")


def server_name(book: str | os.PathLike[str]) -> str:
    """The local socket name for ``book``: the same for every launch by this user on this path.

    A hash keeps the name short (Unix socket paths are limited to ~100 bytes) and free of
    characters a pipe name cannot hold; the user is part of it so two users never collide.
    """
    key = f"{_user()}\0{os.path.normcase(_canonical(book))}"
    return "tallybook-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]


@dataclass(frozen=True, slots=True)
class LockHolder:
    """Who holds a book's lock, as written into the lock file by Qt."""

    pid: int
    hostname: str
    appname: str


class BookLock:
    """A held ``<book>.lock``; released by :meth:`release`, on ``with`` exit, or at exit."""

    def __init__(self, book: Path, lock: QLockFile) -> None:
        self.book = book
        self._lock = lock

    @property
    def path(self) -> Path:
        return Path(self._lock.fileName())

    @property
    def held(self) -> bool:
        return self._lock.isLocked()

    def release(self) -> None:
        if self._lock.isLocked():
            self._lock.unlock()

    def __enter__(self) -> BookLock:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()


class LockUnavailable(Exception):
    """No lock file can be created beside the book (permissions, read-only medium)."""


def acquire_book(book: str | os.PathLike[str], timeout_ms: int = 0) -> BookLock | None:
    """Take the book's lock, or ``None`` while another live process (or this one) holds it.

    A lock whose process has died is stale and taken over. Raises :class:`LockUnavailable`
    when no lock file can be written at all.
    """
    path = _canonical(book)
    lock = QLockFile(str(lock_path(path)))
    # 0 = never stale by age: a book stays open for hours; only a dead holder frees it.
    lock.setStaleLockTime(0)
    if lock.tryLock(timeout_ms):
        return BookLock(path, lock)
    if lock.error() == QLockFile.LockError.LockFailedError:
        return None
    raise LockUnavailable(_why_no_lock(path, lock.error()))


def _why_no_lock(book: Path, error: QLockFile.LockError) -> str:
    # QLockFile says only "UnknownError" for a missing or read-only folder: look ourselves
    folder = book.parent
    if not folder.is_dir():
        return f"its folder {folder} is not there"
    if error == QLockFile.LockError.PermissionError or not os.access(folder, os.W_OK):
        return f"the folder {folder} takes no new files (it is read-only, or not yours)"
    return f"{lock_path(book).name} cannot be created in {folder}"


def lock_holder(book: str | os.PathLike[str]) -> LockHolder | None:
    """Who holds the book's lock, if the lock file exists and can be read."""
    info = QLockFile(str(lock_path(book))).getLockInfo()
    if not info:
        return None
    pid, hostname, appname = info
    return LockHolder(int(pid), str(hostname), str(appname))


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


class ClaimMode(enum.Enum):
    WRITE = "write"
    RAISED = "raised"
    READ_ONLY = "read-only"


@dataclass(frozen=True, slots=True)
class Claim:
    """What to do with a book: write it (holding ``lock``), exit, or open it read-only."""

    mode: ClaimMode
    lock: BookLock | None = None
    note: str = ""


def claim_book(book: str | os.PathLike[str], raise_timeout_ms: int = 1500) -> Claim:
    """Apply the policy in this module's docstring to ``book``."""
    path = _canonical(book)
    try:
        lock = acquire_book(path)
    except LockUnavailable as exc:
        return Claim(
            ClaimMode.READ_ONLY,
            note=f"Opened read-only: Tallybook cannot lock this book for writing: {exc}.",
        )
    if lock is not None:
        return Claim(ClaimMode.WRITE, lock)
    if ask_running_instance_to_raise(path, raise_timeout_ms):
        return Claim(ClaimMode.RAISED)
    holder = lock_holder(path)
    who = f" (process {holder.pid} on {holder.hostname})" if holder else ""
    return Claim(
        ClaimMode.READ_ONLY,
        note=(
            f"Opened read-only: “{path.name}” is open for writing in another Tallybook{who}. "
            f"Close it there to make changes here. If no Tallybook is running, delete "
            f"{lock_path(path)}."
        ),
    )


class BookGuard(QObject):
    """The locks and raise servers of the books this process has open, one per book.

    The composition root keeps one guard and asks it before opening each book::

        claim = guard.claim(path, on_raise=lambda: raise_window(window_of(path)))
        if claim.mode is ClaimMode.RAISED: ...   # shown by another Tallybook: do not open
        read_only = claim.mode is ClaimMode.READ_ONLY   # show claim.note in the window
        ...
        guard.release(path)                      # when the book's window has closed

    Claiming a book this process already holds is a no-op that answers ``WRITE``.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._held: dict[Path, tuple[BookLock, RaiseServer | None]] = {}

    def claim(
        self,
        book: str | os.PathLike[str],
        on_raise: Callable[[], None],
        raise_timeout_ms: int = 1500,
    ) -> Claim:
        path = _canonical(book)
        if path in self._held:
            return Claim(ClaimMode.WRITE, self._held[path][0])
        claim = claim_book(path, raise_timeout_ms)
        if claim.lock is not None:
            # Without a server the book is still safely locked; later launches then open it
            # read-only instead of raising this window.
            self._held[path] = (claim.lock, serve_raise_requests(path, on_raise, self))
        return claim

    def holds(self, book: str | os.PathLike[str]) -> bool:
        return _canonical(book) in self._held

    def release(self, book: str | os.PathLike[str]) -> None:
        """Stop serving and unlock ``book`` (after its window has closed)."""
        held = self._held.pop(_canonical(book), None)
        if held is not None:
            lock, server = held
            if server is not None:
                server.close()
            lock.release()

    def release_all(self) -> None:
        for path in list(self._held):
            self.release(path)


def raise_window(window: QWidget) -> None:
    """Bring ``window`` to the front (un-minimise, raise, focus): a ready ``on_raise``."""
    if window.isMinimized():
        window.showNormal()
    window.show()
    window.raise_()
    window.activateWindow()


class FileOpenFilter(QObject):
    """Turns a ``QFileOpenEvent`` (macOS Finder double-click) into ``on_open(path)``.

    Install with ``app.installEventFilter(FileOpenFilter(on_open, app))``.
    """

    def __init__(self, on_open: Callable[[Path], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._on_open = on_open

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FileOpen:
            file = event.file()  # type: ignore[attr-defined]  # a QFileOpenEvent here
            if file:
                self._on_open(Path(file))
                return True
        return super().eventFilter(watched, event)


def wait_for_file_open(app: QCoreApplication, timeout_ms: int = 500) -> Path | None:
    """The document macOS launched the app with, if a ``QFileOpenEvent`` arrives in time."""
    opened: list[Path] = []
    loop = QEventLoop()

    def on_open(path: Path) -> None:
        opened.append(path)
        loop.quit()

    catcher = FileOpenFilter(on_open)
    app.installEventFilter(catcher)
    QTimer.singleShot(timeout_ms, loop.quit)
    try:
        if not opened:
            loop.exec()
    finally:
        app.removeEventFilter(catcher)
    return opened[0] if opened else None


def _canonical(book: str | os.PathLike[str]) -> Path:
    # realpath: a symlink and its target are one book, so they must share one lock.
    return Path(os.path.realpath(os.path.abspath(os.fspath(book))))


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
