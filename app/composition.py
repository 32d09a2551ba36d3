"""Book: one book file wired up — its event store, its read models and the service that writes.

This is the composition root the CLI and the app share; it knows which classes to build,
nothing else does.
"""

from __future__ import annotations

import contextlib
import getpass
from importlib import metadata
from os import PathLike
from pathlib import Path
from types import TracebackType

from domain.application.event_log import EventLog
from domain.application.service import BookService
from domain.projections import ReadModels
from domain.store.event_store import BackendEventStore as EventStoreBase
from domain.store.postgres.url import is_postgres_url
from domain.store.sqlite import SqliteEventStore


def open_store(
    path: Path,
    *,
    create_if_missing: bool = False,
    readonly: bool = False,
    check_pages: bool = False,
) -> SqliteEventStore:
    """Open the book's event store (creating an empty book first if asked and missing).

    With ``check_pages``, a book opened for writing first gets SQLite's quick check of its
    events table: the CLI's writers ask for it (a process that appends and exits); the app
    does not, it verifies the whole book in the background (the check reads every page:
    about 430 ms for a 1M-event book in the OS cache, against 5 ms for the open)."""
    if create_if_missing and not readonly and not path.exists():
        # another process may create it first: then open theirs
        with contextlib.suppress(FileExistsError):
            return SqliteEventStore.create(path)
    return SqliteEventStore.open(path, readonly=readonly, check_pages=check_pages)


def default_author() -> str:
    """The OS user name, recorded in each event's metadata ("" if the OS does not say)."""
    try:
        name = getpass.getuser()
    except (OSError, KeyError, ImportError):  # no login name, no passwd entry, no pwd module
        return ""
    # from the environment, bytes that are no UTF-8 arrive as lone surrogates, which no book
    # can store: each becomes U+FFFD rather than failing every command
    return "".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in name)


def app_version() -> str:
    """The installed Tallybook version ("" when running from an uninstalled tree)."""
    try:
        return metadata.version("tallybook")
    except metadata.PackageNotFoundError:
        return ""


class Book:
    """An open book: ``.store``, ``.read_models``, ``.service``, ``.events`` (read-only);
    close it (or use ``with``)."""

    def __init__(
        self,
        path: Path,
        store: EventStoreBase,
        read_models: ReadModels,
        service: BookService,
        *,
        readonly: bool = False,
    ) -> None:
        self.path = path
        self.store = store
        self.read_models = read_models
        self.service = service
        self.events = EventLog(store)
        self.readonly = readonly
        self._local: EventStoreBase | None = None  # a shared book's local copy of its log

    @classmethod
    def create(
        cls,
        path: str | PathLike[str],
        *,
        author: str | None = None,
        app_version: str | None = None,
    ) -> Book:
        """Create a new, empty book file (FileExistsError if anything is there)."""
        store = SqliteEventStore.create(Path(path))
        return cls._wire(Path(path), store, author, app_version, readonly=False)

    @classmethod
    def open(
        cls,
        path: str | PathLike[str],
        *,
        create_if_missing: bool = False,
        readonly: bool = False,
        author: str | None = None,
        app_version: str | None = None,
        check_pages: bool = False,
    ) -> Book:
        """Open a book file and bring its read models up to date with its events.

        Raises NotABook, DamagedBook or NewerFormat (file untouched) if it is not a usable
        book. A read-only book is caught up too: its read models live in a cache file of
        their own (see ``domain.projections.location``), never in the book. A book whose
        history is known to be broken opens, but ``store.known_break`` is set and every write
        raises it (BrokenHistory); ``check_pages`` as in :func:`open_store`.
        """
        if isinstance(path, str) and is_postgres_url(path):
            return cls._open_shared(path, create_if_missing, readonly, author, app_version)
        book_path = Path(path)
        store = open_store(
            book_path,
            create_if_missing=create_if_missing,
            readonly=readonly,
            check_pages=check_pages,
        )
        return cls._wire(book_path, store, author, app_version, readonly=readonly)

    @classmethod
    def _open_shared(
        cls,
        address: str,
        create_if_missing: bool,
        readonly: bool,
        author: str | None,
        version: str | None,
    ) -> Book:
        """A book on a PostgreSQL server: commands go to the server, the read models are on
        a local copy of its log (``app.shared_books``); :meth:`catch_up` refreshes them."""
        from app import shared_books

        shared = shared_books.open_shared(
            address, create_if_missing=create_if_missing, readonly=readonly
        )
        try:
            local = shared_books.open_local_copy(shared)
        except BaseException:
            shared.close()
            raise
        try:
            read_models = ReadModels(local)
            read_models.catch_up()
            service = BookService(
                shared,
                # who wrote it: the database role, and the OS user behind it
                author=f"{shared.user} ({default_author()})" if author is None else author,
                app_version=app_version() if version is None else version,
            )
        except BaseException:
            local.close()
            shared.close()
            raise
        book = cls(local.path, shared, read_models, service, readonly=readonly)
        book._local = local
        # the same events, read without the network (and while the server is out of reach)
        book.events = EventLog(local)
        return book

    @property
    def log(self) -> EventStoreBase:
        """Where the book's events are read without the network: the file, or a shared
        book's local copy (the read models' store)."""
        return self._local if self._local is not None else self.store

    def catch_up(self) -> None:
        """Bring the read models up to the book's head (a shared book's copy first)."""
        if self._local is not None:
            self._local.copy_from(self.store)
        self.read_models.catch_up()

    @classmethod
    def _wire(
        cls,
        path: Path,
        store: SqliteEventStore,
        author: str | None,
        version: str | None,
        *,
        readonly: bool,
    ) -> Book:
        try:
            read_models = ReadModels(store)
            read_models.catch_up()
            service = BookService(
                store,
                author=default_author() if author is None else author,
                app_version=app_version() if version is None else version,
                projectors=(read_models,),
            )
        except BaseException:
            store.close()
            raise
        return cls(path, store, read_models, service, readonly=readonly)

    def close(self) -> None:
        """Close the file; the book is unusable afterwards."""
        try:
            self.store.close()
        finally:
            if self._local is not None:
                self._local.close()

    def __enter__(self) -> Book:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
