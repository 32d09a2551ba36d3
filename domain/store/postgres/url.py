"""``postgresql://`` book addresses: which server, which database, which book in it.

One database holds several books, one PostgreSQL schema each: ``?book=NAME`` names it (letters,
digits and _; ``tallybook`` when absent). Every other part of the URL is libpq's own (host,
port, user, ``?host=/socket/dir``, ``?service=``, ``sslmode=`` ...); the password comes from
``~/.pgpass`` or a service file, never from the book's address.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from domain.model.errors import BookError

SCHEMES = ("postgresql://", "postgres://", "postgresql+psycopg://")
DEFAULT_BOOK = "tallybook"
_BOOK_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def is_postgres_url(text: str) -> bool:
    """Whether ``text`` names a book on a PostgreSQL server rather than a file."""
    return text.lower().startswith(SCHEMES)


@dataclass(frozen=True)
class BookUrl:
    """A parsed book address: the libpq URL of the database and the book's schema."""

    conninfo: str
    schema: str

    @property
    def sqlalchemy_url(self) -> str:
        return "postgresql+psycopg://" + self.conninfo.split("://", 1)[1]

    def parameters(self) -> set[str]:
        """The libpq parameters the address sets in its query (``connect_timeout``, ...)."""
        return {k for k, _v in parse_qsl(urlsplit(self.conninfo).query)}

    def describe(self) -> str:
        """The address without any password, for messages."""
        parts = urlsplit(self.conninfo)
        host = parts.hostname or ""
        netloc = (f"{parts.username}@" if parts.username else "") + host
        if parts.port:
            netloc += f":{parts.port}"
        query = [(k, v) for k, v in parse_qsl(parts.query) if k != "password"]
        if self.schema != DEFAULT_BOOK:
            query.append(("book", self.schema))
        return urlunsplit(("postgresql", netloc, parts.path, urlencode(query, safe="/"), ""))


def parse(text: str) -> BookUrl:
    """Split a book address into the database URL and the book's schema (BookError if the
    book name is not a plain lower-case identifier)."""
    if not is_postgres_url(text):
        raise ValueError(f"{text!r} is not a postgresql:// URL")
    parts = urlsplit(text)
    query = parse_qsl(parts.query, keep_blank_values=True)
    books = [v for k, v in query if k == "book"]
    schema = books[-1] if books else DEFAULT_BOOK
    if not _BOOK_NAME.fullmatch(schema):
        raise BookError(
            f"book={schema!r}: a book name on a server is lower-case letters, digits and _ "
            "(at most 63, not starting with a digit)"
        )
    rest = urlencode([(k, v) for k, v in query if k != "book"])
    conninfo = urlunsplit(("postgresql", parts.netloc, parts.path, rest, ""))
    return BookUrl(conninfo, schema)
