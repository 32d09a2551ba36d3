"""The README's roles: a writer records commands but cannot change the log; an auditor reads
and verifies but cannot write."""

from __future__ import annotations

import io
import json
import sys
from typing import Any
from urllib.parse import urlsplit

import pg_server as pg_server_module
import pytest

from domain.model.errors import BookError, StoreError
from domain.store.base import Metadata, NewEvent

psycopg = pytest.importorskip("psycopg")

from domain.store.postgres.store import PostgresEventStore  # noqa: E402
from domain.store.postgres.url import parse  # noqa: E402

_ROLES = """
CREATE ROLE {p}_writer LOGIN;
CREATE ROLE {p}_auditor LOGIN;
GRANT USAGE ON SCHEMA club TO {p}_writer, {p}_auditor;
GRANT SELECT ON ALL TABLES IN SCHEMA club TO {p}_writer, {p}_auditor;
GRANT INSERT ON club.events, club.stream_links, club.commands TO {p}_writer;
GRANT INSERT, UPDATE ON club.snapshots TO {p}_writer;
"""


def _as(url: str, role: str) -> str:
    return url.replace("postgresql://postgres@", f"postgresql://{role}@") + "&book=club"


def _append(store: PostgresEventStore, command: str) -> None:
    version = store.stream_version("s")
    store.append([NewEvent("s", "Happened", 1, {})], {"s": version}, Metadata(command))


def test_writer_and_auditor_roles(pg_server: pg_server_module.PgServer, pg_url: str) -> None:
    prefix = urlsplit(pg_url).path.strip("/")  # roles are per server: names per test
    with PostgresEventStore.create(f"{pg_url}&book=club") as owner:
        _append(owner, "c1")
    with psycopg.connect(parse(pg_url).conninfo, autocommit=True) as conn:
        conn.execute(_ROLES.format(p=prefix))
    with PostgresEventStore.open(_as(pg_url, f"{prefix}_writer")) as writer:
        _append(writer, "c2")
        assert writer.head()[0] == 2 and writer.verify().ok
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            writer._pg.raw.execute("DELETE FROM events")
    with pytest.raises(BookError, match="may read this book but not write"):
        PostgresEventStore.open(_as(pg_url, f"{prefix}_auditor"))
    with PostgresEventStore.open(_as(pg_url, f"{prefix}_auditor"), readonly=True) as auditor:
        assert auditor.verify().ok and auditor.verify().events == 2
        with pytest.raises(StoreError, match="read-only"):
            _append(auditor, "c3")
        # and the grants refuse it even past the store's own check
        auditor._pg.raw.execute("SET default_transaction_read_only = off")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            auditor._pg.raw.execute("INSERT INTO commands VALUES ('x', 1, 1, NULL)")
        assert auditor.head()[0] == 2


def test_a_writer_role_applies_commands_through_the_cli(pg_url: str, capsys: Any) -> None:
    from app.cli.main import main

    prefix = urlsplit(pg_url).path.strip("/")
    PostgresEventStore.create(f"{pg_url}&book=club").close()
    with psycopg.connect(parse(pg_url).conninfo, autocommit=True) as conn:
        conn.execute(_ROLES.format(p=prefix))
    line = (
        '{"command": "open_account", "name": "Bank", "account_type": "asset", '
        '"currency": "EUR", "opening_date": "2024-01-01"}\n'
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(line.encode())))
        assert main(["apply", _as(pg_url, f"{prefix}_writer")]) == 0, capsys.readouterr().err
    assert json.loads(capsys.readouterr().out.splitlines()[0])["ok"]


def test_an_auditor_role_is_refused_writing_actions_in_one_line(pg_url: str, capsys: Any) -> None:
    from app.cli.main import main

    prefix = urlsplit(pg_url).path.strip("/")
    PostgresEventStore.create(f"{pg_url}&book=club").close()
    with psycopg.connect(parse(pg_url).conninfo, autocommit=True) as conn:
        conn.execute(_ROLES.format(p=prefix))
    auditor = _as(pg_url, f"{prefix}_auditor")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b'{"command": "x"}\n')))
        assert main(["apply", auditor]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1
    assert f"the role {prefix}_auditor may read this book but not write to it" in err
    assert main(["verify", auditor]) == 0  # reading actions work
    assert json.loads(capsys.readouterr().out)["ok"]
