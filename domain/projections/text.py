"""Event data as the projections read it, and the words the history shows for each event."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from typing import Any

from domain.model.errors import InvalidAmount
from domain.model.events import EVENT_TYPES, from_data, to_data
from domain.model.money import Money, format_money, minor_digits
from domain.projections.rows import HistoryRow
from domain.store.base import StoredEvent

Names = Callable[[str], str]
"""Account id -> the account's name at the moment being described."""

CURRENT_VERSION = {name: cls.schema_version for name, cls in EVENT_TYPES.items()}
"""Event type -> the schema version this code reads without upcasting."""
_ENTRY_WORDS = {"deposit": "Deposit", "withdrawal": "Withdrawal", "transfer": "Transfer"}


def current_data(type_name: str, schema_version: int, data: Mapping[str, Any]) -> Mapping[str, Any]:
    """The event's data in the current schema (the fast path skips decoding entirely)."""
    if CURRENT_VERSION.get(type_name) == schema_version:
        return data
    return to_data(from_data(type_name, schema_version, data))


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


def entry_accounts(postings: Sequence[Sequence[Any]]) -> list[str]:
    """The distinct account ids of an entry's postings, in posting order."""
    return list(dict.fromkeys(p[0] for p in postings))


def account_debits(postings: Sequence[Sequence[Any]]) -> dict[str, int]:
    """Account id -> its debit in an entry (postings to one account added up), in the order of
    each account's first posting: one register row per account."""
    debits: dict[str, int] = {}
    for account_id, _currency, debit in postings:
        debits[account_id] = debits.get(account_id, 0) + debit
    return debits


def entry_summary(
    kind: str,
    postings: Sequence[Sequence[Any]],
    payee: str,
    names: Names,
    *,
    locale: str | None = None,
) -> str:
    """``Deposit 1,250.00 EUR into Checking from Salary — ACME Corp`` and the like; amounts
    in the Babel ``locale`` if one is given (see :func:`format_amount`)."""
    debits = [p for p in postings if p[2] > 0]
    credits = [p for p in postings if p[2] < 0]
    if kind in _ENTRY_WORDS and len(debits) == 1 and len(credits) == 1:
        to_id, currency, amount = debits[0]
        money = format_amount(amount, currency, locale)
        source, target = names(credits[0][0]), names(to_id)
        if kind == "deposit":
            text = f"Deposit {money} into {target} from {source}"
        else:
            text = f"{_ENTRY_WORDS[kind]} {money} from {source} to {target}"
    else:
        totals: dict[str, int] = {}
        for _account, currency, amount in debits:
            totals[currency] = totals.get(currency, 0) + amount
        money = " + ".join(format_amount(m, c, locale) for c, m in totals.items())
        over = ", ".join(names(a) for a in entry_accounts(postings))
        text = f"{kind.capitalize()} {money} over {over}"
    return f"{text} — {payee}" if payee else text


def describe(
    type_name: str,
    data: Mapping[str, Any],
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
    if type_name == "AccountOpened":
        name = data["name"]
        summary = f"Opened {data['account_type']} account {name} ({data['currency']})"
        if data["opening_balance"]:
            opening = format_amount(data["opening_balance"], data["currency"], locale)
            summary += f" with {opening}"
        if not data["overdraft_allowed"]:
            summary += ", no overdraft"
        return dt.date.fromisoformat(data["opening_date"]), name, summary
    if type_name == "AccountRenamed":
        return None, data["new_name"], f"Renamed {data['old_name']} to {data['new_name']}"
    if type_name == "AccountClosed":
        name = names(data["account_id"])
        return dt.date.fromisoformat(data["closed_on"]), name, f"Closed {name}"
    if type_name not in ("EntryPosted", "EntryVoided"):
        raise ValueError(f"no description for event type {type_name!r}")
    postings = data["postings"]
    accounts = ", ".join(names(a) for a in entry_accounts(postings))
    if type_name == "EntryPosted":
        summary = entry_summary(data["kind"], postings, data["payee"], names, locale=locale)
        return dt.date.fromisoformat(data["booking_date"]), accounts, summary
    kind, payee = voided_entry if voided_entry is not None else ("entry", "")
    original = entry_summary(kind, postings, payee, names, locale=locale)
    summary = f"Void of {original[0].lower()}{original[1:]}"
    if data["reason"]:
        summary += f" ({data['reason']})"
    return dt.date.fromisoformat(data["voided_on"]), accounts, summary


def others_label(names: Sequence[str]) -> str:
    """The register's "other accounts" column: up to two names, else a split count."""
    return split_label(len(names)) if len(names) > 2 else ", ".join(names)


def split_label(count: int) -> str:
    """What the register shows for an entry with ``count`` other accounts (three or more)."""
    return f"Split ({count} accounts)"


def history_row(
    event: StoredEvent,
    data: Mapping[str, Any],
    names: Names,
    voided_entry: tuple[str, str] | None = None,
    *,
    locale: str | None = None,
) -> HistoryRow:
    """The history's row for one event (``data`` in the current schema)."""
    booking_date, account, summary = describe(event.type, data, names, voided_entry, locale=locale)
    return HistoryRow(
        position=event.position,
        recorded_at=event.recorded_at,
        booking_date=booking_date,
        type=event.type,
        account=account,
        summary=summary,
        author=str(event.metadata.get("author", "")),
        stream_id=event.stream_id,
    )
