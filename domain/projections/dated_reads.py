"""The read models' answers with a booking-date cut: the timeline's second axis."""

from __future__ import annotations

import datetime as dt

from domain.model.errors import UnknownAccount
from domain.projections import register_page
from domain.projections.dated import account_states_on, register_state_on
from domain.projections.read_models import ReadModels
from domain.projections.rows import AccountRow, HistoryRow, RegisterRow, account_order


class DatedReads:
    """:class:`ReadModels` as of the end of booking date :attr:`day` (``None``: no cut, the
    read models' own answers), always as recorded up to ``as_of``.

    The day is state so that the Qt models, which ask by position, need not know of it: the
    session sets it before telling them the timeline moved.
    """

    def __init__(self, reads: ReadModels) -> None:
        self._reads = reads
        self.day: dt.date | None = None

    def accounts(self, as_of: int | None = None) -> list[AccountRow]:
        if self.day is None:
            return self._reads.accounts(as_of)
        with self._reads.querying(as_of) as (conn, p):
            states = account_states_on(conn, p, self.day)
        return sorted((s.account_row() for s in states), key=account_order)

    def account_balance(self, account_id: str, as_of: int | None = None) -> int:
        if self.day is None:
            return self._reads.account_balance(account_id, as_of)
        with self._reads.querying(as_of) as (conn, p):
            states = account_states_on(conn, p, self.day, account_id)
        if not states:
            raise UnknownAccount(f"no account {account_id!r} on {self.day} at position {p}")
        return states[0].balance

    def register(
        self, account_id: str, as_of: int | None = None, offset: int = 0, limit: int = 100
    ) -> list[RegisterRow]:
        if self.day is None:
            return self._reads.register(account_id, as_of, offset, limit)
        with self._reads.querying(as_of) as (conn, p):
            state = register_state_on(conn, account_id, p, self.day)
            if state is None or limit <= 0:
                return []
            rows = register_page.register_page(conn, state, p, max(0, offset), limit)
            return register_page.standing_on(conn, rows, self.day)

    def register_count(self, account_id: str, as_of: int | None = None) -> int:
        if self.day is None:
            return self._reads.register_count(account_id, as_of)
        with self._reads.querying(as_of) as (conn, p):
            state = register_state_on(conn, account_id, p, self.day)
        return 0 if state is None else state.rows

    def register_hidden(self, account_id: str, as_of: int | None = None) -> list[int]:
        """The places of voided entries and their voids among the dated rows (a prefix of
        the register as of ``as_of``, so the same places, cut)."""
        if self.day is None:
            return self._reads.register_hidden(account_id, as_of)
        with self._reads.querying(as_of) as (conn, p):
            state = register_state_on(conn, account_id, p, self.day)
            if state is None:
                return []
            hidden = register_page.hidden_ranks(conn, state, p, self.day)
            return [r for r in hidden if r < state.rows]

    def history(
        self, offset: int = 0, limit: int = 100, *, locale: str | None = None
    ) -> list[HistoryRow]:
        return self._reads.history(offset, limit, locale=locale)

    def event_count(self) -> int:
        return self._reads.event_count()
