"""Live updates of a shared book: writers ``NOTIFY`` a channel per book as they commit, and
a client ``LISTEN``s on a connection of its own (:class:`ChangeListener`).

A notification is sent inside the appending transaction, so PostgreSQL delivers it only
once that transaction has committed, and never for one rolled back.
"""

from __future__ import annotations

import contextlib
from typing import Any

import psycopg
from psycopg import sql

from domain.model.errors import StoreError
from domain.store.postgres.url import parse

# a channel name is an identifier: at most 63 bytes (a cut one may be shared by two long
# book names, which only wakes their listeners for nothing)
_MAX_CHANNEL = 63


def channel(schema: str) -> str:
    """The channel a book's writers notify (one per book schema)."""
    return f"tallybook_{schema}"[:_MAX_CHANNEL]


class ChangeListener:
    """A connection that listens to one book's channel; :meth:`wait` says whether anything
    was committed since the last call. Raises StoreError when the server is out of reach."""

    def __init__(self, address: str, *, connect_timeout: int = 5) -> None:
        url = parse(address)
        self.where = url.describe()
        try:
            self._conn: psycopg.Connection[Any] = psycopg.connect(
                url.conninfo,
                autocommit=True,
                connect_timeout=connect_timeout,
                application_name="tallybook-listen",
                # a dropped network, not only a closed server, must end the wait
                keepalives=1, keepalives_idle=5, keepalives_interval=2, keepalives_count=2,
            )  # fmt: skip
            self._conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(channel(url.schema))))
        except psycopg.Error as exc:
            raise self._lost(exc) from exc

    def wait(self, timeout: float) -> bool:
        """Block up to ``timeout`` seconds; True if a commit was notified (all that are
        pending are taken at once)."""
        try:
            found = False
            for _note in self._conn.notifies(timeout=timeout, stop_after=1):
                found = True
            if found:  # take the rest without waiting: one catch-up serves them all
                for _note in self._conn.notifies(timeout=0):
                    pass
            elif self._conn.broken or self._conn.closed:
                raise psycopg.OperationalError("the connection was closed")
            return found
        except psycopg.Error as exc:
            raise self._lost(exc) from exc

    def check(self) -> None:
        """One round trip: raises StoreError if the server no longer answers."""
        try:
            self._conn.execute("SELECT 1")
        except psycopg.Error as exc:
            raise self._lost(exc) from exc

    def _lost(self, exc: psycopg.Error) -> StoreError:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return StoreError(f"the server of {self.where} cannot be reached ({first})")

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._conn.close()
