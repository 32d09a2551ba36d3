"""The hash chain's walk in C against the walk in Python: the same report for any content,
and never "chained" where the Python walk would not say so, even for a row a forger rehashed
after storing a value the store never writes (a blob for text, text that is not UTF-8)."""

from __future__ import annotations

from collections.abc import Callable
from hashlib import sha256
from pathlib import Path
from typing import Any

import chain_walks
import pytest
from book_damage import tamper
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.store.base import Metadata, NewEvent, VerifyReport
from domain.store.sqlite import SqliteEventStore, native_walk

pytestmark = pytest.mark.usefixtures("native_built")

TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


@pytest.fixture
def native_built() -> None:
    chain_walks.native_or_skip()


def _write(path: Path, memos: list[str]) -> None:
    with SqliteEventStore.create(path) as store, store.transaction():
        for i, memo in enumerate(memos):
            store.append(
                [NewEvent(f"entry-{i}", "EntryPosted", 1, {"memo": memo}, ("account-1",))],
                {f"entry-{i}": 0, "account-1": i},
                Metadata(f"c{i}", author=memo[:10]),
            )  # fmt: skip


def _verify(path: Path, walk: str, **kwargs: Any) -> VerifyReport:
    with pytest.MonkeyPatch.context() as patch:
        chain_walks.choose(walk, patch, children=3)
        with SqliteEventStore.open(path, readonly=True) as store:
            return store.verify(**kwargs)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(memos=st.lists(TEXT, min_size=1, max_size=30))
def test_any_content_walks_to_the_same_head(
    tmp_path_factory: pytest.TempPathFactory, memos: list[str]
) -> None:
    path = tmp_path_factory.mktemp("book") / "b.tallybook"
    _write(path, memos)
    native = _verify(path, "native")
    assert native == _verify(path, "in-process")
    assert native.ok and native.events == len(memos)


def _rehash_from(db: Any, position: int) -> None:
    """Recompute every hash from ``position`` on over the stored bytes, as a forger would
    (bytes, so that text SQLite holds but Python cannot decode is hashed too)."""
    db.text_factory = bytes
    (previous,) = db.execute(
        "SELECT hash FROM events WHERE position = ?", (position - 1,)
    ).fetchone()
    rows = db.execute(
        "SELECT position, stream_id, stream_version, type, schema_version, data, metadata, "
        "recorded_at, also_in FROM events WHERE position >= ? ORDER BY position",
        (position,),
    ).fetchall()
    for pos, stream, version, type_, schema, data, meta, recorded, also in rows:
        fields = [
            str(pos).encode(),
            stream,
            str(version).encode(),
            type_,
            str(schema).encode(),
            data,
            meta,
            str(recorded).encode(),
            also or b"",
        ]
        fields = [f if isinstance(f, bytes) else str(f).encode() for f in fields]
        previous = sha256(previous + b"\x00".join(fields)).digest()
        db.execute("UPDATE events SET hash = ? WHERE position = ?", (previous, pos))


def _blob_data(db: Any, position: int) -> None:
    db.execute("UPDATE events SET data = CAST(data AS BLOB) WHERE position = ?", (position,))


def _text_version(db: Any, position: int) -> None:
    # Python's walk hashes str(version) and chains this: the C walk stops, Python goes on
    db.execute(
        "UPDATE events SET stream_version = CAST(stream_version AS TEXT) WHERE position = ?",
        (position,),
    )


def _surrogate_in_text(db: Any, position: int) -> None:
    db.execute(
        "UPDATE events SET metadata = CAST(x'7b22eda080227d' AS TEXT) WHERE position = ?",
        (position,),
    )


def _overlong_in_text(db: Any, position: int) -> None:
    db.execute(
        "UPDATE events SET data = CAST(x'7b2261223a22c0af227d' AS TEXT) WHERE position = ?",
        (position,),
    )


def _integer_also_in(db: Any, position: int) -> None:
    db.execute("UPDATE events SET also_in = 0 WHERE position = ?", (position,))


FORGERIES: dict[str, Callable[[Any, int], None]] = {
    "blob for text": _blob_data,
    "text for an integer": _text_version,
    "an encoded surrogate": _surrogate_in_text,
    "an overlong form": _overlong_in_text,
    "an integer for text": _integer_also_in,
}


@pytest.mark.parametrize("forgery", list(FORGERIES))
@pytest.mark.parametrize("position", [1, 17, 40])
def test_a_rehashed_forgery_is_judged_as_the_python_walk_judges_it(
    tmp_path: Path, forgery: str, position: int
) -> None:
    path = tmp_path / "b.tallybook"
    _write(path, [f"memo {i} ü" for i in range(40)])
    with tamper(path) as db:
        FORGERIES[forgery](db, position)
        if position > 1:
            _rehash_from(db, position)
    native = _verify(path, "native")
    assert native == _verify(path, "in-process")
    assert native.events >= position - 1


def test_the_library_calls_the_sqlite_python_calls() -> None:
    lib = native_walk._library()
    assert lib is not None and native_walk.same_sqlite(lib)
