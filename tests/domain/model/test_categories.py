"""The payee index behind an import's category proposals."""

from __future__ import annotations

from domain.model.categories import PayeeIndex, payee_key


def rank(account_id: str) -> int | None:
    return {"food": 0, "savings": 1, "checking": 1}.get(account_id)


def test_payees_match_after_case_spacing_and_digits() -> None:
    assert payee_key("  REWE 1234  Berlin*") == payee_key("rewe berlin") == "rewe berlin"


def test_the_latest_entry_of_the_payee_wins_and_the_target_is_never_proposed() -> None:
    index = PayeeIndex()
    index.add("Rewe", ["checking", "savings"], 1)
    index.add("REWE", ["checking", "food"], 2)
    found = index.propose("rewe 77", "checking", rank)
    assert found is not None and (found.account_id, found.position) == ("food", 2)
    index.add("Rewe", ["savings", "checking"], 3)
    assert index.propose("Rewe", "savings", rank).account_id == "checking"  # type: ignore[union-attr]


def test_a_similar_payee_needs_half_its_words_shared() -> None:
    index = PayeeIndex()
    index.add("Stadtwerke Muenchen Strom", ["checking", "food"], 1)
    found = index.propose("Stadtwerke Muenchen", "checking", rank)
    assert found is not None and "similar" in found.reason
    assert index.propose("Muenchen", "checking", rank) is None  # 1 of 3 words


def test_an_unusable_account_is_no_proposal() -> None:
    index = PayeeIndex()
    index.add("Cinema", ["checking", "closed-one"], 1)
    assert index.propose("Cinema", "checking", rank) is None


def test_an_entry_without_a_usable_counter_account_does_not_hide_an_older_one() -> None:
    index = PayeeIndex()
    index.add("Cinema", ["checking", "food"], 1)
    index.add("Cinema", ["checking", "closed-one"], 2)
    found = index.propose("Cinema", "checking", rank)
    assert found is not None and (found.account_id, found.position) == ("food", 1)
