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

from domain.accounts import Account, require_id
from domain.chart import Chart, normalise_name
from domain.commands import OpenAccount
from domain.entries import Entry
from domain.errors import InvalidCommand, NoOpeningBalancesAccount
from domain.events import AccountOpened, AccountType, EntryKind, EntryPosted, Event, Posting
from domain.money import Money

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
    counter = _existing_counter(currency, chart, account)
    if counter is None:
        # a name is free if no account has it, the one being opened included
        free = [
            name
            for name in names_for(currency)
            if chart.id_for(name) is None and normalise_name(name) != normalise_name(opened.name)
        ]
        if not free:
            first, second = names_for(currency)
            raise NoOpeningBalancesAccount(
                f"the opening balance of {opened.name} needs an open equity account in "
                f"{currency} named {first!r} or {second!r}, but both names belong to other "
                f"accounts; rename one of them, or open {opened.name} at zero and post its "
                f"opening balance as an entry"
            )
        counter_id = require_id(command.opening_balances_account_id, "opening_balances_account_id")
        if counter_id == opened.account_id or account(counter_id).exists:
            raise InvalidCommand(f"account id {counter_id} is already used")
        events.append(
            AccountOpened(
                account_id=counter_id,
                name=free[0],
                account_type=AccountType.EQUITY,
                currency=currency,
                opening_balance=0,
                opening_date=opened.opening_date,
                overdraft_allowed=True,
            )
        )
    else:
        counter_id = counter.id
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


def _existing_counter(
    currency: str, chart: Chart, account: Callable[[str], Account]
) -> Account | None:
    """The open equity account of ``currency`` under one of the Opening Balances names."""
    for name in names_for(currency):
        holder = chart.id_for(name)
        if holder is None:
            continue
        candidate = account(holder)
        if (
            candidate.account_type is AccountType.EQUITY
            and candidate.currency == currency
            and not candidate.closed
        ):
            return candidate
    return None
