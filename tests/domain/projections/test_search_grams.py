"""The search's trigrams propose a superset of the events a text is in, and the search's
answer stays the plain meaning: a substring of one of the event's texts, ignoring case."""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Connection, create_engine, event

from app.cli.main import main
from app.composition import Book
from domain.model.commands import RenameAccount
from domain.projections import search_grams
from domain.projections.history_filter import HistoryFilter
from domain.projections.search_index import SEPARATOR, HistorySearch, query
from domain.projections.tables import SCHEMA, metadata, rm_search, rm_search_state
from domain.store.sqlite.connection import dbapi

# letters whose case folds oddly (ß -> ss, İ -> i̇, ﬁ -> fi, Σ/ς), others, quotes, spaces
ALPHABET = "abcABCsSß İıiﬁΣσς€日\"' -é"
fields = st.lists(st.text(ALPHABET, min_size=0, max_size=8), min_size=1, max_size=4)


@pytest.fixture(scope="module")
def conn() -> Iterator[Connection]:
    engine = create_engine("sqlite://")
    event.listen(engine, "connect", lambda raw, _: raw.execute(f"ATTACH ':memory:' AS {SCHEMA}"))
    with engine.connect() as connection:
        metadata.create_all(connection, tables=[rm_search, rm_search_state])
        connection.commit()
        yield connection


def _store(raw: sqlite3.Connection, events: list[list[str]]) -> list[str]:
    """The events' texts as ``search_index`` stores them (returned), and their trigrams."""
    raw.execute(f"DELETE FROM {SCHEMA}.rm_search")
    raw.execute(f"DELETE FROM {SCHEMA}.rm_search_state")
    search_grams.ensure(raw, 0)
    rows = [
        (p, "EntryPosted", 0, "", None, SEPARATOR.join({t.casefold() for t in texts if t}))
        for p, texts in enumerate(events, start=1)
    ]
    raw.executemany(f"INSERT INTO {SCHEMA}.rm_search VALUES (?, ?, ?, ?, ?, ?)", rows)
    search_grams.add(raw, [(row[0], row[5]) for row in rows])
    return [row[5] for row in rows]


def _queries(events: list[list[str]], stored: list[str]) -> st.SearchStrategy[str]:
    """Parts of texts, texts across two stored side by side, and any text."""
    texts = [t for texts in events for t in texts if t]
    pairs = [pair for joined in stored for pair in itertools.pairwise(joined.split(SEPARATOR))]
    spanning = [a[-2:] + b[:2] for a, b in pairs]
    parts = st.sampled_from(texts or ["x"]).flatmap(
        lambda t: st.integers(0, len(t)).flatmap(lambda i: st.just(t[i : i + 1 + i % 5]))
    )
    return st.one_of(parts, st.sampled_from(spanning or ["x"]), st.text(ALPHABET, max_size=5))


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data(), events=st.lists(fields, min_size=1, max_size=12))
def test_trigrams_propose_every_match_and_the_answer_is_the_plain_one(
    conn: Connection, data: st.DataObject, events: list[list[str]]
) -> None:
    raw = dbapi(conn)
    wanted = data.draw(_queries(events, _store(raw, events))).casefold()
    plain = [p for p, texts in enumerate(events, start=1)
             if wanted and any(wanted in t.casefold() for t in texts)]  # fmt: skip
    expression = search_grams.match_expression(wanted)
    if expression is not None:
        proposed = {p for (p,) in raw.execute(search_grams.CANDIDATES, (expression,))}
        assert set(plain) <= proposed
    else:
        assert len(wanted) < 3
    for grams in (True, False):
        sql, params = query(HistoryFilter(search=wanted or None), 1, None, "position", False,
                            grams=grams)  # fmt: skip
        got = [p for (p,) in raw.execute(sql, params)]
        assert got == (plain if wanted else list(range(1, len(events) + 1))), (grams, sql)


def test_a_text_across_two_fields_is_not_found(conn: Connection) -> None:
    raw = dbapi(conn)
    _store(raw, [["Sushi Bar", "Downtown"], ["bar down", "x"]])
    for wanted, found in (("bardown", []), ("bar down", [2]), ("sushi bar", [1])):
        sql, params = query(HistoryFilter(search=wanted), 1, None, "position", False, grams=True)
        assert [p for (p,) in raw.execute(sql, params)] == found, wanted


@pytest.fixture
def book_path(tmp_path: Path) -> Path:
    book = tmp_path / "b.tallybook"
    args = ["generate", str(book), "--accounts", "10", "--commands", "120", "--seed", "3"]
    assert main(args) == 0
    return book


def _grams_upto(book: Book) -> int | None:
    with book.read_models.store.transaction(allow_readonly=True):
        return search_grams.grams_upto(dbapi(book.read_models.store.connection))


def test_the_answers_come_from_the_trigrams_when_they_can(book_path: Path) -> None:
    with Book.open(book_path) as book:
        search = HistorySearch(book.read_models.store)
        search.catch_up()
        head = book.store.head()[0]
        assert _grams_upto(book) == head
        events = list(book.store.read_all())
        needle = str(events[head // 2].metadata["command_id"])[3:11].casefold()
        rare = HistoryFilter(search=needle)
        wanted = [e.position for e in events if needle in str(e.metadata["command_id"]).casefold()]
        assert head // 2 + 1 in wanted and search.positions(rare) == wanted
        with book.read_models.store.transaction(allow_readonly=True):  # the trigrams forget
            dbapi(book.read_models.store.connection).execute(
                f"INSERT INTO {SCHEMA}.rm_search_grams(rm_search_grams) VALUES ('delete-all')"
            )
        assert search.positions(rare) == [] and search.count(rare) == 0  # so they were asked
        assert search.positions(HistoryFilter(search=needle[:2])) != []  # 2 letters: a scan


def test_events_after_the_build_and_a_restart_are_found(book_path: Path) -> None:
    with Book.open(book_path) as book:
        search = HistorySearch(book.read_models.store)
        search.catch_up()
        account = book.read_models.accounts()[0].account_id
        book.service.execute(RenameAccount(account_id=account, new_name="Quetzal Holdings"))
        head = book.store.head()[0]
        assert search.behind() == 1
        assert search.catch_up() == 1 and _grams_upto(book) == head
        assert search.positions(HistoryFilter(search="quetzal")) == [head]
    with Book.open(book_path) as book:  # the trigrams were kept with the cache
        search = HistorySearch(book.read_models.store)
        assert search.behind() == 0 and _grams_upto(book) == head
        assert search.positions(HistoryFilter(search="etzal hold")) == [head]


def test_a_cache_made_before_the_trigrams_gets_them_from_its_texts(book_path: Path) -> None:
    with Book.open(book_path) as book:
        search = HistorySearch(book.read_models.store)
        search.catch_up()
        head = book.store.head()[0]
        payee = HistoryFilter(search="rewe")
        before = search.positions(payee)
        with book.read_models.store.transaction(allow_readonly=True):
            raw = dbapi(book.read_models.store.connection)
            raw.execute(f"DROP TABLE {SCHEMA}.rm_search_grams")
            raw.execute(f"DELETE FROM {SCHEMA}.rm_search_state WHERE id = {search_grams.STATE_ID}")
        assert search.behind() == head and search.positions(payee) == before  # scanned
        seen: list[tuple[int, int]] = []
        from domain.projections import search_index

        old, search_index.BATCH = search_index.BATCH, 50
        try:
            assert search.catch_up(lambda d, t: not seen.append((d, t))) == head  # type: ignore[func-returns-value]
        finally:
            search_index.BATCH = old
        assert [d for d, _ in seen][:2] == [50, 100] and seen[-1] == (head, head)
        assert _grams_upto(book) == head and search.positions(payee) == before != []


def test_too_many_candidates_and_the_search_scans_instead(
    book_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Book.open(book_path) as book:
        search = HistorySearch(book.read_models.store)
        search.catch_up()
        alone = HistoryFilter(search="rewe")
        posted = HistoryFilter(search="rewe", types=frozenset(["EntryPosted"]))
        wanted = search.positions(alone), search.positions(posted)
        assert wanted[0] != [] and wanted[1] != []
        with book.read_models.store.transaction(allow_readonly=True):  # the trigrams forget
            dbapi(book.read_models.store.connection).execute(
                f"INSERT INTO {SCHEMA}.rm_search_grams(rm_search_grams) VALUES ('delete-all')"
            )
        assert search.positions(alone) == [] == search.positions(posted)  # they were asked
        monkeypatch.setattr(search_grams, "FEW", -1)  # with other filters: "too many"
        assert search.positions(alone) == [] and search.positions(posted) == wanted[1]
        monkeypatch.setattr(search_grams, "PROBE", -1)
        assert (search.positions(alone), search.positions(posted)) == wanted
