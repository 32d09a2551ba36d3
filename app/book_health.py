"""Whether the book's history is known to be broken, and so whether the app may write to it.

A :class:`Breakage` says where and how the history broke, in words for the window; the
session's :class:`BookHealth` holds the first one found (by the verification that runs on
every open, by File ▸ Verify Integrity, or by the store refusing to open, read or write the
book) and the controller refuses every command once it holds one.

:func:`breakage_from_error` is the one place that tells a broken book's error from any other.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from domain.model.errors import BrokenHistory, DamagedBook
from domain.store.base import VerifyReport


@dataclass(frozen=True, slots=True)
class Breakage:
    """Where the book's history breaks: the first bad position (0 if the store cannot say)."""

    position: int
    problem: str  # the store's one word: "altered", "inserted", "removed", "damaged"…
    detail: str = ""  # the store's sentence on what it found there
    intact_upto: int = 0  # the last position known to chain correctly
    intact_hash: str = ""  # hex, its hash

    @classmethod
    def from_report(cls, report: VerifyReport) -> Breakage | None:
        """The break a finished verification found; None if it found none (or was cancelled)."""
        if report.ok or report.cancelled:
            return None
        position = report.first_bad_position or 0
        said = str(report.details.get("message", "")).removeprefix(f"position {position}: ")
        return cls(position, report.problem or "damaged", said, report.head_position,
                   report.head_hash)  # fmt: skip

    def where(self) -> str:
        """ "at position 9 (altered)", or "(damaged)" when the position is not known."""
        at = f"at position {self.position} " if self.position else ""
        return f"{at}({self.problem})"

    def banner_text(self) -> str:
        return (
            f"This book's history is broken {self.where()}. It is open read-only: "
            "nothing can be recorded in it. Keep the file as evidence, and go on in a copy "
            "you trust."
        )

    def refusal(self) -> str:
        """Why a command was not recorded."""
        return f"the book is read-only: its history is broken {self.where()}"

    def details_text(self) -> str:
        """The whole story, for the banner's Details button."""
        lines = [f"The book's history is broken {self.where()}."]
        if self.detail:
            at = f"At #{self.position}" if self.position else "Found"
            lines.append(f"{at}: {self.detail}.")
        if self.intact_upto:
            lines.append(
                f"\nEvery event up to #{self.intact_upto} chains correctly; the hash of "
                f"#{self.intact_upto} is {self.intact_hash}."
            )
        lines.append(
            "\nTallybook records nothing in this book: a new event would be chained onto a "
            "history that can no longer be trusted. Keep the file as it is (it is the evidence "
            "of what happened) and go on in a copy you trust, such as your last backup."
        )
        return "\n".join(lines)


def breakage_from_error(exc: BaseException) -> Breakage | None:
    """The break an error from the store reports; None for any other error.

    Every path where the store can refuse a broken book (opening it, catching up its views,
    reading them, showing an event, running a command) catches any exception and asks here,
    so a new kind of damage error is taught to the app in this one function.
    """
    if isinstance(exc, BrokenHistory):
        # the store's diagnosis reads "<problem> (<what it found>)"
        problem, _, found = exc.diagnosis.partition(" (")
        return Breakage(exc.position or 0, problem or "damaged", found.removesuffix(")"))
    if isinstance(exc, DamagedBook):
        return Breakage(0, "damaged", str(exc))
    return None


class BookHealth(QObject):
    """One open book's health: writable until a break is known, read-only from then on.

    ``broken(Breakage)`` fires when the first break becomes known (and again if a later
    check names the position an earlier error could not).
    """

    broken = Signal(object)

    def __init__(self, breakage: Breakage | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._breakage = breakage

    @property
    def breakage(self) -> Breakage | None:
        return self._breakage

    def mark_broken(self, breakage: Breakage) -> None:
        """Record the break: the first one found is where the history breaks, unless it
        could not say where (a damaged page met while reading) and this one can."""
        known = self._breakage
        if known is None or (not known.position and breakage.position):
            self._breakage = breakage
            self.broken.emit(breakage)
