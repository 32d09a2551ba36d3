"""The other side of a transfer: a row of one account's statement whose money was imported
already from another account's statement, against the suspense account (Uncategorised).

Linking the row corrects that entry into one transfer between the two accounts (the entry is
voided on its own date and the transfer posted, in the import's change): no second entry,
and the suspense account is left as it was before either import.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from domain.model.accounts import Account
from domain.model.chart import Chart
from domain.model.commands import CorrectEntry, StatementLine, Transfer
from domain.model.entries import Entry
from domain.model.errors import EntryAlreadyVoided, InvalidCommand, UnknownEntry
from domain.model.events import AccountType
from domain.model.money import Money, describe
from domain.model.suspense import suspense_names

MATCH_DAYS = 7
"""How far apart a row's date and the date of the entry it is linked to may be."""


@dataclass(frozen=True, slots=True)
class OtherSide:
    """The entry a row is the other side of, and the account its money came from or went to."""

    entry: Entry
    source: Account  # the other statement's account
    target: Account
    amount: Money  # the row's, signed from the target's holder

    @property
    def entry_id(self) -> str:
        return self.entry.id

    def correction(self, new_id: str) -> CorrectEntry:
        """The entry made a transfer between the two accounts, on its own date."""
        size = abs(self.amount.amount)
        incoming = self.amount.minor > 0
        source, destination = (self.source, self.target) if incoming else (self.target, self.source)
        transfer = Transfer(
            from_account_id=source.id, to_account_id=destination.id, amount=size,
            booking_date=self.entry.booking_date, payee=self.entry.payee, memo=self.entry.memo,
            entry_id=new_id, command_id=new_id,
        )  # fmt: skip
        return CorrectEntry(
            entry_id=self.entry.id, replacement=transfer,
            reason=f"the other side of a transfer: linked to {self.target.name}'s statement",
            command_id=new_id,
        )  # fmt: skip


def other_side(
    row: StatementLine,
    entry: Callable[[str], Entry],
    target: Account,
    amount: Money,
    chart: Chart,
    account: Callable[[str], Account],
) -> OtherSide | None:
    """The :class:`OtherSide` ``row.match_entry_id`` names, or None when that entry posts to
    the target account (an ordinary match). Raises when it is neither."""
    found = entry(row.match_entry_id)
    if not found.exists:
        raise UnknownEntry(f"there is no entry with id {row.match_entry_id} to link the row to")
    if any(p.account_id == target.id for p in found.postings):
        return None
    if found.voided:
        raise EntryAlreadyVoided(f"the {found.describe()} was voided: no row links to it")
    if len(found.postings) != 2:
        raise InvalidCommand(f"the {found.describe()} is a split: not a transfer's other side")
    suspense = {chart.id_for(n) for n in suspense_names(target.currency)} - {None}
    on_suspense = [p for p in found.postings if p.account_id in suspense]
    others = [p for p in found.postings if p.account_id not in suspense]
    # the suspense account takes what the row's account should: the row's own debit
    if len(on_suspense) != 1 or len(others) != 1 or on_suspense[0].amount != amount.minor:
        raise InvalidCommand(
            f"the {found.describe()} does not move {describe(-amount.minor, target.currency)} "
            f"between another account and Uncategorised: it is not this row's other side"
        )
    source = account(others[0].account_id)
    if source.account_type not in (AccountType.ASSET, AccountType.LIABILITY):
        raise InvalidCommand(f"the {found.describe()} is not from an account's statement")
    if abs((found.booking_date - row.booking_date).days) > MATCH_DAYS:
        raise InvalidCommand(
            f"the {found.describe()} is more than {MATCH_DAYS} days from the row's date "
            f"{row.booking_date}"
        )
    return OtherSide(found, source, target, amount)
