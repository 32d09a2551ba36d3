"""The one error a statement parser raises for a file it cannot read as a whole."""

from __future__ import annotations


class StatementFileError(ValueError):
    """The file is not a statement, or is cut off: one line that names where."""
