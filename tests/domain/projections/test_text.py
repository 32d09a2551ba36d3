"""The words of the history and the register: amounts, summaries, other-account labels."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pytest

from domain.model.events import CURRENT_VERSION, Event, Posting, current_data, from_data
from domain.projections.text import (
    describe,
    entry_summary,
    format_amount,
    format_minor,
    others_label,
)

NAMES = {"chk": "Checking", "sal": "Salary", "food": "Food", "rent": "Rent", "usd": "Wallet"}


def name(account_id: str) -> str:
    return NAMES[account_id]


def legs(rows: Sequence[Sequence[Any]]) -> list[Posting]:
    """Postings from their stored form, ``[account_id, currency, amount]``."""
    return [Posting(a, c, m) for a, c, m in rows]


def stored(type_name: str, data: dict[str, Any]) -> Any:
    """The event of the current schema with this stored data."""
    return from_data(type_name, CURRENT_VERSION.get(type_name, 1), data)


@pytest.mark.parametrize(
    ("minor", "currency", "text"),
    [
        (125000, "EUR", "1,250.00 EUR"),
        (5, "EUR", "0.05 EUR"),
        (-123456789, "EUR", "-1,234,567.89 EUR"),
        (0, "EUR", "0.00 EUR"),
        (1500, "JPY", "1,500 JPY"),
        (1234, "BHD", "1.234 BHD"),
    ],
)
def test_format_minor_is_exact_with_the_currencys_decimals(
    minor: int, currency: str, text: str
) -> None:
    assert format_minor(minor, currency) == text


def test_deposit_summary_names_target_source_and_payee() -> None:
    postings = [["chk", "EUR", 125000], ["sal", "EUR", -125000]]
    assert (
        entry_summary("deposit", legs(postings), "ACME Corp", name)
        == "Deposit 1,250.00 EUR into Checking from Salary — ACME Corp"
    )


def test_withdrawal_and_transfer_summaries_go_from_the_credit_to_the_debit() -> None:
    postings = [["chk", "EUR", -1200], ["food", "EUR", 1200]]
    assert entry_summary("withdrawal", legs(postings), "", name) == (
        "Withdrawal 12.00 EUR from Checking to Food"
    )
    assert entry_summary("transfer", legs(postings), "me", name) == (
        "Transfer 12.00 EUR from Checking to Food — me"
    )


def test_split_summary_totals_the_debits_per_currency_and_lists_the_accounts() -> None:
    postings = [["chk", "EUR", -7000], ["food", "EUR", 2000], ["rent", "EUR", 5000]]
    assert entry_summary("split", legs(postings), "", name) == (
        "Split 70.00 EUR over Checking, Food, Rent"
    )
    mixed = [*postings, ["usd", "USD", 300], ["usd", "USD", -300]]
    assert entry_summary("split", legs(mixed), "", name) == (
        "Split 70.00 EUR + 3.00 USD over Checking, Food, Rent, Wallet"
    )


def test_summaries_format_amounts_in_a_given_locale() -> None:
    postings = [["chk", "EUR", -123458], ["food", "EUR", 123458]]
    assert entry_summary("withdrawal", legs(postings), "Rewe", name, locale="de_DE") == (
        "Withdrawal 1.234,58\xa0€ from Checking to Food — Rewe"
    )
    assert entry_summary("withdrawal", legs(postings), "Rewe", name, locale="en_US") == (
        "Withdrawal €1,234.58 from Checking to Food — Rewe"
    )
    mixed = [*postings, ["usd", "USD", 300], ["usd", "USD", -300]]
    assert entry_summary("split", legs(mixed), "", name, locale="de_DE") == (
        "Split 1.234,58\xa0€ + 3,00\xa0$ over Checking, Food, Wallet"
    )
    opened = {
        "account_id": "chk",
        "name": "Checking",
        "account_type": "asset",
        "currency": "EUR",
        "opening_balance": 10000,
        "opening_date": "2024-01-02",
        "overdraft_allowed": True,
        "parent_id": "",
    }
    assert describe(stored("AccountOpened", opened), name, locale="de_DE")[2] == (
        "Opened asset account Checking (EUR) with 100,00\xa0€"
    )
    void = {"entry_id": "e1", "voided_on": "2024-02-03", "reason": "", "postings": postings}
    assert describe(stored("EntryVoided", void), name, ("withdrawal", ""), locale="de_DE")[2] == (
        "Void of withdrawal 1.234,58\xa0€ from Checking to Food"
    )


def test_summaries_without_a_locale_keep_the_fixed_form() -> None:
    postings = [["chk", "EUR", -123458], ["food", "EUR", 123458]]
    assert format_amount(123458, "EUR") == format_minor(123458, "EUR") == "1,234.58 EUR"
    assert entry_summary("withdrawal", legs(postings), "", name) == (
        "Withdrawal 1,234.58 EUR from Checking to Food"
    )


def test_a_split_total_beyond_one_amounts_limit_is_still_described() -> None:
    line = 6 * 10**14  # 6 * 10^12 EUR: each line within the ±10^13 units limit, their sum not
    postings = [["chk", "EUR", -line], ["sal", "EUR", -line], ["food", "EUR", line],
                ["rent", "EUR", line]]  # fmt: skip
    assert entry_summary("split", legs(postings), "", name, locale="de_DE") == (
        "Split 12,000,000,000,000.00 EUR over Checking, Salary, Food, Rent"
    )


@pytest.mark.parametrize(
    ("type_name", "data", "expected"),
    [
        (
            "AccountOpened",
            {
                "account_id": "chk",
                "name": "Checking",
                "account_type": "asset",
                "currency": "EUR",
                "opening_balance": 10000,
                "opening_date": "2024-01-02",
                "overdraft_allowed": False,
                "parent_id": "",
            },
            (
                "2024-01-02",
                "Checking",
                "Opened asset account Checking (EUR) with 100.00 EUR, no overdraft",
            ),
        ),
        (
            "AccountOpened",
            {
                "account_id": "sal",
                "name": "Salary",
                "account_type": "income",
                "currency": "EUR",
                "opening_balance": 0,
                "opening_date": "2024-01-02",
                "overdraft_allowed": True,
                "parent_id": "",
            },
            ("2024-01-02", "Salary", "Opened income account Salary (EUR)"),
        ),
        (
            "AccountOpened",
            {
                "account_id": "fuel",
                "name": "Fuel",
                "account_type": "expense",
                "currency": "EUR",
                "opening_balance": 0,
                "opening_date": "2024-01-02",
                "overdraft_allowed": True,
                "parent_id": "food",
            },
            ("2024-01-02", "Fuel", "Opened expense account Fuel (EUR) under Food"),
        ),
        (
            "AccountMoved",
            {"account_id": "rent", "old_parent_id": "", "new_parent_id": "food"},
            (None, "Rent", "Moved Rent under Food (it was at the top)"),
        ),
        (
            "AccountMoved",
            {"account_id": "rent", "old_parent_id": "food", "new_parent_id": ""},
            (None, "Rent", "Moved Rent to the top (it was under Food)"),
        ),
        (
            "AccountRenamed",
            {"account_id": "food", "old_name": "Groceries", "new_name": "Food"},
            (None, "Food", "Renamed Groceries to Food"),
        ),
        (
            "AccountClosed",
            {"account_id": "rent", "closed_on": "2024-05-01"},
            ("2024-05-01", "Rent", "Closed Rent"),
        ),
        (
            "EntryPosted",
            {
                "entry_id": "e1",
                "kind": "deposit",
                "booking_date": "2024-02-01",
                "payee": "ACME Corp",
                "memo": "",
                "postings": [["chk", "EUR", 125000], ["sal", "EUR", -125000]],
            },
            (
                "2024-02-01",
                "Checking, Salary",
                "Deposit 1,250.00 EUR into Checking from Salary — ACME Corp",
            ),
        ),
    ],
)
def test_describe_gives_date_account_and_summary(
    type_name: str, data: dict[str, object], expected: tuple[str | None, str, str]
) -> None:
    day, account, summary = describe(stored(type_name, data), name)
    assert (day.isoformat() if day else None, account, summary) == expected


def test_void_summary_describes_the_reversed_entry_and_the_reason() -> None:
    data = {
        "entry_id": "e1",
        "voided_on": "2024-02-03",
        "reason": "typo",
        "postings": [["chk", "EUR", -5000], ["food", "EUR", 5000]],
    }
    day, account, summary = describe(stored("EntryVoided", data), name, ("withdrawal", "Shop"))
    assert (day.isoformat() if day else None, account) == ("2024-02-03", "Checking, Food")
    assert summary == "Void of withdrawal 50.00 EUR from Checking to Food — Shop (typo)"
    no_reason = describe(stored("EntryVoided", {**data, "reason": ""}), name, ("withdrawal", ""))[2]
    assert no_reason == "Void of withdrawal 50.00 EUR from Checking to Food"


def test_unknown_event_types_are_refused() -> None:
    with pytest.raises(ValueError, match="NoSuchEvent"):
        describe(stored("NoSuchEvent", {}), name)


def test_an_event_type_the_history_has_no_words_for_is_refused() -> None:
    @dataclass(frozen=True)
    class NotDescribed(Event):
        account_id: str

    with pytest.raises(ValueError, match="no description for event type 'NotDescribed'"):
        describe(NotDescribed("chk"), name)


@pytest.mark.parametrize(
    ("names", "label"),
    [
        ([], ""),
        (["Salary"], "Salary"),
        (["Food", "Rent"], "Food, Rent"),
        (["Food", "Rent", "Taxes"], "Split (3 accounts)"),
    ],
)
def test_other_accounts_label_counts_more_than_two(names: list[str], label: str) -> None:
    assert others_label(names) == label


def test_current_data_upcasts_old_schema_versions_and_passes_current_ones_through() -> None:
    v1 = {
        "account_id": "chk",
        "name": "Checking",
        "account_type": "asset",
        "currency": "EUR",
        "opening_balance": "12.30",
        "opening_date": "2024-01-02",
    }
    upcast = current_data("AccountOpened", 1, v1)
    assert upcast["opening_balance"] == 1230
    assert upcast["overdraft_allowed"] is True
    assert upcast["parent_id"] == ""
    current = {**upcast}
    assert current_data("AccountOpened", 3, current) is current


def test_an_import_and_its_undo_are_each_one_line_over_their_entries() -> None:
    from domain.model.events import (
        ImportedRow,
        ImportUndone,
        KeptEntry,
        SkippedRow,
        StatementBalance,
        StatementImported,
    )
    from domain.projections.text import describe

    row = ImportedRow("i1-1", 2, "", "k", "")
    imported = StatementImported(
        "i1", "chk", "jan.csv", "ff", "camt053", "EUR", "2024-01-02", "2024-01-31", 3,
        (StatementBalance("closing", "2024-01-31", 123456),), (row, row),
        (SkippedRow(4, "k2", "duplicate", "already imported"),), (),
    )  # fmt: skip
    assert describe(imported, lambda a: "Checking") == (
        None,
        "Checking",
        "Imported statement jan.csv (camt053, 2024-01-02 to 2024-01-31): 2 entries, 1 row "
        "skipped; closing balance 1,234.56 EUR",
    )
    undone = ImportUndone("i1", "chk", "", (row,), (KeptEntry("i1-2", "already voided"),), ())
    assert describe(undone, lambda a: "Checking")[2] == (
        "Undid import i1: 1 entry voided, 1 kept (already voided)"
    )
