"""Charts of accounts to start a book from: a household, a freelancer, a club (no Qt).

A template is data: each account's name and type, and whether it asks for an opening
balance (the assets and liabilities a new book starts with). :func:`template_commands` turns
one, with the user's currency, date and balances, into ordinary :class:`OpenAccount`
commands; the opening balances go against the equity account Opening Balances as always.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from domain.model.commands import OpenAccount
from domain.model.events import AccountType

_A, _L, _I, _X = AccountType.ASSET, AccountType.LIABILITY, AccountType.INCOME, AccountType.EXPENSE


@dataclass(frozen=True, slots=True)
class TemplateAccount:
    """One account of a template. ``parent`` names a parent account for when the books have
    hierarchies; it is not used yet."""

    name: str
    account_type: AccountType
    opening: bool = False  # asks for an opening balance
    overdraft_allowed: bool = True  # asset accounts only: a bank account or cash may forbid it
    parent: str | None = None


@dataclass(frozen=True, slots=True)
class BookTemplate:
    """A named chart of accounts."""

    key: str  # what the CLI calls it
    title: str
    description: str
    accounts: tuple[TemplateAccount, ...]

    def with_opening(self) -> tuple[TemplateAccount, ...]:
        """The accounts that ask for an opening balance (assets and liabilities)."""
        return tuple(a for a in self.accounts if a.opening)


def _asset(name: str, *, overdraft: bool = False) -> TemplateAccount:
    return TemplateAccount(name, _A, opening=True, overdraft_allowed=overdraft)


def _liability(name: str) -> TemplateAccount:
    return TemplateAccount(name, _L, opening=True)


def _incomes(*names: str) -> tuple[TemplateAccount, ...]:
    return tuple(TemplateAccount(n, _I) for n in names)


def _expenses(*names: str) -> tuple[TemplateAccount, ...]:
    return tuple(TemplateAccount(n, _X) for n in names)


HOUSEHOLD = BookTemplate(
    "household",
    "Household",
    "Bank accounts, cash and a credit card; salary; rent, groceries and the usual bills.",
    (
        _asset("Checking", overdraft=True),
        _asset("Savings"),
        _asset("Cash"),
        _liability("Credit Card"),
        *_incomes("Salary", "Interest", "Other Income"),
        *_expenses(
            "Rent",
            "Groceries",
            "Utilities",
            "Phone & Internet",
            "Transport",
            "Insurance",
            "Health",
            "Dining Out",
            "Clothing",
            "Leisure",
            "Gifts",
        ),
    ),
)
FREELANCER = BookTemplate(
    "freelancer",
    "Freelancer",
    "A business account and a tax reserve; fees from clients; the costs of the work.",
    (
        _asset("Business Account", overdraft=True),
        _asset("Tax Reserve"),
        _asset("Accounts Receivable"),
        _liability("Credit Card"),
        _liability("VAT Payable"),
        *_incomes("Fees", "Other Income"),
        *_expenses(
            "Software & Subscriptions",
            "Office Supplies",
            "Equipment",
            "Travel",
            "Phone & Internet",
            "Professional Fees",
            "Insurance",
            "Training",
            "Bank Charges",
        ),
    ),
)
CLUB = BookTemplate(
    "club",
    "Club or association",
    "The club's account and cash box; membership fees, donations and events; its costs.",
    (
        _asset("Club Account"),
        _asset("Cash Box"),
        _asset("Reserve Fund"),
        _liability("Fees Paid in Advance"),
        *_incomes("Membership Fees", "Donations", "Event Income", "Grants"),
        *_expenses(
            "Venue Hire",
            "Equipment",
            "Event Costs",
            "Insurance",
            "Printing & Postage",
            "Bank Charges",
        ),
    ),
)
TEMPLATES: tuple[BookTemplate, ...] = (HOUSEHOLD, FREELANCER, CLUB)


def template_named(key: str) -> BookTemplate:
    """The template called ``key`` (ValueError naming the known ones if there is none)."""
    for template in TEMPLATES:
        if template.key == key:
            return template
    known = ", ".join(t.key for t in TEMPLATES)
    raise ValueError(f"there is no template “{key}”; the templates are {known}")


def template_commands(
    template: BookTemplate,
    currency: str,
    opening_date: dt.date,
    balances: Mapping[str, Decimal] | None = None,
) -> list[OpenAccount]:
    """The commands that open ``template``'s accounts in ``currency`` on ``opening_date``.

    ``balances`` maps account names to opening balances in their natural sign (what an asset
    holds, what a liability owes); an account it does not name starts at zero. A name that is
    not one of the template's accounts that take a balance is refused (ValueError): a typo
    must not vanish.
    """
    balances = dict(balances or {})
    takes = {a.name for a in template.with_opening()}
    unknown = sorted(set(balances) - takes)
    if unknown:
        raise ValueError(f"{template.title} has no account “{unknown[0]}” with an opening balance")
    return [
        OpenAccount(
            name=account.name,
            account_type=account.account_type,
            currency=currency,
            opening_balance=balances.get(account.name, Decimal(0)),
            opening_date=opening_date,
            overdraft_allowed=account.overdraft_allowed,
        )
        for account in template.accounts
    ]
