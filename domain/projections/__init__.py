"""Read models (projections) of a book: persisted, as-of queryable, and a pure reference fold."""

from __future__ import annotations

from domain.projections.fold import FoldedBooks, fold
from domain.projections.projected_store import ProjectedStore
from domain.projections.read_models import ReadModels
from domain.projections.rows import AccountRow, HistoryRow, RegisterRow, account_order
from domain.projections.tables import CODE_VERSION

__all__ = [
    "CODE_VERSION",
    "AccountRow",
    "FoldedBooks",
    "HistoryRow",
    "ProjectedStore",
    "ReadModels",
    "RegisterRow",
    "account_order",
    "fold",
]
