"""The generated sample book's chart of accounts and its seeded ids (see :mod:`app.sample_data`)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from domain.model.commands import spell_id
from domain.model.events import AccountType
from domain.model.opening import NAME as OPENING_BALANCES

MIN_ACCOUNTS = 8
# Ids spell what domain.model.commands.new_id's do (16 characters of ID_ALPHABET: a 42-bit "time",
# then 38 random bits), but the time is a counter from this millisecond (2020-01-01 UTC) and
# the bits come from the seed: a seed always gives the same book, ids are as short as real
# ones and later ids sort later, as they would in a book typed in by hand.
_ID_EPOCH_MS = 1_577_836_800_000
_ID_RANDOM_BITS = 38


def seeded_id(counter: int, rng: random.Random) -> str:
    """The generator's id number ``counter`` (0, 1, 2...), its low bits drawn from ``rng``."""
    number = (_ID_EPOCH_MS + counter) << _ID_RANDOM_BITS | rng.getrandbits(_ID_RANDOM_BITS)
    return spell_id(number)


_A, _L, _Q, _I, _X = (
    AccountType.ASSET,
    AccountType.LIABILITY,
    AccountType.EQUITY,
    AccountType.INCOME,
    AccountType.EXPENSE,
)
# (key, name, type, opening balance in minor units, overdraft allowed, other currency?)
_CORE: tuple[tuple[str, str, AccountType, int, bool, bool], ...] = (
    ("checking", "Checking", _A, 250_000, False, False),
    ("salary", "Salary", _I, 0, True, False),
    ("groceries", "Groceries", _X, 0, True, False),
    ("card", "Credit Card", _L, 0, True, False),
    ("equity", "Owner's Equity", _Q, 0, True, False),  # owner contributions
    ("savings", "Savings", _A, 1_000_000, False, False),
    ("rent", "Rent", _X, 0, True, False),
    ("cash", "Cash", _A, 10_000, False, False),
    ("dining", "Dining Out", _X, 0, True, False),
    ("interest", "Interest", _I, 0, True, False),
    ("utilities", "Utilities", _X, 0, True, False),
    ("transport", "Transport", _X, 0, True, False),
    ("taxes", "Taxes", _X, 0, True, False),
    ("freelance", "Freelance", _I, 0, True, False),
    ("usd_cash", "USD Wallet", _A, 50_000, False, True),
    ("travel_usd", "Travel (USD)", _X, 0, True, True),
    ("holiday", "Holiday Fund", _A, 0, False, False),
    ("household", "Household", _X, 0, True, False),
    ("health", "Health", _X, 0, True, False),
)
_EXTRA_NAMES = (
    "Books",
    "Insurance",
    "Gifts",
    "Clothing",
    "Phone",
    "Internet",
    "Pets",
    "Sports",
    "Charity",
    "Education",
    "Garden",
    "Music",
    "Streaming",
    "Hairdresser",
)


@dataclass(frozen=True, slots=True)
class Spending:
    """Where a category's money goes: its payees, and the least and most spent at once (in
    minor units of a two-decimal currency)."""

    payees: tuple[str, ...]
    least: int
    most: int


# each category's own payees, so a register reads as a household's would
SPENDING = {
    "groceries": Spending(("Rewe", "Lidl", "Aldi", "Edeka", "Farmers' market", "Corner shop"),
                          300, 9_000),
    "dining": Spending(("Trattoria Roma", "Sushi Bar", "Cafe Central", "Burger Barn"), 300, 4_500),
    "utilities": Spending(("City Utilities", "Water Works", "Telco"), 2_000, 12_000),
    "transport": Spending(("Transit Authority", "Petrol Station", "Taxi", "Rail"), 250, 8_000),
    "household": Spending(("Hardware Store", "Online Store", "Furniture Store"), 500, 12_000),
    "health": Spending(("Pharmacy", "Dentist", "Optician"), 500, 8_000),
}  # fmt: skip
_EXTRA_PAYEES = {
    "Books": ("Bookshop",), "Insurance": ("Insurer AG",), "Gifts": ("Gift Shop", "Online Store"),
    "Clothing": ("Clothes Shop", "Shoe Shop"), "Phone": ("Telco",), "Internet": ("Net Provider",),
    "Pets": ("Pet Shop", "Vet"), "Sports": ("Gym", "Sports Shop"), "Charity": ("Red Cross",),
    "Education": ("Language School",), "Garden": ("Garden Centre",), "Music": ("Music Shop",),
    "Streaming": ("Streaming Service",), "Hairdresser": ("Hairdresser",),
}  # fmt: skip


def spending(account: GeneratedAccount) -> Spending:
    """Where the expense ``account`` spends: a core category's, or an extra one's by name."""
    if account.key in SPENDING:
        return SPENDING[account.key]
    base = account.name.rsplit(" ", 1)[0] if account.name[-1].isdigit() else account.name
    return Spending(_EXTRA_PAYEES.get(base, ("Shop",)), 500, 8_000)


@dataclass(frozen=True, slots=True)
class GeneratedAccount:
    """An account of the generated chart, with the id the generator gives it."""

    key: str
    account_id: str
    name: str
    account_type: AccountType
    currency: str
    opening_minor: int
    overdraft_allowed: bool


def generated_chart(accounts: int, seed: int, currency: str = "EUR") -> list[GeneratedAccount]:
    """The ``accounts`` accounts the generator opens for ``seed``; their ids are the first
    ``accounts`` of the generator's (see :func:`seeded_id`)."""
    if accounts < MIN_ACCOUNTS:
        raise ValueError(f"the generator needs at least {MIN_ACCOUNTS} accounts, not {accounts}")
    specs = list(_CORE[:accounts])
    for n in range(accounts - len(specs)):
        base = _EXTRA_NAMES[n % len(_EXTRA_NAMES)]
        name = base if n < len(_EXTRA_NAMES) else f"{base} {n // len(_EXTRA_NAMES) + 1}"
        specs.append((f"extra{n}", name, _X, 0, True, False))
    chart = []
    ids = random.Random(f"tallybook-accounts:{seed}")
    for counter, (key, name, kind, opening, overdraft, other) in enumerate(specs):
        cur = ("USD" if currency != "USD" else "EUR") if other else currency
        chart.append(
            GeneratedAccount(
                key=key,
                account_id=seeded_id(counter, ids),
                name=name,
                account_type=kind,
                currency=cur,
                opening_minor=opening,
                overdraft_allowed=overdraft,
            )
        )
    return chart


def opening_events(chart: Sequence[GeneratedAccount]) -> int:
    """How many events opening ``chart`` appends: one per account, one per opening balance
    (its entry), and one per currency whose opening balances need an Opening Balances account
    that the chart does not have (see :mod:`domain.model.opening`)."""
    has = {a.currency for a in chart if a.account_type is _Q and a.name == OPENING_BALANCES}
    with_balance = [a for a in chart if a.opening_minor]
    return len(chart) + len(with_balance) + len({a.currency for a in with_balance} - has)
