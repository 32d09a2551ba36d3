"""The words the history and the register show for events and amounts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from functools import lru_cache

from domain.model.errors import InvalidAmount
from domain.model.events import (
    AccountClosed,
    AccountMoved,
    AccountOpened,
    AccountReconciled,
    AccountRenamed,
    AccountReopened,
    CommandRedone,
    CommandUndone,
    EntryKind,
    EntryPosted,
    EntryVoided,
    Event,
    ImportRestored,
    ImportUndone,
    Posting,
    ReconciliationReopened,
    StatementImported,
)
from domain.model.money import Money, format_money, minor_digits
from domain.projections.rows import HistoryRow
from domain.store.base import StoredEvent

Names = Callable[[str], str]
"""Account id -> the account's name at the moment being described."""

_ENTRY_WORDS: dict[str, str] = {
    EntryKind.DEPOSIT: "Deposit",
    EntryKind.WITHDRAWAL: "Withdrawal",
    EntryKind.TRANSFER: "Transfer",
}


def format_minor(minor: int, currency: str) -> str:
    """``125000, "EUR"`` -> ``"1,250.00 EUR"``: fixed English grouping, exact, for the log."""
    digits = minor_digits(currency)
    units, fraction = divmod(abs(minor), 10**digits)
    sign = "-" if minor < 0 else ""
    decimals = f".{fraction:0{digits}d}" if digits else ""
    return f"{sign}{units:,}{decimals} {currency}"


def format_amount(minor: int, currency: str, locale: str | None = None) -> str:
    """An amount for a summary: ``format_minor``'s fixed form without a locale (the CLI's
    JSON and the tests), else the Babel locale's own (``4,58 €`` for ``de_DE``)."""
    if locale is None:
        return format_minor(minor, currency)
    return _locale_amount(minor, currency, locale)


@lru_cache(maxsize=8192)
def _locale_amount(minor: int, currency: str, locale: str) -> str:
    # Babel takes ~50 µs an amount and a history page is fetched again after a refresh
    try:
        money = Money(minor, currency)
    except InvalidAmount:
        # a split's total may add up beyond the limit one amount keeps: still say it, plainly
        return format_minor(minor, currency)
    return format_money(money, locale)  # an unknown locale name falls back to en_US


def entry_accounts(postings: Sequence[Posting]) -> list[str]:
    """The distinct account ids of an entry's postings, in posting order."""
    return list(dict.fromkeys(p.account_id for p in postings))


def entry_summary(
    kind: str,
    postings: Sequence[Posting],
    payee: str,
    names: Names,
    *,
    locale: str | None = None,
) -> str:
    """``Deposit 1,250.00 EUR into Checking from Salary — ACME Corp`` and the like; amounts
    in the Babel ``locale`` if one is given (see :func:`format_amount`); ``kind`` is an
    EntryKind's value, or "entry" for an entry not known."""
    debits = [p for p in postings if p.amount > 0]
    credits = [p for p in postings if p.amount < 0]
    if kind in _ENTRY_WORDS and len(debits) == 1 and len(credits) == 1:
        debit = debits[0]
        money = format_amount(debit.amount, debit.currency, locale)
        source, target = names(credits[0].account_id), names(debit.account_id)
        if kind == EntryKind.DEPOSIT:
            text = f"Deposit {money} into {target} from {source}"
        else:
            text = f"{_ENTRY_WORDS[kind]} {money} from {source} to {target}"
    else:
        totals: dict[str, int] = {}
        for posting in debits:
            totals[posting.currency] = totals.get(posting.currency, 0) + posting.amount
        money = " + ".join(format_amount(m, c, locale) for c, m in totals.items())
        over = ", ".join(names(a) for a in entry_accounts(postings))
        text = f"{kind.capitalize()} {money} over {over}"
    return f"{text} — {payee}" if payee else text


def describe(
    event: Event,
    names: Names,
    voided_entry: tuple[str, str] | None = None,
    *,
    locale: str | None = None,
) -> tuple[dt.date | None, str, str]:
    """(booking date, account column, summary) of one event for the history.

    ``names`` gives names as of the event itself; ``voided_entry`` is the (kind, payee) of the
    entry an EntryVoided reverses; ``locale`` (a Babel name like ``de_DE``) formats the
    amounts for people, ``None`` keeps the fixed ``1,250.00 EUR`` form.
    """
    if isinstance(event, EntryPosted):  # most events are: asked first
        accounts = ", ".join(names(a) for a in entry_accounts(event.postings))
        summary = entry_summary(event.kind, event.postings, event.payee, names, locale=locale)
        return event.booking_date, accounts, summary
    if isinstance(event, EntryVoided):
        accounts = ", ".join(names(a) for a in entry_accounts(event.postings))
        kind, payee = voided_entry if voided_entry is not None else ("entry", "")
        original = entry_summary(kind, event.postings, payee, names, locale=locale)
        summary = f"Void of {original[0].lower()}{original[1:]}"
        if event.reason:
            summary += f" ({event.reason})"
        return event.voided_on, accounts, summary
    if isinstance(event, AccountOpened):
        name = event.name
        summary = f"Opened {event.account_type.value} account {name} ({event.currency})"
        if event.parent_id:
            summary += f" under {names(event.parent_id)}"
        if event.opening_balance:
            opening = format_amount(event.opening_balance, event.currency, locale)
            summary += f" with {opening}"
        if not event.overdraft_allowed:
            summary += ", no overdraft"
        return event.opening_date, name, summary
    if isinstance(event, StatementImported | ImportUndone):
        return None, names(event.account_id), import_summary(event, locale=locale)
    if isinstance(event, ImportRestored):
        restored = _count(len(event.restored), "entry", "entries")
        text = f"Redid import {event.import_id}: {restored} posted again"
        if event.relinked:
            text += f", {_count(len(event.relinked), 'entry', 'entries')} linked again"
        return None, names(event.account_id), text
    if isinstance(event, AccountReconciled):
        name = names(event.account_id)
        cleared = _count(len(event.entries), "entry", "entries")
        return (
            event.statement_date,
            name,
            f"Reconciled {name} with the statement of {event.statement_date}: {cleared} cleared",
        )
    if isinstance(event, ReconciliationReopened):
        name = names(event.account_id)
        what = {
            "voided": f"entry {event.entry_id} voided",
            "undone": f"entry {event.entry_id} taken off by an undo",
        }.get(event.how, f"entry {event.entry_id} posted into it")
        return (
            event.statement_date,
            name,
            f"Reopened the reconciliation of {name} (statement of {event.statement_date}): {what}",
        )
    if isinstance(event, AccountRenamed):
        return None, event.new_name, f"Renamed {event.old_name} to {event.new_name}"
    if isinstance(event, AccountMoved):
        name = names(event.account_id)
        where = f"under {names(event.new_parent_id)}" if event.new_parent_id else "to the top"
        before = f"under {names(event.old_parent_id)}" if event.old_parent_id else "at the top"
        return None, name, f"Moved {name} {where} (it was {before})"
    if isinstance(event, AccountClosed):
        name = names(event.account_id)
        return event.closed_on, name, f"Closed {name}"
    if isinstance(event, AccountReopened):
        name = names(event.account_id)
        return None, name, f"Reopened {name} (closed on {event.closed_on})"
    if isinstance(event, CommandUndone):
        return None, "", f"Undid: {event.summary}"
    if isinstance(event, CommandRedone):
        return None, "", f"Redid: {event.summary}"
    raise ValueError(f"no description for event type {event.type_name()!r}")


def _count(number: int, one: str, many: str) -> str:
    return f"{number:,} {one if number == 1 else many}"


def import_summary(event: StatementImported | ImportUndone, *, locale: str | None = None) -> str:
    """``Imported statement jan.csv (csv, 2024-01-02 to 2024-01-31): 12 entries, 3 rows
    skipped`` or ``Undid import … : 12 entries voided, 1 kept``. The import's entries are
    the change's other events, each described as any entry. Amounts as in
    :func:`format_amount`."""
    if isinstance(event, ImportUndone):
        voided = _count(len(event.voided), "entry", "entries")
        text = f"Undid import {event.import_id}: {voided} voided"
        if event.unlinked:
            text += f", {_count(len(event.unlinked), 'entry', 'entries')} unlinked"
        if event.kept:
            text += f", {len(event.kept):,} kept ({event.kept[0].reason}"
            text += ", …)" if len(event.kept) > 1 else ")"
        return text
    period = f", {event.first_date} to {event.last_date}" if event.first_date else ""
    entries = _count(len(event.rows), "entry", "entries")
    text = f"Imported statement {event.file_name} ({event.format}{period}): {entries}"
    if event.skipped:
        text += f", {_count(len(event.skipped), 'row', 'rows')} skipped"
    if event.linked:
        text += f", {_count(len(event.linked), 'row', 'rows')} linked to entries already there"
    closing = [b for b in event.balances if b.kind == "closing"]
    if closing:
        text += f"; closing balance {format_amount(closing[-1].amount, event.currency, locale)}"
    for miss in event.mismatches:
        booked = format_amount(miss.booked, event.currency, locale)
        gap = format_amount(miss.stated - miss.booked, event.currency, locale)
        text += f"; MISMATCH on {miss.on}: the books say {booked}, a difference of {gap}"
    if event.replaced:
        text += f", {_count(len(event.replaced), 'entry', 'entries')} made transfers"
    return text


def others_label(names: Sequence[str]) -> str:
    """The register's "other accounts" column: up to two names, else a split count."""
    return split_label(len(names)) if len(names) > 2 else ", ".join(names)


def split_label(count: int) -> str:
    """What the register shows for an entry with ``count`` other accounts (three or more)."""
    return f"Split ({count} accounts)"


def history_row(
    stored: StoredEvent,
    event: Event,
    names: Names,
    voided_entry: tuple[str, str] | None = None,
    *,
    locale: str | None = None,
) -> HistoryRow:
    """The history's row for one stored event (``event``: it decoded, see ``from_data``)."""
    booking_date, account, summary = describe(event, names, voided_entry, locale=locale)
    return HistoryRow(
        position=stored.position,
        recorded_at=stored.recorded_at,
        booking_date=booking_date,
        type=stored.type,
        account=account,
        summary=summary,
        author=str(stored.metadata.get("author", "")),
        stream_id=stored.stream_id,
    )
