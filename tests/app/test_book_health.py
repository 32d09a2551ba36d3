"""The app's reading of the store's damage errors."""

from __future__ import annotations

from app.book_health import breakage_from_error
from domain.model.errors import BrokenHistory, DamagedBook, UnknownAccount


def test_a_broken_history_names_its_position_and_problem() -> None:
    breakage = breakage_from_error(BrokenHistory(1016, "altered (its hash does not match)"))
    assert breakage is not None
    assert (breakage.position, breakage.problem) == (1016, "altered")
    assert breakage.detail == "its hash does not match"
    assert "broken at position 1016 (altered)" in breakage.banner_text()


def test_damaged_pages_with_no_position_are_still_a_break() -> None:
    breakage = breakage_from_error(BrokenHistory(None, "damaged pages (row 3 missing from index)"))
    assert breakage is not None
    assert (breakage.position, breakage.problem) == (0, "damaged pages")
    assert breakage_from_error(DamagedBook("file is not a database")) is not None


def test_other_errors_are_no_break() -> None:
    assert breakage_from_error(UnknownAccount("there is no account with id x")) is None
    assert breakage_from_error(ValueError("x")) is None
