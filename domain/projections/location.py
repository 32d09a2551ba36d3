"""Where a book's read models live: a cache file per book in the user's cache folder.

The read models are derived data (every row can be rebuilt from the events), so they are kept
out of the book file: the book stays small and holds only what an auditor must trust, its
durable commits flush only the events' pages, and a book opened read-only (a copy on a share,
an auditor's) still gets fully working read models. A missing, stale or damaged cache is
rebuilt from the book.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import platformdirs

ENV_DIR = "TALLYBOOK_READ_MODELS_DIR"
"""Environment variable naming another folder for the caches (tests, portable setups)."""


def read_models_dir() -> Path:
    """The folder holding every book's read-model cache."""
    configured = os.environ.get(ENV_DIR)
    if configured:
        return Path(configured)
    return platformdirs.user_cache_path("Tallybook", appauthor=False) / "read-models"


def read_models_path(book_path: Path, book_id: str) -> Path:
    """The cache file of the book with this id at this path.

    Keyed by path as well as id: two copies of one book (a backup beside the original) can
    diverge, and each then keeps its own read models instead of rebuilding the other's.
    """
    where = hashlib.sha256(os.fsencode(book_path.resolve())).hexdigest()[:16]
    return read_models_dir() / f"{book_id}-{where}.sqlite"
