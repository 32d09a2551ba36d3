"""What the window says about itself: the About box, and how to start in an empty book."""

from __future__ import annotations

from importlib import metadata

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMessageBox, QWidget


def no_accounts_hint(read_only: bool, open_account: QAction) -> str:
    """What an empty book's register area says: how to start (the shortcut as set)."""
    sample = "File ▸ New Sample Book… to explore"
    if read_only:
        return f"No accounts in this book — try {sample}."
    keys = open_account.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
    shortcut = f" ({keys})" if keys else ""
    return f"No accounts yet — open one with Entry ▸ Open Account{shortcut}, or try {sample}."


def show_about(parent: QWidget) -> None:
    """Help ▸ About Tallybook."""
    try:
        version = metadata.version("tallybook")
    except metadata.PackageNotFoundError:
        version = "(development)"
    QMessageBox.about(
        parent,
        "About Tallybook",
        f"<h3>Tallybook {version}</h3><p>Auditable double-entry bookkeeping.</p>"
        "<p>Every change is an event in one SQLite file, chained by SHA-256 so tampering "
        "is found; the timeline replays the books to any past event.</p>",
    )
