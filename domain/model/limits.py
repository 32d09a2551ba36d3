"""The largest balance a book holds: what a 64-bit integer keeps, with room for sums.

Amounts are integer minor units, and the book's read models keep balances and what an entry
moves on each account as SQLite's 64-bit integers. A command whose result would not fit is
refused before anything is written, by :func:`check_balances`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from domain.model.accounts import Account
from domain.model.errors import BalanceOutOfRange
from domain.model.events import EntryPosted, EntryVoided, Event
from domain.model.money import describe

MAX_BALANCE = 10**18
"""The largest magnitude, in minor units, of any account's balance and of what one entry
moves on one account (10^16 EUR, 10^14 CLF). Nine such values still add up within a 64-bit
integer (2^63 is about 9.2 * 10^18), so sums over a few of them cannot overflow either."""


def check_balances(events: Iterable[Event], account: Callable[[str], Account]) -> None:
    """Refuse ``events`` (one command's) if an account they post to would end, or pass
    through, a balance beyond ±MAX_BALANCE, or if an entry moves more than that on one
    account. ``account`` gives each account as it stands before the command."""
    balances: dict[str, int] = {}
    for event in events:
        if not isinstance(event, EntryPosted | EntryVoided):
            continue
        factor = 1 if isinstance(event, EntryPosted) else -1
        moved: dict[str, int] = {}
        for posting in event.postings:
            moved[posting.account_id] = moved.get(posting.account_id, 0) + posting.amount
        for account_id, debit in moved.items():
            state = account(account_id)
            change = factor * debit
            if abs(change) > MAX_BALANCE:
                raise BalanceOutOfRange(
                    f"the entry would move {_signed(state, change)} on {state.name}, beyond "
                    f"the {_limit(state)} one entry can move on an account; nothing was written"
                )
            after = balances.get(account_id, state.balance) + change
            if abs(after) > MAX_BALANCE:
                raise BalanceOutOfRange(
                    f"{state.name} would hold {_signed(state, after)}, beyond the "
                    f"{_limit(state)} a balance can hold; nothing was written"
                )
            balances[account_id] = after


def _signed(account: Account, debit: int) -> str:
    """A debit-positive amount as people read the account (positive: money in an asset)."""
    return describe(account.account_type.sign * debit, account.currency)


def _limit(account: Account) -> str:
    return (
        f"±{describe(MAX_BALANCE, account.currency)} (10^{len(str(MAX_BALANCE)) - 1} minor units)"
    )
