"""One writer per book: who may write a book, and what a launch does when another has it.

Policy (what :func:`claim_book` decides, and what the launcher does with it):

1. Take the book's lock file (:mod:`app.desktop.book_lock`) → open the book for writing, and
   call :func:`serve_raise_requests` so later launches on the same book find this window.
2. The lock is held by a live Tallybook → send it ``raise`` over the book's local socket
   (:mod:`app.desktop.raise_socket`); if it answers, its window comes forward and this
   process exits 0.
3. It does not answer (another user or host, a hung process), or no lock file can be made (a
   read-only folder) → open the book read-only and show :attr:`Claim.note` to say why.
"""

from __future__ import annotations

import enum
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject

from app.desktop.book_lock import BookLock, LockUnavailable, acquire_book, lock_holder, lock_path
from app.desktop.paths import canonical_book_path
from app.desktop.raise_socket import (
    RaiseServer,
    ask_running_instance_to_raise,
    serve_raise_requests,
)


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
    path = canonical_book_path(book)
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

    The launcher keeps one guard and asks it before opening each book::

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
        path = canonical_book_path(book)
        if path in self._held:
            return Claim(ClaimMode.WRITE, self._held[path][0])
        claim = claim_book(path, raise_timeout_ms)
        if claim.lock is not None:
            # Without a server the book is still safely locked; later launches then open it
            # read-only instead of raising this window.
            self._held[path] = (claim.lock, serve_raise_requests(path, on_raise, self))
        return claim

    def holds(self, book: str | os.PathLike[str]) -> bool:
        return canonical_book_path(book) in self._held

    def release(self, book: str | os.PathLike[str]) -> None:
        """Stop serving and unlock ``book`` (after its window has closed)."""
        held = self._held.pop(canonical_book_path(book), None)
        if held is not None:
            lock, server = held
            if server is not None:
                server.close()
            lock.release()

    def release_all(self) -> None:
        for path in list(self._held):
            self.release(path)
