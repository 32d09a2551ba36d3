"""The history's search index against a plain Python filter over the events of generated books."""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path
from typing import Any

import pytest

from app.cli.main import main
from app.composition import Book
from domain.projections.history_filter import HistoryFilter, account_ids, event_amount
from domain.projections.rows import HistoryRow
from domain.projections.search_index import ORDERS, HistorySearch
from domain.store.base import StoredEvent


def plain(events: list[StoredEvent], book: Book, f: HistoryFilter) -> list[int]:
    """The positions a filter keeps, written out the plain way."""
    rows = {r.position: r for r in book.read_models.history(0, len(events))}
    kept = []
    for e in events:
        row = rows[e.position]
        if f.upto is not None and e.position > f.upto:
            continue
        if f.types is not None and e.type not in f.types:
            continue
        if f.account_ids is not None and not f.account_ids & account_ids(e.data):
            continue
        if f.author is not None and e.metadata.get("author", "").lower() != f.author.lower():
            continue
        if f.from_date is not None and (row.booking_date is None or row.booking_date < f.from_date):
            continue
        if f.to_date is not None and (row.booking_date is None or row.booking_date > f.to_date):
            continue
        if f.recorded_from is not None and e.recorded_at < f.recorded_from:
            continue
        if f.recorded_to is not None and e.recorded_at > f.recorded_to:
            continue
        amount = event_amount(e.data)
        if f.amount_min is not None and (amount is None or amount < f.amount_min):
            continue
        if f.amount_max is not None and (amount is None or amount > f.amount_max):
            continue
        if f.search is not None:
            texts = [row.summary, row.account, row.author, e.metadata["command_id"]]
            texts += [str(v) for v in _strings(dict(e.data))]
            if not any(f.search.lower() in t.lower() for t in texts):
                continue
        kept.append(e.position)
    return kept


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    return []


def _sort_key(row: HistoryRow, order: str) -> tuple[Any, int]:
    if order == "day":
        return (row.booking_date.toordinal() if row.booking_date else 0), row.position
    if order in ("type", "author"):
        return getattr(row, order).lower(), row.position
    return row.position, row.position


def random_filter(rng: random.Random, events: list[StoredEvent], book: Book) -> HistoryFilter:
    rows = book.read_models.history(0, len(events))
    dated = sorted(r.booking_date for r in rows if r.booking_date is not None)
    payees = sorted({str(e.data["payee"]) for e in events if e.data.get("payee")})
    accounts = sorted({a for e in events for a in account_ids(e.data)})
    amounts = sorted(a for e in events if (a := event_amount(e.data)) is not None)
    f: dict[str, Any] = {}
    for key in rng.sample(["type", "account", "search", "dates", "recorded", "amount",
                           "author", "upto"], rng.randint(1, 3)):  # fmt: skip
        if key == "type":
            f["types"] = frozenset(rng.sample(sorted({e.type for e in events}), rng.randint(1, 2)))
        elif key == "account":
            f["account_ids"] = frozenset(rng.sample(accounts, rng.randint(1, 2)))
        elif key == "search":
            payee = rng.choice(payees)
            start = rng.randrange(len(payee))
            f["search"] = payee[start : start + rng.randint(2, 5)].upper()
        elif key == "dates":
            f["from_date"], f["to_date"] = sorted(rng.sample(dated, 2))
        elif key == "recorded":
            moments = sorted(rng.sample([e.recorded_at for e in events], 2))
            f["recorded_from"], f["recorded_to"] = moments
        elif key == "amount":
            f["amount_min"], f["amount_max"] = sorted(rng.sample(amounts, 2))
        elif key == "author":
            f["author"] = str(rng.choice(events).metadata.get("author", "")).upper()
        else:
            f["upto"] = rng.randint(1, len(events))
    return HistoryFilter(**f)


@pytest.fixture(params=[1, 2])
def generated(tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    book = tmp_path / "b.tallybook"
    assert main(["generate", str(book), "--accounts", "10", "--commands", "300",
                 "--seed", str(request.param), "--batch", "37"]) == 0  # fmt: skip
    return book


def test_the_index_keeps_what_a_plain_filter_keeps(generated: Path) -> None:
    with Book.open(generated) as book:
        search = HistorySearch(book.read_models.store)
        search.catch_up()
        assert search.behind() == 0
        events = list(book.store.read_all())
        rng = random.Random(str(generated))
        fewer = 0
        for _ in range(60):
            f = random_filter(rng, events, book)
            first, last = search.bounds(f)
            got = search.positions(f, first=first, last=last)
            assert got == plain(events, book, f), f
            assert search.count(f, first=first, last=last) == len(got)
            fewer += 0 < len(got) < len(events)
        assert fewer > 15  # the filters were not all trivially empty or everything


def test_sorted_and_paged_answers_are_the_same_events(generated: Path) -> None:
    with Book.open(generated) as book:
        search = HistorySearch(book.read_models.store)
        search.catch_up()
        rows = {r.position: r for r in book.read_models.history(0, 10_000)}
        everything = HistoryFilter()
        for order in ORDERS:
            got = search.positions(everything, order=order, descending=True)
            assert sorted(got) == list(range(1, len(rows) + 1))
            keys = [_sort_key(rows[p], order) for p in got]
            assert keys == sorted(keys, reverse=True)
            assert search.positions(everything, order=order, descending=True, limit=7) == got[:7]
        picked = [5, 3, 40, 41, 42]
        assert [r.position for r in search.rows_at(picked, None)] == picked
        assert search.rows_at(picked, None)[2] == rows[40]


def test_a_catch_up_after_commands_indexes_only_their_events(generated: Path) -> None:
    from domain.model.commands import RenameAccount

    with Book.open(generated) as book:
        search = HistorySearch(book.read_models.store)
        search.catch_up()
        head = book.store.head()[0]
        name = book.read_models.accounts()[0].account_id
        book.service.execute(RenameAccount(account_id=name, new_name="Zanzibar Fund"))
        assert search.behind() == 1  # a command does not write the index
        assert search.catch_up() == 1
        assert search.positions(HistoryFilter(search="zanzibar")) == [head + 1]


def test_a_rebuild_leaves_the_index_to_be_caught_up_again(generated: Path) -> None:
    with Book.open(generated) as book:
        search = HistorySearch(book.read_models.store)
        search.catch_up()
        book.read_models.rebuild()
        assert search.behind() == book.store.head()[0]
        done: list[tuple[int, int]] = []
        search.catch_up(lambda d, t: not done.append((d, t)))  # type: ignore[func-returns-value]
        assert search.behind() == 0 and done[-1][0] == done[-1][1]
        assert dataclasses.asdict(HistoryFilter()) != {}


def test_an_index_grown_in_steps_is_the_index_built_at_once(generated: Path) -> None:
    """Caught up in small steps, with a rename between them, the rows are those one catch-up
    from empty writes: names as of each event."""
    from sqlalchemy import select

    from domain.model.commands import RenameAccount
    from domain.projections import search_index
    from domain.projections.tables import rm_search, rm_search_accounts, rm_search_state

    with Book.open(generated) as book:
        store = book.read_models.store
        conn = store.connection
        search = HistorySearch(store)
        old_batch, search_index.BATCH = search_index.BATCH, 7
        try:
            search.catch_up()
        finally:
            search_index.BATCH = old_batch
        account = book.read_models.accounts()[1].account_id
        book.service.execute(RenameAccount(account_id=account, new_name="Renamed Meanwhile"))
        search.catch_up()

        def rows() -> list[Any]:
            with store.transaction(allow_readonly=True):
                return [
                    [tuple(r) for r in conn.execute(select(t).order_by(*t.primary_key.columns))]
                    for t in (rm_search, rm_search_accounts)
                ]

        kept = rows()
        assert len(kept[0]) == book.store.head()[0]
        with store.transaction(allow_readonly=True):
            for table in (rm_search_accounts, rm_search, rm_search_state):
                conn.execute(table.delete())
        HistorySearch(store).catch_up()
        assert rows() == kept
