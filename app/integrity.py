"""What the app knows about the book's hash chain, in words for the status bar."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

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

    @classmethod
    def from_report(cls, report: VerifyReport) -> IntegrityState:
        if report.ok:
            return cls(Integrity.VERIFIED, report.head_position)
        return cls(Integrity.TAMPERED, report.first_bad_position or 0, report.problem)

    def text(self) -> str:
        if self.state is Integrity.VERIFIED:
            return f"Integrity: verified ✓ at head #{self.position}"
        if self.state is Integrity.TAMPERED:
            return f"Integrity: TAMPERED at #{self.position}"
        return "Integrity: unknown"

    def message(self) -> str:
        """A sentence for the message box after a verification."""
        if self.state is Integrity.VERIFIED:
            return f"Every event up to #{self.position} is intact: the hash chain matches."
        if self.state is Integrity.TAMPERED:
            detail = f"\n\n{self.problem}" if self.problem else ""
            return (
                f"The book has been altered. The first event that does not match its hash "
                f"is #{self.position}.{detail}"
            )
        return "The book has not been verified in this session."
