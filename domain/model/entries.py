"""The Entry aggregate (stream ``entry-<id>``): an entry's postings and whether it was voided.

Posting an entry or voiding one is decided here from the entry and the accounts it touches;
the accounts' rules (open, right type, one currency, no overdraft) are the guards in
:mod:`domain.model.accounts`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from domain.model.accounts import (
    MAX_TEXT,
    Account,
    check_funds,
    clean_text,
    positive,
    require_date,
    require_id,
    require_open,
    require_same_currency,
    require_type,
)
from domain.model.commands import (
    ENTRY_COMMANDS,
    CorrectEntry,
    Deposit,
    PostSplitEntry,
    SplitLine,
    Transfer,
    VoidEntry,
    Withdraw,
)
from domain.model.errors import (
    EntryAlreadyVoided,
    InvalidAmount,
    InvalidCommand,
    UnbalancedEntry,
    UnknownEntry,
)
from domain.model.events import AccountType, EntryKind, EntryPosted, EntryVoided, Event, Posting
from domain.model.money import Money, describe

EntryCommand = Deposit | Withdraw | Transfer | PostSplitEntry

SNAPSHOT_VERSION = "entry-1"


def stream_id(entry_id: str) -> str:
    """The stream that holds an entry's events."""
    return f"entry-{entry_id}"


def account_ids(command: EntryCommand) -> tuple[str, ...]:
    """The accounts a new entry touches, in order, each once (what the service must load)."""
    if isinstance(command, Deposit):
        ids: Iterable[object] = (command.account_id, command.income_account_id)
    elif isinstance(command, Withdraw):
        ids = (command.account_id, command.expense_account_id)
    elif isinstance(command, Transfer):
        ids = (command.from_account_id, command.to_account_id)
    else:
        ids = (getattr(line, "account_id", None) for line in _lines(command))
    return tuple(dict.fromkeys(require_id(i, "account_id") for i in ids))


@dataclass(slots=True)
class Entry:
    """An entry's state. ``version == 0`` means it was never posted."""

    id: str
    kind: EntryKind = EntryKind.SPLIT
    booking_date: dt.date = dt.date.min
    payee: str = ""
    memo: str = ""
    postings: tuple[Posting, ...] = ()
    voided: bool = False
    voided_on: dt.date | None = None
    version: int = 0

    @classmethod
    def replay(cls, entry_id: str, events: Iterable[Event]) -> Entry:
        entry = cls(entry_id)
        for event in events:
            entry.apply(event)
        return entry

    def apply(self, event: Event) -> None:
        """Mutate the state by one event of this entry's stream."""
        if isinstance(event, EntryPosted):
            self.kind = event.kind
            self.booking_date = event.booking_date
            self.payee = event.payee
            self.memo = event.memo
            self.postings = event.postings
        elif isinstance(event, EntryVoided):
            self.voided = True
            self.voided_on = event.voided_on
        else:
            raise ValueError(f"{type(event).__name__} does not belong to an entry stream")
        self.version += 1

    @property
    def exists(self) -> bool:
        return self.version > 0

    def describe(self) -> str:
        """A short name for messages: "deposit of 2024-03-01 (Acme)"."""
        payee = f" ({self.payee})" if self.payee else ""
        return f"{self.kind.value} of {self.booking_date}{payee}"

    def copy(self) -> Entry:
        return Entry.from_snapshot(self.to_snapshot())

    def to_snapshot(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind.value,
            "booking_date": self.booking_date.isoformat(),
            "payee": self.payee,
            "memo": self.memo,
            "postings": [[p.account_id, p.currency, p.amount] for p in self.postings],
            "voided": self.voided,
            "voided_on": self.voided_on.isoformat() if self.voided_on else None,
            "version": self.version,
        }

    @classmethod
    def from_snapshot(cls, state: Mapping[str, Any]) -> Entry:
        voided_on = state["voided_on"]
        return cls(
            id=state["id"],
            kind=EntryKind(state["kind"]),
            booking_date=dt.date.fromisoformat(state["booking_date"]),
            payee=state["payee"],
            memo=state["memo"],
            postings=tuple(Posting(a, c, int(m)) for a, c, m in state["postings"]),
            voided=bool(state["voided"]),
            voided_on=dt.date.fromisoformat(voided_on) if voided_on else None,
            version=int(state["version"]),
        )

    # --- commands ---------------------------------------------------------------------------

    def post(
        self, command: EntryCommand, accounts: Mapping[str, Account], *, dated: bool = True
    ) -> list[Event]:
        """Post a deposit, withdrawal, transfer or split; ``accounts`` holds those it touches.
        Not ``dated``: an entry the books had before, posted again by an undo or redo, is not
        checked against its accounts' opening dates (an opening balance's never was)."""
        posted = self._posted(command, accounts, dated=dated)
        _check_all_funds(_on(posted.booking_date, posted.postings), accounts, posted.kind.value)
        return [posted]

    def _posted(
        self, command: EntryCommand, accounts: Mapping[str, Account], *, dated: bool = True
    ) -> EntryPosted:
        """The entry ``command`` posts, by every rule but the accounts' funds."""
        require_id(command.entry_id, "entry_id")
        if self.exists:
            raise InvalidCommand(f"entry id {self.id} is already used by the {self.describe()}")
        booking_date = require_date(command.booking_date, "booking date")
        payee = clean_text(command.payee, "payee", MAX_TEXT)
        memo = clean_text(command.memo, "memo", MAX_TEXT)
        kind, postings = _postings(command, accounts, booking_date if dated else None)
        _require_balanced(postings)
        return EntryPosted(
            entry_id=self.id,
            kind=kind,
            booking_date=booking_date,
            payee=payee,
            memo=memo,
            postings=postings,
        )

    def void(
        self, command: VoidEntry, accounts: Mapping[str, Account], *, dated: bool = True
    ) -> list[Event]:
        """Reverse the entry with a compensating event, dated ``voided_on``; its accounts must
        still be open, and (if ``dated``: not for an undo's void on the entry's own day) have
        been opened by that day."""
        voided = self._voided(command, accounts, dated=dated)
        _check_all_funds(_on(voided.voided_on, _reversal(voided.postings)), accounts, "void")
        return [voided]

    def _voided(
        self, command: VoidEntry, accounts: Mapping[str, Account], *, dated: bool = True
    ) -> EntryVoided:
        """The void of this entry, by every rule but the accounts' funds (and, unless
        ``dated``, their opening dates)."""
        require_id(command.entry_id, "entry_id")
        if not self.exists:
            raise UnknownEntry(f"there is no entry with id {self.id}")
        if self.voided:
            raise EntryAlreadyVoided(
                f"the {self.describe()} was already voided on {self.voided_on}"
            )
        voided_on = require_date(command.voided_on, "void date")
        reason = clean_text(command.reason, "reason", MAX_TEXT)
        day = voided_on if dated else None
        for account_id in dict.fromkeys(p.account_id for p in self.postings):
            require_open(_account(accounts, account_id), day)
        return EntryVoided(
            entry_id=self.id, voided_on=voided_on, reason=reason, postings=self.postings
        )

    def correct(
        self, command: CorrectEntry, new: Entry, accounts: Mapping[str, Account]
    ) -> list[Event]:
        """Void this entry on its booking date and post ``command.replacement`` as ``new``.

        The funds rule looks at what the two do together: lowering a deposit must not fail
        because taking back the whole deposit alone would overdraw the account.
        """
        replacement = replacement_of(command)
        reason = clean_text(command.reason, "reason", MAX_TEXT) or "corrected"
        void = VoidEntry(entry_id=self.id, voided_on=self.booking_date, reason=reason)
        # the void takes back a row already there, on its own day: not a new entry to date
        voided = self._voided(void, accounts, dated=False)
        posted = new._posted(replacement, accounts)
        before = (self.kind, self.booking_date, self.payee, self.memo, self.postings)
        after = (posted.kind, posted.booking_date, posted.payee, posted.memo, posted.postings)
        if after == before:
            raise InvalidCommand(f"the correction changes nothing in the {self.describe()}")
        taken_back = _on(voided.voided_on, _reversal(voided.postings))
        _check_all_funds(
            (*taken_back, *_on(posted.booking_date, posted.postings)), accounts, "correction"
        )
        return [voided, posted]


def replacement_of(command: CorrectEntry) -> EntryCommand:
    """The entry a correction posts, refused unless it is a deposit, withdrawal, transfer or
    split."""
    replacement = command.replacement
    if not isinstance(replacement, ENTRY_COMMANDS):
        raise InvalidCommand(
            "a correction's replacement must be a deposit, withdrawal, transfer or split, "
            f"not {type(replacement).__name__}"
        )
    return replacement


def as_command(entry: Entry) -> EntryCommand:
    """The command that would post ``entry`` again as it is (with a new entry id): what a
    correction starts from. An entry whose postings do not have its kind's shape (two, the
    first gaining on a deposit and giving on a withdrawal or transfer) comes back as a split."""
    common: dict[str, Any] = {
        "booking_date": entry.booking_date,
        "payee": entry.payee,
        "memo": entry.memo,
    }
    postings = entry.postings
    if entry.kind is not EntryKind.SPLIT and len(postings) == 2:
        first, second = postings
        amount = Money(abs(first.amount), first.currency).amount
        gains = first.amount > 0
        if entry.kind is EntryKind.DEPOSIT and gains:
            return Deposit(
                account_id=first.account_id,
                income_account_id=second.account_id,
                amount=amount,
                **common,
            )
        if entry.kind is EntryKind.WITHDRAWAL and not gains:
            return Withdraw(
                account_id=first.account_id,
                expense_account_id=second.account_id,
                amount=amount,
                **common,
            )
        if entry.kind is EntryKind.TRANSFER and not gains:
            return Transfer(
                from_account_id=first.account_id,
                to_account_id=second.account_id,
                amount=amount,
                **common,
            )
    lines = tuple(
        SplitLine(account_id=p.account_id, amount=Money(p.amount, p.currency).amount)
        for p in postings
    )
    return PostSplitEntry(lines=lines, **common)


def _reversal(postings: Sequence[Posting]) -> tuple[Posting, ...]:
    return tuple(Posting(p.account_id, p.currency, -p.amount) for p in postings)


def _account(accounts: Mapping[str, Account], account_id: str) -> Account:
    # an id the caller did not load is an account that does not exist
    return accounts.get(account_id) or Account(account_id)


def _postings(
    command: EntryCommand, accounts: Mapping[str, Account], day: dt.date | None
) -> tuple[EntryKind, tuple[Posting, ...]]:
    if isinstance(command, PostSplitEntry):
        return EntryKind.SPLIT, _split_postings(command, accounts, day)
    kind = _KINDS[type(command)]
    ids = account_ids(command)
    if len(ids) < 2:
        raise InvalidCommand(f"a {kind.value} needs two different accounts, got {ids[0]} twice")
    first, second = (require_open(_account(accounts, i), day) for i in ids)
    if isinstance(command, Deposit):
        require_type(first, AccountType.ASSET, "the account a deposit goes into")
        require_type(second, AccountType.INCOME, "the income category of a deposit")
    elif isinstance(command, Withdraw):
        require_type(first, AccountType.ASSET, "the account a withdrawal comes from")
        require_type(second, AccountType.EXPENSE, "the expense category of a withdrawal")
    require_same_currency(first, second)
    amount = positive(Money.of(command.amount, first.currency), kind.value)
    # the first account gains on a deposit and gives on a withdrawal or transfer
    minor = amount.minor if kind is EntryKind.DEPOSIT else -amount.minor
    return kind, (
        Posting(first.id, amount.currency, minor),
        Posting(second.id, amount.currency, -minor),
    )


_KINDS: dict[type[EntryCommand], EntryKind] = {
    Deposit: EntryKind.DEPOSIT,
    Withdraw: EntryKind.WITHDRAWAL,
    Transfer: EntryKind.TRANSFER,
}


def _lines(command: PostSplitEntry) -> Sequence[SplitLine]:
    lines = command.lines
    if not isinstance(lines, (tuple, list)) or not all(isinstance(x, SplitLine) for x in lines):
        raise InvalidCommand(f"split lines must be a list of SplitLine, got {lines!r}")
    if len(lines) < 2:
        raise InvalidCommand(f"a split needs at least two lines, got {len(lines)}")
    return lines


def _split_postings(
    command: PostSplitEntry, accounts: Mapping[str, Account], day: dt.date | None
) -> tuple[Posting, ...]:
    lines = _lines(command)
    postings = []
    for number, line in enumerate(lines, start=1):
        account = require_open(_account(accounts, line.account_id), day)
        money = Money.of(line.amount, account.currency)
        if money.minor == 0:
            raise InvalidAmount(f"split line {number} ({account.name}) has a zero amount")
        postings.append(Posting(account.id, money.currency, money.minor))
    if len({p.account_id for p in postings}) < 2:
        raise InvalidCommand("a split must touch at least two different accounts")
    return tuple(postings)


def _require_balanced(postings: Sequence[Posting]) -> None:
    debits: dict[str, int] = defaultdict(int)
    credits: dict[str, int] = defaultdict(int)
    for p in postings:
        (debits if p.amount > 0 else credits)[p.currency] += abs(p.amount)
    for currency in dict.fromkeys(p.currency for p in postings):
        off = debits[currency] - credits[currency]
        if off:
            raise UnbalancedEntry(
                f"the lines do not balance in {currency}: debits "
                f"{describe(debits[currency], currency)}, credits "
                f"{describe(credits[currency], currency)}, off by {describe(off, currency)}"
            )


def _on(day: dt.date, postings: Iterable[Posting]) -> tuple[tuple[dt.date, Posting], ...]:
    return tuple((day, p) for p in postings)


def _check_all_funds(
    dated: Iterable[tuple[dt.date, Posting]], accounts: Mapping[str, Account], what: str
) -> None:
    """The no-overdraft rule on each account, with what the postings change by day."""
    changes: dict[str, dict[dt.date, int]] = defaultdict(lambda: defaultdict(int))
    for day, p in dated:
        changes[p.account_id][day] += p.amount
    for account_id, by_day in changes.items():
        check_funds(_account(accounts, account_id), by_day, what)
