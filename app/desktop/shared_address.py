"""The Open Shared Book form without Qt: what the fields mean, what is wrong with them, and
the ``postgresql://`` address they make; and how a shared book is named in titles and menus.

The password is never part of the address that is shown or remembered: :meth:`address` has
none; :meth:`address_to_connect` adds it for the connection only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from domain.model.errors import BookError
from domain.store.postgres.url import DEFAULT_BOOK, is_postgres_url, parse

_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")
DEFAULT_PORT = 5432


@dataclass(frozen=True, slots=True)
class SharedBookForm:
    """The fields of File ▸ Open Shared Book… (``host`` may be a socket folder, ``/run/...``)."""

    host: str = ""
    port: str = ""
    database: str = ""
    user: str = ""
    book: str = ""
    password: str = ""

    def problem(self) -> str:
        """What is wrong with the fields ("" when they make an address)."""
        if not self.database.strip():
            return "Name the database that holds the book."
        port = self.port.strip()
        if port and (not port.isdigit() or not 0 < int(port) < 65536):
            return f"The port “{port}” is not a number from 1 to 65535."
        book = self.book.strip()
        if book and not _NAME.fullmatch(book):
            return (
                f"The book name “{book}” must be lower-case letters, digits and _ "
                "(at most 63, not starting with a digit)."
            )
        if any(c in self.host for c in " @?#") or any(c in self.user for c in "/?#"):
            return "The server or user name has a character an address cannot hold."
        return ""

    def address(self) -> str:
        """The book's address, with no password (ValueError if :meth:`problem` says so)."""
        problem = self.problem()
        if problem:
            raise ValueError(problem)
        host, port = self.host.strip(), self.port.strip()
        user = quote(self.user.strip(), safe="")
        query: list[tuple[str, str]] = []
        netloc = f"{user}@" if user else ""
        if host.startswith("/"):  # a Unix socket's folder: libpq takes it as ?host=
            query.append(("host", host))
            if port:
                query.append(("port", port))
        else:
            netloc += host + (f":{port}" if port else "")
        query.append(("book", self.book.strip() or DEFAULT_BOOK))
        database = quote(self.database.strip(), safe="")
        return f"postgresql://{netloc}/{database}?{urlencode(query, safe='/')}"

    def address_to_connect(self) -> str:
        """:meth:`address` with the typed password, for the connection only: never show,
        log or store it."""
        address = self.address()
        if not self.password:
            return address  # libpq asks ~/.pgpass or the service file
        # in the user part, where libpq takes it and SQLAlchemy masks it in any URL it shows
        user = quote(self.user.strip(), safe="")
        secret = quote(self.password, safe="")
        rest = address.removeprefix(f"postgresql://{user}@" if user else "postgresql://")
        return f"postgresql://{user}:{secret}@{rest}"

    @classmethod
    def from_address(cls, address: str) -> SharedBookForm:
        """The fields of an address (to fill the form again); never its password."""
        parts = urlsplit(address)
        query = dict(parse_qsl(parts.query))
        return cls(
            host=query.get("host") or parts.hostname or "",
            port=query.get("port") or (str(parts.port) if parts.port else ""),
            database=parts.path.strip("/"),
            user=parts.username or "",
            book=query.get("book", ""),
        )


def without_password(address: str) -> str:
    """The address as it may be shown and remembered (BookError if the book name is bad)."""
    return parse(address).describe()


def server_name(address: str) -> str:
    """“db.example:5433”, or “this computer” for a local socket."""
    parts = urlsplit(parse(address).conninfo)
    host = dict(parse_qsl(parts.query)).get("host") or parts.hostname or ""
    server = "this computer" if not host or host.startswith("/") else host
    return server + (f":{parts.port}" if parts.port else "")


def shared_label(address: str) -> str:
    """“club on db.example”: the book's name and its server, for titles and menus."""
    try:
        return f"{parse(address).schema} on {server_name(address)}"
    except (BookError, ValueError):
        return "shared book"


def is_shared_address(text: str) -> bool:
    return is_postgres_url(text)
