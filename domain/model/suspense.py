"""The suspense account an import's rows go against when they have no category.

**Uncategorised**, an equity account of the account's currency ("Uncategorised - USD" for a
book's other currencies), opened by the import that first needs it; entries are then
recategorised by correcting them.
"""

from __future__ import annotations

from collections.abc import Callable

from domain.model.accounts import Account, require_id
from domain.model.chart import Chart
from domain.model.commands import ImportStatement
from domain.model.errors import AccountClosedError, InvalidCommand
from domain.model.events import AccountOpened, AccountType

SUSPENSE = "Uncategorised"
Load = Callable[[str], Account]


def suspense_names(currency: str) -> tuple[str, str]:
    """The names the suspense account of ``currency`` may have, in order of preference."""
    return SUSPENSE, f"{SUSPENSE} - {currency}"


def suspense_account(
    command: ImportStatement, chart: Chart, account: Load, target: Account
) -> tuple[str, AccountOpened | None]:
    """(id, its opening or None) of the suspense account for ``currency``: an open account of
    that currency under one of :func:`suspense_names`, else a new equity account."""
    currency = target.currency
    for name in suspense_names(currency):
        holder = chart.id_for(name)
        if holder is not None:
            found = account(holder)
            if found.currency == currency and not found.closed and holder != command.account_id:
                return holder, None
    free = [n for n in suspense_names(currency) if chart.id_for(n) is None]
    if not free:
        first, second = suspense_names(currency)
        raise AccountClosedError(
            f"rows without a category go to an open account named {first!r} or {second!r} in "
            f"{currency}, but both names belong to accounts that cannot take them"
        )
    suspense_id = require_id(command.suspense_account_id, "suspense_account_id")
    if account(suspense_id).exists:
        raise InvalidCommand(f"account id {suspense_id} is already used")
    opened = AccountOpened(
        account_id=suspense_id,
        name=free[0],
        account_type=AccountType.EQUITY,
        currency=currency,
        opening_balance=0,
        opening_date=min(target.opening_date, *(r.booking_date for r in command.rows)),
        overdraft_allowed=True,
    )
    return suspense_id, opened
