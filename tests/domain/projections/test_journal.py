"""hledger account names: what hledger would read otherwise is replaced, collisions resolved."""

from __future__ import annotations

from domain.model.events import AccountType
from domain.projections.journal import Account, hledger_names


def test_names_hledger_would_misread_are_made_plain_and_kept_apart() -> None:
    accounts = [
        Account("a1", "(Savings)", AccountType.ASSET, "EUR"),
        Account("a2", "* Star", AccountType.EXPENSE, "EUR"),
        Account("a3", "Food: Out", AccountType.EXPENSE, "EUR"),
        Account("a4", "Food- Out", AccountType.EXPENSE, "EUR"),
        Account("a5", "Tabs\tand  spaces;x", AccountType.INCOME, "EUR"),
        Account("a6", "Travel (USD)", AccountType.LIABILITY, "USD"),
        Account("a7", "::", AccountType.EQUITY, "EUR"),
    ]
    names = hledger_names(accounts)
    assert names == {
        "a1": "assets:(Savings)",
        "a2": "expenses:* Star",
        "a3": "expenses:Food- Out",
        "a4": "expenses:Food- Out a4",
        "a5": "income:Tabs and spaces-x",
        "a6": "liabilities:Travel (USD)",
        "a7": "equity:--",
    }
