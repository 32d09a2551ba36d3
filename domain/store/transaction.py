"""Transactions of a store over a backend, and what the store may trust inside them."""

from __future__ import annotations

from contextlib import AbstractContextManager
from types import TracebackType

from domain.model.errors import BrokenHistory, DamagedBook, StoreError
from domain.store import verification
from domain.store.backend import HeadRow, StoreBackend


class StoreTransaction:
    """The write lock outermost, a savepoint when nested. A plain class, as every command
    enters one or two and a generator-based one cost several microseconds each."""

    __slots__ = ("_name", "_outer_writes", "_root", "_saved_head", "_store")

    def __init__(self, store: TransactionalStore) -> None:
        self._store = store
        self._root = False
        self._name = ""
        self._saved_head: HeadRow | None = None
        self._outer_writes: int | None = None

    def __enter__(self) -> None:
        store = self._store
        if store._depth:
            self._outer_writes = store._savepoint_writes
            self._name, self._saved_head = store._savepoint()
            store._savepoint_writes = store._backend.writes()
        else:
            store._begin()
            store._savepoint_writes = None
            self._root = True

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        failed = exc_type is not None
        store = self._store
        if not self._root:
            store._savepoint_writes = self._outer_writes
            store._end_savepoint(self._name, self._saved_head, failed)
            return
        store._end(failed)
        if exc is not None:  # rolled back; a driver error from inside (say, the read models
            translated = store._backend.translate(exc)  # on a full disk) says so
            if translated is not None:
                raise translated from exc


class _Guarded:
    """The backend's error translation, and a damaged book's errors as the break in its
    history they reveal (:class:`BrokenHistory`, naming the first broken position), which
    then refuses every write. A plain class: every read and write enters it."""

    __slots__ = ("_inner", "_store")

    def __init__(self, store: TransactionalStore) -> None:
        self._store = store
        self._inner = store._backend.errors()

    def __enter__(self) -> None:
        self._inner.__enter__()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc is None:
            self._inner.__exit__(None, None, None)
            return
        try:
            self._inner.__exit__(exc_type, exc, tb)
        except DamagedBook as damaged:
            raise self._store._broken_by(str(damaged), None) from exc
        if isinstance(exc, DamagedBook):
            raise self._store._broken_by(str(exc), None) from exc
        if isinstance(exc, BrokenHistory):
            raise self._store._broken_by(exc.diagnosis, exc.position) from exc


class TransactionalStore:
    """A store's transactions on its backend: the write lock outermost, savepoints nested,
    and the head and stream versions it may trust while it holds the lock."""

    def __init__(self, backend: StoreBackend, genesis: bytes, *, readonly: bool) -> None:
        self._backend = backend
        self._readonly = readonly
        self._genesis = genesis
        self._errors = _Guarded(self)
        self._depth = 0
        # (position, hash, recorded_at µs) of the last event, valid inside a write transaction
        self._head: HeadRow | None = None
        # What this store knows of the log as of its last commit, trusted again by a write
        # transaction that finds the backend's change stamp unchanged (nobody else committed
        # since; the write lock then keeps it so): the head, and the versions of the streams
        # it has read or written. Any rollback forgets it all.
        self._known_stamp: object = None
        self._known_head: HeadRow | None = None
        self._versions: dict[str, int] = {}
        # a command id this write transaction found unused and has not written since
        self._absent_command: str | None = None
        # the backend's writes() when the innermost savepoint began (None: at the root)
        self._savepoint_writes: int | None = None
        # the first break found in the book's history (by verify, a read, the page check):
        # kept only in memory, as nothing is ever updated in an append-only book
        self._broken: BrokenHistory | None = None

    @property
    def readonly(self) -> bool:
        return self._readonly

    @property
    def in_transaction(self) -> bool:
        """True inside :meth:`transaction`."""
        return self._depth > 0

    # ------------------------------------------------------------ transactions

    @property
    def known_break(self) -> BrokenHistory | None:
        """The break in the book's history this store knows of (None: none known)."""
        return self._broken

    def refuse_writes(self, broken: BrokenHistory) -> None:
        """Take no more events: the book's history is broken (found by this store, or by a
        verification on another connection). The first break told is kept."""
        if self._broken is None:
            self._broken = broken

    def _broken_by(self, diagnosis: str, position: int | None) -> BrokenHistory:
        """The break a failed or inconsistent read revealed; writes are refused from now."""
        if self._broken is None:
            self._broken = verification.locate_break(
                self._backend, self._genesis, diagnosis, position
            )
        broken = self._broken
        return BrokenHistory(broken.position, broken.diagnosis)

    def _check_writable(self) -> None:
        if self._readonly:
            raise StoreError(f"{self._backend.describe()} was opened read-only")
        broken = self._broken
        if broken is not None:  # a fresh one each time: a raised error keeps its traceback
            raise BrokenHistory(broken.position, broken.diagnosis)

    def transaction(self, *, allow_readonly: bool = False) -> AbstractContextManager[None]:
        """A write transaction: the write lock outermost, a savepoint when nested.

        Everything inside commits or rolls back together; a nested block that raises rolls
        back only its own work. Waits (up to the backend's timeout) for other writers; gives
        up with ConcurrencyError. ``allow_readonly`` permits it on a read-only store too, to
        write derived data the backend keeps beside the book (the read-model cache).
        """
        if not allow_readonly:
            self._check_writable()
        return StoreTransaction(self)

    def _begin(self) -> None:
        backend = self._backend
        with self._errors:
            backend.end_read()
            backend.begin_write()
            try:
                self._head = self._current_head()
            except BaseException:
                self._forget()
                backend.rollback()
                raise
        self._depth = 1

    def _current_head(self) -> HeadRow:
        """The head, once the write lock is ours: another writer may have appended since our
        last transaction; if nobody else committed anything, it is as we left it."""
        stamp = self._backend.change_stamp()
        if stamp == self._known_stamp and self._known_head is not None:
            return self._known_head
        self._forget()
        self._known_stamp = stamp
        return self._read_head()

    def _forget(self) -> None:
        """Drop what this store knew of the log (after a rollback or another's commit)."""
        self._known_stamp = None
        self._known_head = None
        self._versions.clear()

    def _end(self, failed: bool) -> None:
        head = self._head
        self._depth = 0
        self._head = None
        self._absent_command = None
        backend = self._backend
        if not failed:
            try:
                with self._errors:
                    backend.commit()
            except BaseException:
                # whatever a failed commit (a full disk) left behind, a rollback ends it:
                # the next transaction can begin
                self._forget()
                backend.rollback()
                raise
            self._known_head = head
            return
        self._forget()
        backend.rollback()

    def _savepoint(self) -> tuple[str, HeadRow | None]:
        name = f"store_{self._depth}"
        with self._errors:
            self._backend.savepoint(name)
        self._depth += 1
        return name, self._head

    def _in_fresh_savepoint(self) -> bool:
        """Inside a savepoint in which nothing was written yet (see StoreBackend.writes)."""
        mark = self._savepoint_writes
        return mark is not None and mark == self._backend.writes()

    def _undo_savepoint(self) -> None:
        """Undo what was written since the innermost savepoint began; it stays open."""
        name = f"store_{self._depth - 1}"
        self._backend.rollback_to(name)
        self._backend.savepoint(name)

    def _end_savepoint(self, name: str, saved_head: HeadRow | None, failed: bool) -> None:
        self._depth -= 1
        if failed:
            self._head = saved_head
            # versions written inside are undone; those read before may be dropped too
            self._versions.clear()
            self._absent_command = None
            with self._errors:
                self._backend.rollback_to(name)
            return
        with self._errors:
            self._backend.release(name)

    def _read_head(self) -> HeadRow:
        row = self._backend.head_row()
        return row if row is not None else (0, self._genesis, 0)

    def _end_implicit(self) -> None:
        if self._depth == 0:
            with self._errors:
                self._backend.end_read()
