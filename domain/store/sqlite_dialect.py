"""The SQLite helpers the read models use on the book's connection (attaching their cache),
under the name they have always had; they live in ``domain.store.sqlite``."""

from domain.store.sqlite.connection import attach, attach_memory, dbapi
from domain.store.sqlite.errors import cannot_write

__all__ = ["attach", "attach_memory", "cannot_write", "dbapi"]
