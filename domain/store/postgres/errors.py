"""psycopg's errors as the store's: busy, refused, the server out of reach."""

from __future__ import annotations

import psycopg
from psycopg import errors as pg_errors
from sqlalchemy import exc as sa_exc

from domain.model.errors import ConcurrencyError, StoreError
from domain.store.error_translation import TranslatedErrors


def _pg_error(exc: BaseException) -> psycopg.Error | None:
    if isinstance(exc, sa_exc.DBAPIError) and isinstance(exc.orig, psycopg.Error):
        return exc.orig
    return exc if isinstance(exc, psycopg.Error) else None


def _first_line(err: psycopg.Error) -> str:
    return str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__


# what a command failing so may have done (opening a book drops it: there was no command)
UNCONFIRMED = "; the command was not confirmed: sending it again with the same command id is safe"


def translate(where: str, exc: BaseException) -> StoreError | None:
    """The store's error for a psycopg error about the book ``where``, or None to let it
    through."""
    err = _pg_error(exc)
    if err is None:
        return None
    if isinstance(err, pg_errors.LockNotAvailable | pg_errors.QueryCanceled):
        return ConcurrencyError(
            f"{where} stayed busy with another writer for too long; nothing was written, try again"
        )
    if isinstance(err, pg_errors.UniqueViolation | pg_errors.SerializationFailure):
        # the write lock makes this rare (a writer that bypassed it): the other one won
        return ConcurrencyError(f"another change came first on {where}; nothing was written")
    if isinstance(err, pg_errors.InsufficientPrivilege):
        return StoreError(f"{where}: the server refused: {_first_line(err)}")
    if isinstance(err, psycopg.OperationalError):
        reason = _first_line(err)
        return StoreError(f"{where}: the server cannot be reached ({reason}){UNCONFIRMED}")
    if isinstance(err, pg_errors.RestrictViolation | pg_errors.CheckViolation):
        return StoreError(f"{where}: the server refused: {_first_line(err)}")
    return None


class translated_errors(TranslatedErrors):
    """Raise :func:`translate`'s errors for the book ``where``."""

    __slots__ = ("_where",)

    def __init__(self, where: str) -> None:
        self._where = where

    def translate(self, exc: BaseException) -> StoreError | None:
        return translate(self._where, exc)
