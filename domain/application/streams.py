"""Which streams hold which events, and the aggregate each kind of stream folds into.

An event is stored once, in its primary stream, and linked into the streams of the other
aggregates it changes (an account event into the chart, an entry event into its accounts).
The service appends by :func:`streams_of` and loads by :func:`kind_of`; the aggregate tests'
helpers fold by the same two.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from domain.model import accounts, chart, entries, imports, reconciliation, undo
from domain.model.accounts import Account
from domain.model.chart import Chart
from domain.model.entries import Entry
from domain.model.events import (
    AccountClosed,
    AccountMoved,
    AccountOpened,
    AccountReconciled,
    AccountRenamed,
    AccountReopened,
    CommandRedone,
    CommandUndone,
    EntryPosted,
    EntryVoided,
    Event,
    ImportRestored,
    ImportUndone,
    ReconciliationReopened,
    StatementImported,
)
from domain.model.imports import Import, ImportedRows
from domain.model.reconciliation import Reconciliation
from domain.model.undo import UndoMark

Aggregate = Account | Chart | Entry | Import | ImportedRows | Reconciliation | UndoMark
Streams = tuple[str, tuple[str, ...]]
"""(primary stream, linked streams) of an event."""

_Route = TypeVar("_Route", bound=Callable[..., Streams])
_ROUTES: dict[type[Event], Callable[[Any], Streams]] = {}


def routes(*event_types: type[Event]) -> Callable[[_Route], _Route]:
    """Declare the function giving the streams of events of these types (one per type)."""

    def register(route: _Route) -> _Route:
        for event_type in event_types:
            if event_type in _ROUTES:
                raise ValueError(f"{event_type.__name__} already has its streams")
            _ROUTES[event_type] = route
        return route

    return register


def streams_of(event: Event) -> Streams:
    """(primary stream, linked streams) of a domain event."""
    route = _ROUTES.get(type(event))
    if route is None:
        raise TypeError(f"no stream for {type(event).__name__}")
    return route(event)


@routes(AccountOpened, AccountRenamed, AccountMoved, AccountClosed)
def _account_streams(
    event: AccountOpened | AccountRenamed | AccountMoved | AccountClosed,
) -> Streams:
    # every account event is linked into the chart: it guards the unique-name and the
    # parent rules
    return accounts.stream_id(event.account_id), (chart.STREAM_ID,)


@routes(AccountReopened)
def _reopened_streams(event: AccountReopened) -> Streams:
    return accounts.stream_id(event.account_id), ()  # names do not change: not the chart's


@routes(CommandUndone)
def _undone_streams(event: CommandUndone) -> Streams:
    # the undone change's marks: its version guards against undoing it twice
    return undo.stream_id(event.undone_command_id), ()


@routes(CommandRedone)
def _redone_streams(event: CommandRedone) -> Streams:
    return undo.stream_id(event.redone_command_id), ()


@routes(EntryPosted, EntryVoided)
def _entry_streams(event: EntryPosted | EntryVoided) -> Streams:
    linked = dict.fromkeys(accounts.stream_id(p.account_id) for p in event.postings)
    return entries.stream_id(event.entry_id), tuple(linked)


@routes(StatementImported, ImportUndone, ImportRestored)
def _import_streams(event: StatementImported | ImportUndone | ImportRestored) -> Streams:
    # linked into the account's imported rows: its version guards the duplicate rule
    return imports.import_stream_id(event.import_id), (imports.rows_stream_id(event.account_id),)


@routes(AccountReconciled, ReconciliationReopened)
def _reconciliation_streams(event: AccountReconciled | ReconciliationReopened) -> Streams:
    return reconciliation.stream_id(event.account_id), ()


@dataclass(frozen=True, slots=True)
class StreamKind:
    """How to make, snapshot and restore the aggregate of one kind of stream."""

    blank: Callable[[str], Aggregate]  # the aggregate of a stream with no events, by stream id
    restore: Callable[[dict[str, object]], Aggregate]
    snapshot_version: str
    long_lived: bool  # snapshotted and cached; an entry stream holds at most two events
    size: Callable[[Any], int] | None = None
    """How much the aggregate holds, for a stream whose events can be big (an import of
    100,000 rows is one version of its account's imported rows): it is also snapshotted once
    it has grown by SNAPSHOT_SIZE since its last snapshot."""


ACCOUNT = StreamKind(
    lambda sid: Account(sid.removeprefix("account-")),
    Account.from_snapshot,
    accounts.SNAPSHOT_VERSION,
    long_lived=True,
)
CHART = StreamKind(lambda _: Chart(), Chart.from_snapshot, chart.SNAPSHOT_VERSION, long_lived=True)
# an entry stream never holds more than two events: loading it is as cheap as a cache check,
# and caching every entry of a large import would only grow memory
ENTRY = StreamKind(
    lambda sid: Entry(sid.removeprefix("entry-")),
    Entry.from_snapshot,
    entries.SNAPSHOT_VERSION,
    long_lived=False,
)


IMPORT = StreamKind(
    lambda sid: Import(sid.removeprefix(imports.IMPORT_PREFIX)),
    Import.from_snapshot,
    imports.IMPORT_SNAPSHOT_VERSION,
    long_lived=False,  # two events at most, like an entry
)
IMPORTED_ROWS = StreamKind(
    lambda sid: ImportedRows(sid.removeprefix(imports.ROWS_PREFIX)),
    ImportedRows.from_snapshot,
    imports.KEYS_SNAPSHOT_VERSION,
    long_lived=True,
    size=lambda rows: len(rows.keys),
)
SNAPSHOT_SIZE = 10_000
"""Items (imported rows) a sized stream may grow by before it is snapshotted again."""


RECONCILED = StreamKind(
    lambda sid: Reconciliation(sid.removeprefix(reconciliation.PREFIX)),
    Reconciliation.from_snapshot,
    reconciliation.SNAPSHOT_VERSION,
    long_lived=True,
)


UNDO_MARKS = StreamKind(
    lambda sid: UndoMark(sid.removeprefix(undo.PREFIX)),
    UndoMark.from_snapshot,
    "undo-1",
    long_lived=False,  # a handful of marks at most
)


def kind_of(stream_id: str) -> StreamKind:
    """The kind of a stream, by its id."""
    if stream_id == chart.STREAM_ID:
        return CHART
    if stream_id.startswith(undo.PREFIX):
        return UNDO_MARKS
    if stream_id.startswith(reconciliation.PREFIX):
        return RECONCILED
    if stream_id.startswith(imports.IMPORT_PREFIX):
        return IMPORT
    if stream_id.startswith(imports.ROWS_PREFIX):
        return IMPORTED_ROWS
    return ACCOUNT if stream_id.startswith("account-") else ENTRY
