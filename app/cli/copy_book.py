"""``tallybook-cli copy``: a book copied event by event between any two backends."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.cli.book_files import BookUnusable
from app.cli.output import emit
from domain.store.base import BookInfo
from domain.store.event_store import BackendEventStore
from domain.store.postgres.url import is_postgres_url
from domain.store.sqlite import SqliteEventStore


def open_event_store(where: Path | str, *, readonly: bool) -> BackendEventStore:
    """The event store alone (no read models) of a book file or a shared book."""
    if isinstance(where, str) and is_postgres_url(where):
        from domain.store.postgres.store import PostgresEventStore

        return PostgresEventStore.open(where, readonly=readonly)
    return SqliteEventStore.open(Path(where), readonly=readonly)


def create_event_store(where: Path | str, like: BookInfo) -> BackendEventStore:
    """A new, empty book with ``like``'s id (FileExistsError if a book is there)."""
    if isinstance(where, str) and is_postgres_url(where):
        from domain.store.postgres.store import PostgresEventStore

        return PostgresEventStore.create(where, like=like)
    return SqliteEventStore.create(Path(where), like=like)


def cmd_copy(args: argparse.Namespace) -> int:
    source = open_event_store(args.book, readonly=True)
    try:
        upto, digest = source.head()
        try:
            target = create_event_store(args.target, source.info())
        except FileExistsError:
            raise BookUnusable(
                f"{args.target}: something is there already; a copy goes into a new book only"
            ) from None
        except OSError as exc:
            raise BookUnusable(f"{args.target}: {exc.strerror or exc}") from exc
        try:
            target.copy_from(source, upto)
            report = target.verify()
            ok = report.ok and target.head() == (upto, digest)
        finally:
            target.close()
    finally:
        source.close()
    emit(
        sys.stdout,
        {
            "ok": ok,
            "copied": upto,
            "head": {"position": upto, "hash": digest.hex()},
            "verified": report.ok,
        },
    )
    return 0 if ok else 1
