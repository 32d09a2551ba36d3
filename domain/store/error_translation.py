"""The context manager both backends wrap their driver calls in: a driver's error about the
book is raised again as the store's (busy, damaged, refused, out of reach)."""

from __future__ import annotations

from types import TracebackType

from domain.model.errors import StoreError


class TranslatedErrors:
    """Raise :meth:`translate`'s StoreError in place of the error it recognises.

    A class, not a generator-based context manager: every command enters a few of these, and
    a plain ``__enter__``/``__exit__`` costs a fraction of contextlib's machinery.
    """

    __slots__ = ()

    def translate(self, exc: BaseException) -> StoreError | None:
        """The store's error for ``exc``, or None to let it through."""
        raise NotImplementedError

    def __enter__(self) -> None:
        return None

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc is not None:
            translated = self.translate(exc)
            if translated is not None:
                raise translated from exc
