"""The undo and redo stacks, derived from the log: what Undo and Redo would take back now.

Nothing is kept beside the events: the stacks are read backwards from the head each time, so
they survive closing the book. Each author and program (``author``, ``app_version`` of the
events' metadata) has its own: walking back, a change of ours that an undo of ours took back
is jumped over by the positions its CommandUndone names, an undo of ours is the redo stack's
top unless a change of ours came after it, and the first change of ours still in force is
the undo stack's top. Changes by others on the way are read, not jumped: any of them makes
an undo or redo of what came before it refused, with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from domain.application.change_text import change_summary
from domain.model import chart, undo
from domain.model.events import CommandRedone, CommandUndone, Event, from_data
from domain.model.undo import Change
from domain.store.base import EventStore, StoredEvent

OTHERS_LIMIT = 5_000
"""Events by others the walk reads before it gives up looking for a change of ours."""
_WINDOW = 32
_LONG = 200  # events of a change beyond which its summary is not read again
_CHAIN = 20  # undos of redos of undos… followed back to the change they are about

Names = Callable[[str], str]
Me = Callable[[], tuple[str, str]]


@dataclass(frozen=True, slots=True)
class Step:
    """The top of a stack: ``command_id`` is what Undo or Redo names (the change, or the undo
    to take back), ``change`` the events to compensate, ``refusal`` why it cannot be done
    ("" when it can)."""

    command_id: str
    summary: str
    change: Change
    refusal: str = ""
    redone: str = ""  # a redo's: the change the undo had taken back


@dataclass(frozen=True, slots=True)
class Stacks:
    undo: Step | None
    redo: Step | None


class _Backwards:
    """Events read backwards from the head in windows (each read once)."""

    def __init__(self, store: EventStore) -> None:
        self._store = store
        self._seen: dict[int, StoredEvent] = {}

    def event(self, position: int, window: int = _WINDOW) -> StoredEvent:
        if position not in self._seen:
            low = max(0, position - window)
            self._seen = {e.position: e for e in self._store.read_all(low, position, window)}
        return self._seen[position]

    def change_ending_at(self, last: int) -> Change:
        """The change whose last event is at ``last``; of a long one (an import) only its
        first and last events, found by the store's index of commands (see ``full``)."""
        events = [self.event(last)]
        command_id = _command_id(events[0])
        span = self._store.command_positions(command_id)
        if span is not None and span[1] == last and last - span[0] >= _LONG:
            return change_of([self.event(span[0], 1), events[0]], partial=True)
        window = _WINDOW
        position = last - 1
        while position > 0:
            if position not in self._seen:
                window = min(window * 2, 2000)  # a long change (an import): bigger reads
            found = self.event(position, window)
            if _command_id(found) != command_id:
                break
            events.append(found)
            position -= 1
        events.reverse()
        return change_of(events)


def change_of(events: list[StoredEvent], *, partial: bool = False) -> Change:
    """A :class:`Change` of one command's stored events (in position order; ``partial``:
    only its first and last)."""
    meta = events[-1].metadata
    return Change(
        command_id=str(meta.get("command_id", "")),
        first=events[0].position,
        last=events[-1].position,
        author=str(meta.get("author", "")),
        app_version=str(meta.get("app_version", "")),
        events=tuple(_decoded(e) for e in events),
        streams=frozenset(s for e in events for s in (e.stream_id, *e.also_in)),
        partial=partial,
    )


class ChangeLog:
    """The book's changes as undo sees them: the stacks' tops, a change by its command id,
    and where an entry's postings are now."""

    def __init__(self, store: EventStore, me: Me, names: Names) -> None:
        self._store = store
        self._me = me
        self._names = names

    def stacks(self, locale: str | None = None) -> Stacks:
        """The tops of this author's and program's undo and redo stacks, as the log is now."""
        me = self._me()
        reader = _Backwards(self._store)
        position = self._store.head()[0]
        undone: dict[str, int] = {}  # ours an undo of ours took back -> its first position
        redone: set[str] = set()  # undos of ours a redo of ours took back
        others: list[Change] = []  # newest first
        undo_top: tuple[Change, int] | None = None  # with how many of ``others`` came after
        redo_top: tuple[Change, CommandUndone, int] | None = None
        redo_open = True
        others_read = 0
        while position > 0 and (undo_top is None or (redo_open and redo_top is None)):
            last = reader.event(position)
            meta = last.metadata
            if (str(meta.get("author", "")), str(meta.get("app_version", ""))) != me:
                if others_read > OTHERS_LIMIT:
                    break
                change = reader.change_ending_at(position)
                others.append(change)
                others_read += len(change.events)
                position = change.first - 1
                continue
            command_id = _command_id(last)
            mark = _decoded(last)
            if command_id in undone:  # taken back: jump over it
                if isinstance(mark, CommandRedone):
                    redone.add(mark.undo_command_id)
                else:
                    redo_open = False  # a change of ours came after the undos before it
                position = undone[command_id] - 1
                continue
            if isinstance(mark, CommandUndone):
                undone[mark.undone_command_id] = mark.first_position
                if redo_open and redo_top is None and command_id not in redone:
                    redo_top = (reader.change_ending_at(position), mark, len(others))
                position -= mark.compensations + 1
                continue
            if isinstance(mark, CommandRedone):
                redone.add(mark.undo_command_id)
                if undo_top is None:
                    undo_top = (reader.change_ending_at(position), len(others))
                position -= mark.compensations + 1
                continue
            change = reader.change_ending_at(position)
            if undo_top is None:
                undo_top = (change, len(others))
            redo_open = False
            position = change.first - 1
        return Stacks(
            self._undo_step(undo_top, others, locale), self._redo_step(redo_top, others, locale)
        )

    def _undo_step(
        self, top: tuple[Change, int] | None, others: list[Change], locale: str | None
    ) -> Step | None:
        if top is None:
            return None
        change, newer = top
        mark = change.marker
        summary = (
            self._original_summary(mark, locale)
            if mark is not None
            else change_summary(change, self._names, locale)
        )
        return Step(change.command_id, summary, change, self._refusal(change, others[:newer]))

    def _redo_step(
        self,
        top: tuple[Change, CommandUndone, int] | None,
        others: list[Change],
        locale: str | None,
    ) -> Step | None:
        if top is None:
            return None
        change, mark, newer = top
        refusal = self._refusal(change, others[:newer])
        summary = self._original_summary(mark, locale)
        return Step(change.command_id, summary, change, refusal, mark.undone_command_id)

    def _original_summary(self, mark: CommandUndone | CommandRedone, locale: str | None) -> str:
        """The words of the change a mark is about, amounts in ``locale``: read again from
        that change (through the marks of undos and redos before it), or the mark's own
        fixed-form words when the change is long (an import) or the chain is."""
        for _ in range(_CHAIN):
            if isinstance(mark, CommandRedone):  # the undo it took back names the change
                found = _decoded(_Backwards(self._store).event(mark.last_position))
                if not isinstance(found, CommandUndone):
                    break
                mark = found
                continue
            if mark.last_position - mark.first_position >= _LONG:
                break
            events = list(self._store.read_all(mark.first_position - 1, mark.last_position, _LONG))
            original = change_of(events)
            if original.marker is None:
                return change_summary(original, self._names, locale)
            mark = original.marker
        return mark.summary

    def _refusal(self, change: Change, later: list[Change]) -> str:
        """Why ``change`` cannot be taken back: the changes by others since (newest first)."""
        if not later:
            return ""
        mine = change.streams - {chart.STREAM_ID}
        for other in reversed(later):  # the first one since names the reason
            shared = sorted(mine & other.streams)
            if shared:
                return (
                    f"a later change, event {other.first} by {_who(other)}, touched "
                    f"{self._stream_name(shared[0])}"
                )
        newest = later[0]
        return (
            f"the last change in the book, event {newest.last}, was recorded by "
            f"{_who(newest)}; undo takes back only what this author and program did last"
        )

    def _stream_name(self, stream_id: str) -> str:
        kind, _, key = stream_id.partition("-")
        if kind == "account":
            return self._names(key)
        if kind == "entry":
            return f"entry {key}"
        return stream_id

    def full(self, change: Change) -> Change:
        """``change`` with all its events (the stacks read only the ends of a long one)."""
        if not change.partial:
            return change
        return change_of(list(self._store.read_all(change.first - 1, change.last)))

    def current_entry(self, entry_id: str) -> str | None:
        """The entry carrying ``entry_id``'s postings now: itself unless voided; the entry
        an undo posted again when the change that voided it was undone; None when voided by
        a change in force."""
        for _ in range(1000):  # each step is a later undo: a chain this long is not real
            events = list(self._store.read_stream(f"entry-{entry_id}"))
            if len(events) < 2:
                return entry_id
            void = events[1]
            voided_by = _command_id(void)
            marks = list(self._store.read_stream(undo.stream_id(voided_by)))
            if len(marks) % 2 == 0:
                return None
            undoing = marks[-1]
            span = self._store.command_positions(voided_by)
            first = span[0] if span else _first_position(self._store, voided_by, void.position)
            entry_id = undo.reposted_id(_command_id(undoing), void.position - first)
        return None


def _first_position(store: EventStore, command_id: str, position: int) -> int:
    """The first position of the change of ``command_id`` that holds ``position``."""
    first = position
    while first > 1:
        before = next(iter(store.read_all(first - 2, first - 1, 1)), None)
        if before is None or _command_id(before) != command_id:
            break
        first -= 1
    return first


def _who(change: Change) -> str:
    """``bob with Tallybook 0.1.0``: who recorded a change, and with what."""
    author = change.author or "an unnamed author"
    program = f"Tallybook {change.app_version}" if change.app_version else "Tallybook"
    return f"{author} with {program}"


def _command_id(stored: StoredEvent) -> str:
    return str(stored.metadata.get("command_id", ""))


def _decoded(stored: StoredEvent) -> Event:
    return from_data(stored.type, stored.schema_version, stored.data)
