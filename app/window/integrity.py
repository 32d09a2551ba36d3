"""What the app knows about the book's hash chain, in words for the status bar."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from app.book_health import Breakage
from domain.store.base import VerifyReport


class Integrity(Enum):
    UNKNOWN = "unknown"
    VERIFIED = "verified"
    TAMPERED = "tampered"


@dataclass(frozen=True, slots=True)
class IntegrityState:
    """The result of the last verification in this session."""

    state: Integrity = Integrity.UNKNOWN
    position: int = 0
    problem: str = ""
    head_hash: str = ""  # hex, of the verified head: worth writing down

    @classmethod
    def from_report(cls, report: VerifyReport) -> IntegrityState:
        if report.ok:
            return cls(Integrity.VERIFIED, report.head_position, head_hash=report.head_hash)
        position = report.first_bad_position or 0
        # the store words what it found ("position 6: the event's content no longer ...");
        # ``problem`` is only its one-word code
        said = str(report.details.get("message", "")).removeprefix(f"position {position}: ")
        return cls(Integrity.TAMPERED, position, said or report.problem)

    @classmethod
    def from_breakage(cls, breakage: Breakage) -> IntegrityState:
        return cls(Integrity.TAMPERED, breakage.position, breakage.detail or breakage.problem)

    def text(self) -> str:
        if self.state is Integrity.VERIFIED:
            return f"Integrity: verified ✓ at head #{self.position}"
        if self.state is Integrity.TAMPERED and not self.position:
            return "Integrity: DAMAGED"  # the store could not say where
        if self.state is Integrity.TAMPERED:
            return f"Integrity: TAMPERED at #{self.position}"
        return "Integrity: not verified yet"

    def tooltip(self) -> str:
        """The detail behind the status bar's short text."""
        if self.state is Integrity.VERIFIED:
            return f"Hash of #{self.position}: {self.head_hash}"
        if self.state is Integrity.TAMPERED:
            return f"#{self.position}: {self.problem}" if self.problem else ""
        return "File ▸ Verify Integrity walks the hash chain."

    def break_message(self) -> str:
        """A sentence for the message box when a verification found the chain broken (an
        intact chain is shown by its receipt instead)."""
        detail = f"\n\n{self.problem}" if self.problem else ""
        return (
            f"The book has been altered. The first event that does not match its hash "
            f"is #{self.position}.{detail}"
        )
