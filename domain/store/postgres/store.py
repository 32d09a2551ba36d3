"""The event store on a PostgreSQL server: one book per schema, several writers at once.

Open one with :meth:`PostgresEventStore.create` or :meth:`PostgresEventStore.open` and a
``postgresql://`` URL (see ``domain.store.postgres.url``).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, create_engine, insert, text
from sqlalchemy.pool import NullPool

from domain.model.errors import BookError, NewerFormat, NotABook, StoreError
from domain.store import schema
from domain.store.base import BookInfo
from domain.store.event_store import BackendEventStore
from domain.store.postgres import ddl, notify
from domain.store.postgres.backend import PostgresBackend
from domain.store.postgres.errors import UNCONFIRMED, translated_errors
from domain.store.postgres.url import BookUrl, is_postgres_url, parse

__all__ = ["PostgresEventStore", "WriteNotGranted", "is_postgres_url"]


class WriteNotGranted(BookError):
    """The role may read the book but not write to it (an auditor): open it read-only."""


DEFAULT_BUSY_TIMEOUT = 30.0
# A server that never answers must not hang a window or a script: libpq's own settings, used
# where the book's address does not give its own. Keepalives and the user timeout (TCP only)
# end a command whose network went away after ~30 s instead of the kernel's ~15 minutes.
CONNECT_TIMEOUT_S = 10
NETWORK_SETTINGS = {
    "keepalives": "1",
    "keepalives_idle": "10",
    "keepalives_interval": "5",
    "keepalives_count": "3",
    "tcp_user_timeout": "30000",
}
# an auditor's role reads and verifies only: writing actions are refused when the book opens
_MAY_WRITE = text(
    "SELECT has_table_privilege('events', 'INSERT') AND has_table_privilege('commands', 'INSERT')"
)


def _engine(url: BookUrl, busy_timeout: float, *, readonly: bool) -> Engine:
    options = f"-c search_path={url.schema} -c lock_timeout={int(busy_timeout * 1000)}"
    if readonly:
        options += " -c default_transaction_read_only=on"
    given = url.parameters()
    settings = {"connect_timeout": str(CONNECT_TIMEOUT_S), **NETWORK_SETTINGS}
    connect_args = {k: v for k, v in settings.items() if k not in given}
    return create_engine(
        url.sqlalchemy_url,
        poolclass=NullPool,
        isolation_level="AUTOCOMMIT",
        connect_args={"options": options, "application_name": "tallybook", **connect_args},
    )


class PostgresEventStore(BackendEventStore):
    """The event store of one book on a server. Use :meth:`create` or :meth:`open`."""

    def __init__(self, url: BookUrl, engine: Engine, info: BookInfo, *, readonly: bool) -> None:
        self._url = url
        self.user = ""  # the database role this store writes as
        self._pg = PostgresBackend(engine, url.describe(), notify.channel(url.schema))
        super().__init__(self._pg, info, readonly=readonly)

    @classmethod
    def create(
        cls,
        address: str,
        *,
        busy_timeout: float = DEFAULT_BUSY_TIMEOUT,
        like: BookInfo | None = None,
    ) -> PostgresEventStore:
        """Create a new, empty book (its schema) at ``address``; refuses (FileExistsError)
        if the schema holds a book already. All in one transaction: never half a book.
        ``like``: take that book's id and creation time (a copy of it)."""
        url = parse(address)
        where = url.describe()
        engine = _engine(url, busy_timeout, readonly=False)
        try:
            with translated_errors(where), engine.connect() as conn:
                conn.exec_driver_sql("BEGIN")
                # two creators of one book: the second waits here, then finds the tables
                conn.exec_driver_sql(f"CREATE SCHEMA IF NOT EXISTS {url.schema}")
                conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:s))"), {"s": url.schema})
                found = conn.execute(text("SELECT to_regclass('book')")).scalar()
                if found is not None:
                    conn.exec_driver_sql("ROLLBACK")
                    raise FileExistsError(f"{where} already holds a book; not overwriting")
                ddl.create_book_tables(conn)
                conn.execute(insert(schema.book), schema.book_rows(like))
                conn.exec_driver_sql("COMMIT")
        finally:
            engine.dispose()
        return cls.open(address, busy_timeout=busy_timeout)

    @classmethod
    def open(
        cls, address: str, readonly: bool = False, *, busy_timeout: float = DEFAULT_BUSY_TIMEOUT
    ) -> PostgresEventStore:
        """Open an existing book; NotABook if the schema holds none, NewerFormat if a newer
        Tallybook made it."""
        url = parse(address)
        where = url.describe()
        engine = _engine(url, busy_timeout, readonly=readonly)
        try:
            with translated_errors(where), engine.connect() as conn:
                if conn.execute(text("SELECT to_regclass('book')")).scalar() is None:
                    raise NotABook(f"{where} holds no Tallybook book")
                if not readonly and not conn.execute(_MAY_WRITE).scalar():
                    user = conn.execute(text("SELECT current_user")).scalar()
                    raise WriteNotGranted(
                        f"{where}: the role {user} may read this book but not write to it "
                        "(no INSERT on its events); nothing was written"
                    )
                rows = conn.execute(text("SELECT key, value FROM book")).all()
                values = {str(k): str(v) for k, v in rows}
                user = str(conn.execute(text("SELECT current_user")).scalar())
            info = _info(where, values)
            store = cls(url, engine, info, readonly=readonly)
            store.user = user
            return store
        except StoreError as exc:
            engine.dispose()
            if isinstance(exc, BookError):
                raise
            # a book that cannot be opened, as for a file
            raise BookError(str(exc).replace(UNCONFIRMED, "")) from exc
        except BaseException:
            engine.dispose()
            raise

    @property
    def address(self) -> str:
        """The book's address without any password."""
        return self._url.describe()

    def __enter__(self) -> PostgresEventStore:
        return self


def _info(where: str, values: dict[str, str]) -> BookInfo:
    try:
        version = int(values["format_version"])
        created = dt.datetime.fromisoformat(values["created_at"])
        book_id = values["book_id"]
    except (KeyError, ValueError):
        raise BookError(f"{where}: the book's metadata is incomplete or garbled") from None
    if version > schema.FORMAT_VERSION:
        raise NewerFormat(
            f"{where} was made by a newer Tallybook (format {version}); update Tallybook"
        )
    return BookInfo(version, book_id, created)
