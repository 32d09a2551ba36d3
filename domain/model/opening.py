"""Opening balances: an entry against the equity account "Opening Balances".

Double entry needs the other side of an opening balance somewhere. As in GnuCash, it goes to
an equity account of the same currency named "Opening Balances" ("Opening Balances - USD"
for a book's other currencies), which the same command opens when the book has none. The
opening balance is then an ordinary entry, dated on the opening date: it shows in both
registers, the books' debits equal their credits from the first day, and a wrong opening
balance is corrected by voiding its entry, like any other.

Books written before this rule kept the opening balance on ``AccountOpened`` alone; the
projections still read it there, so those books show what they always showed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from domain.model.accounts import Account, require_id
from domain.model.chart import Chart, normalise_name
from domain.model.commands import OpenAccount
from domain.model.entries import Entry
from domain.model.errors import InvalidCommand, NoOpeningBalancesAccount
from domain.model.events import AccountOpened, AccountType, EntryKind, EntryPosted, Event, Posting
from domain.model.money import Money

NAME = "Opening Balances"
PAYEE = "Opening balance"


def names_for(currency: str) -> tuple[str, str]:
    """The names an Opening Balances account of ``currency`` may have, in order of preference."""
    return NAME, f"{NAME} - {currency}"


def open_account(
    command: OpenAccount,
    account: Account,
    chart: Chart,
    accounts: Callable[[str], Account],
    entries: Callable[[str], Entry],
) -> list[Event]:
    """Decide an :class:`OpenAccount`: the account's opening at zero and, for an opening
    balance, the Opening Balances account's opening (if it must be opened) and the entry.

    ``account`` is the new account's (empty) stream; ``accounts`` and ``entries`` load the
    others by id."""
    events = account.open(command, chart)
    opened = events[0]
    assert isinstance(opened, AccountOpened)
    minor = Money.of(command.opening_balance, opened.currency).minor  # checked by open()
    if minor == 0:
        return events
    entry = entries(require_id(command.opening_entry_id, "opening_entry_id"))
    return events + _opening_events(command, opened, minor, chart, accounts, entry)


def _opening_events(
    command: OpenAccount,
    opened: AccountOpened,
    opening_minor: int,
    chart: Chart,
    account: Callable[[str], Account],
    entry: Entry,
) -> list[Event]:
    """Post ``opening_minor`` (in the new account's natural sign) against Opening Balances."""
    currency = opened.currency
    events: list[Event] = []

    def holder(name: str) -> tuple[str, Account] | None:
        account_id = chart.id_for(name)
        return None if account_id is None else (account_id, account(account_id))

    name, counter_id = counter_account(currency, opened.name, holder)
    if counter_id is None:
        counter_id = require_id(command.opening_balances_account_id, "opening_balances_account_id")
        if counter_id == opened.account_id or account(counter_id).exists:
            raise InvalidCommand(f"account id {counter_id} is already used")
        events.append(
            AccountOpened(
                account_id=counter_id,
                name=name,
                account_type=AccountType.EQUITY,
                currency=currency,
                opening_balance=0,
                opening_date=opened.opening_date,
                overdraft_allowed=True,
            )
        )
    if entry.exists:
        raise InvalidCommand(f"entry id {entry.id} is already used by the {entry.describe()}")
    debit = opened.account_type.sign * opening_minor
    credit_first = sorted(
        (Posting(opened.account_id, currency, debit), Posting(counter_id, currency, -debit)),
        key=lambda p: p.amount,
    )  # the side money comes from first, as a transfer's
    events.append(
        EntryPosted(
            entry_id=entry.id,
            kind=EntryKind.TRANSFER,
            booking_date=opened.opening_date,
            payee=PAYEE,
            memo="",
            postings=tuple(credit_first),
        )
    )
    return events


class Named(Protocol):
    """What :func:`counter_account` reads of an account: the aggregate and a read-model row
    both have it."""

    @property
    def name(self) -> str: ...
    @property
    def account_type(self) -> AccountType: ...
    @property
    def currency(self) -> str: ...
    @property
    def closed(self) -> bool: ...


def counter_account(
    currency: str, new_name: str, holder: Callable[[str], tuple[str, Named] | None]
) -> tuple[str, str | None]:
    """(name, id) of the account an opening balance in ``currency`` goes against: an open
    equity account of that currency under one of :func:`names_for`, else the first of those
    names that no account has, ``new_name`` (the account being opened) included, with id
    None: it is to be opened. ``holder`` gives the (id, account) that has a name, if any.

    Raises NoOpeningBalancesAccount when both names belong to accounts that cannot take it.
    """
    candidates = names_for(currency)
    for name in candidates:
        found = holder(name)
        if found is not None:
            account_id, held = found
            fits = held.account_type is AccountType.EQUITY and held.currency == currency
            if fits and not held.closed:
                return held.name, account_id
    for name in candidates:
        if holder(name) is None and normalise_name(name) != normalise_name(new_name):
            return name, None
    first, second = candidates
    raise NoOpeningBalancesAccount(
        f"the opening balance of {new_name} needs an open equity account in {currency} "
        f"named {first!r} or {second!r}, but both names belong to other accounts; rename one "
        f"of them, or open {new_name} at zero and post its opening balance as an entry"
    )
